-- Feed items that ingest did not store, and why: one row per feed URL, item and stage, updated when the
-- same item is rejected again (times_seen, last_seen_at, the latest reason and run). An item that is neither
-- an article (article_urls) nor a row here was lost silently, which must not happen. A whole feed that could
-- not be read (fetch error, not a feed, over the size cap) is one row with item_key NULL: its items are not
-- known; a malformed feed whose entries were partly recovered is one such row too.
CREATE TABLE ingest_rejections (
    rejection_id  VARCHAR PRIMARY KEY,       -- hash of feed_url | item_key | stage
    feed_id       VARCHAR,
    feed_url      VARCHAR NOT NULL,
    item_key      VARCHAR,                   -- canonical link, else raw link, guid, title; NULL = the whole feed
    item_link     VARCHAR,                   -- as it appeared in the feed (may be unusable: that can be why)
    item_guid     VARCHAR,
    item_title    VARCHAR,
    stage         VARCHAR NOT NULL,          -- feed | entry | text
    reason        VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,          -- the ingest run that rejected it last
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    times_seen    INTEGER NOT NULL DEFAULT 1
);
