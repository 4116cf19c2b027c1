-- URLs (feed links, tracking variants, canonical and final URLs) that lead to an article; a URL keeps the
-- article it was first seen for. From the registered Arrow table incoming_urls.
INSERT INTO article_urls BY NAME (SELECT * FROM incoming_urls)
ON CONFLICT (url) DO UPDATE SET
    last_seen_at = excluded.last_seen_at,
    guid = coalesce(article_urls.guid, excluded.guid)
