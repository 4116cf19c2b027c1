-- How each article's text and date were obtained, from the registered Arrow table incoming_article_ingest.
INSERT INTO article_ingest BY NAME (SELECT * FROM incoming_article_ingest)
ON CONFLICT (article_id) DO UPDATE SET
    published_source = excluded.published_source, page_status = excluded.page_status,
    page_error = excluded.page_error, encoding = excluded.encoding,
    guid = coalesce(excluded.guid, article_ingest.guid)
