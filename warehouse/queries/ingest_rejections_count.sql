-- How many rejections ingest has recorded, and how many of those items are still not stored.
SELECT count(*) AS total,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.url = r.item_key)) AS not_stored
FROM ingest_rejections r
