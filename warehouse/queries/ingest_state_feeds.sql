-- Per-feed state an ingest run starts from (conditional GET validators, failure streak, last good parse).
SELECT feed_id, etag, last_modified, consecutive_failures, last_success_at, entries_seen, parse_warning
FROM feeds
