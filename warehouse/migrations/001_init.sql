-- Core schema: feeds, articles and their URLs, stories, facts (actors, mentions, statistics, claims), runs.
-- Fact tables carry no PRIMARY KEY constraint on purpose: facts of an article are replaced as a whole
-- (delete + insert in one transaction), and ids are derived (article, kind, span, extractor version).

CREATE TABLE feeds (
    feed_id              VARCHAR PRIMARY KEY,   -- sha256(url)[:16]
    url                  VARCHAR NOT NULL,
    name                 VARCHAR,
    outlet               VARCHAR,
    lang                 VARCHAR,
    country              VARCHAR,
    kind                 VARCHAR,               -- regulator | ngo | news | adhoc
    etag                 VARCHAR,
    last_modified        VARCHAR,
    last_fetched_at      TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_status          INTEGER,
    last_error           VARCHAR,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    parse_warning        VARCHAR,               -- why a feed was malformed (bozo) but partly recovered
    entries_seen         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stories (
    story_id      VARCHAR PRIMARY KEY,
    title         VARCHAR,
    first_seen_at TIMESTAMPTZ
);

CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,      -- sha256(canonical url)[:16]
    url               VARCHAR NOT NULL,         -- canonical URL
    title             VARCHAR,
    published         TIMESTAMPTZ,              -- UTC; NULL when the source gave none
    lang              VARCHAR,                  -- nl | en | other
    text              VARCHAR,
    content_hash      VARCHAR,
    fetched_at        TIMESTAMPTZ,
    feed_id           VARCHAR,
    outlet            VARCHAR,
    text_source       VARCHAR,                  -- page | feed_content | feed_summary
    raw_html          VARCHAR,                  -- kept so text can be re-extracted without refetching
    story_id          VARCHAR,
    skip_reason       VARCHAR,                  -- why extraction skipped it (e.g. language other)
    extractor_version VARCHAR,                  -- version whose facts are stored; NULL = not extracted
    extracted_at      TIMESTAMPTZ
);

CREATE TABLE article_urls (
    url           VARCHAR PRIMARY KEY,          -- every canonical URL and feed link seen for an article
    article_id    VARCHAR NOT NULL,
    feed_id       VARCHAR,
    guid          VARCHAR,
    first_seen_at TIMESTAMPTZ
);

CREATE TABLE actors (
    actor_id VARCHAR PRIMARY KEY,               -- knowledge-base id, or 'x-' || hash(type|normalised name)
    name     VARCHAR NOT NULL,
    type     VARCHAR NOT NULL,
    kb_id    VARCHAR
);

CREATE TABLE mentions (
    mention_id        VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    actor_id          VARCHAR NOT NULL,
    actor_name        VARCHAR NOT NULL,         -- canonical name as extracted in this article
    actor_type        VARCHAR NOT NULL,
    text              VARCHAR NOT NULL,
    span_start        INTEGER NOT NULL,
    span_end          INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL
);

CREATE TABLE statistics (
    stat_id           VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,
    unit              VARCHAR NOT NULL,
    comparator        VARCHAR NOT NULL,
    text              VARCHAR NOT NULL,
    span_start        INTEGER NOT NULL,
    span_end          INTEGER NOT NULL,
    measures          VARCHAR,
    population        VARCHAR,
    source            VARCHAR,
    extractor_version VARCHAR NOT NULL
);

CREATE TABLE claims (
    claim_id          VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    basis             VARCHAR,
    articles          VARCHAR[],
    claimant          VARCHAR,
    target            VARCHAR,
    claimant_actor_id VARCHAR,
    target_actor_id   VARCHAR,
    polarity          VARCHAR,
    status            VARCHAR,
    amount_value      DOUBLE,
    amount_unit       VARCHAR,
    text              VARCHAR NOT NULL,
    span_start        INTEGER NOT NULL,
    span_end          INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL
);

CREATE TABLE runs (
    run_id            VARCHAR PRIMARY KEY,
    flow              VARCHAR NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    status            VARCHAR NOT NULL,         -- running | completed | failed
    privnews_version  VARCHAR,
    extractor_version VARCHAR,
    counts            JSON,
    error             VARCHAR
);
