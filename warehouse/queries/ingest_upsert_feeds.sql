-- Feed registry description and fetch health, from the registered Arrow table incoming_feeds.
INSERT INTO feeds BY NAME (SELECT * FROM incoming_feeds)
ON CONFLICT (feed_id) DO UPDATE SET
    url = excluded.url, name = excluded.name, outlet = excluded.outlet, lang = excluded.lang,
    country = excluded.country, kind = excluded.kind, homepage = excluded.homepage,
    etag = excluded.etag, last_modified = excluded.last_modified, last_fetched_at = excluded.last_fetched_at,
    last_success_at = excluded.last_success_at, last_status = excluded.last_status,
    last_error = excluded.last_error, consecutive_failures = excluded.consecutive_failures,
    parse_warning = excluded.parse_warning, entries_seen = excluded.entries_seen,
    last_elapsed_ms = excluded.last_elapsed_ms
