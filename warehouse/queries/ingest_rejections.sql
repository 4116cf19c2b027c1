-- Feed items (and unreadable feeds) that ingest rejected, newest first, with whether the item has been stored
-- since (a later run may succeed where this one failed, e.g. a page that was down). $since bounds last_seen_at
-- (NULL = all); $limit caps the rows.
SELECT r.last_seen_at, r.stage, r.reason, r.feed_url, r.item_link, r.item_guid, r.item_title, r.times_seen,
       r.first_seen_at, r.run_id,
       EXISTS (SELECT 1 FROM article_urls u WHERE u.url = r.item_key) AS stored_since
FROM ingest_rejections r
WHERE $since IS NULL OR r.last_seen_at >= $since
ORDER BY r.last_seen_at DESC, r.feed_url, r.stage, r.item_key
LIMIT $limit
