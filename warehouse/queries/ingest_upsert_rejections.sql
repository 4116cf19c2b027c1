-- Rejected feed items of one ingest run, from the registered Arrow table incoming_rejections. A rejection
-- seen before keeps its first_seen_at and counts one more sighting.
INSERT INTO ingest_rejections BY NAME (SELECT * FROM incoming_rejections)
ON CONFLICT (rejection_id) DO UPDATE SET
    feed_id = excluded.feed_id, item_link = excluded.item_link, item_guid = excluded.item_guid,
    item_title = excluded.item_title, reason = excluded.reason, run_id = excluded.run_id,
    last_seen_at = excluded.last_seen_at, times_seen = ingest_rejections.times_seen + 1
