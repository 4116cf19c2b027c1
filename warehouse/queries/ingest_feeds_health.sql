-- `privnews feeds`: the health of every feed ever fetched, with how many articles it brought.
SELECT f.feed_id, f.url, f.outlet, f.kind, f.lang, f.last_fetched_at, f.last_success_at, f.last_status,
       f.last_error, f.consecutive_failures, f.parse_warning, f.entries_seen,
       (SELECT count(*) FROM articles a WHERE a.feed_id = f.feed_id) AS articles
FROM feeds f
ORDER BY f.outlet, f.url
