-- Alert digests: the delivery outbox, the per-subscription item ledger, window cursors, actor countries.
-- Exactly-once design (see flows/digest/outbox.py): a digest message and the items it carries are written
-- in ONE transaction as state 'pending' before anything is sent; the message id is derived from the
-- subscription, destination and item keys; only after delivery does the state become 'sent'.

CREATE TABLE digest_outbox (
    message_id    VARCHAR PRIMARY KEY,          -- deterministic: <hash(subscription|destination|items)@privnews>
    subscription  VARCHAR NOT NULL,
    destination   VARCHAR NOT NULL,             -- smtp:a@x,b@y | dir:/abs/path | stdout
    state         VARCHAR NOT NULL,             -- pending | sent
    created_at    TIMESTAMPTZ NOT NULL,
    sent_at       TIMESTAMPTZ,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    VARCHAR,
    subject       VARCHAR NOT NULL,
    item_count    INTEGER NOT NULL,
    story_count   INTEGER NOT NULL,
    body_text     VARCHAR NOT NULL,
    body_html     VARCHAR NOT NULL,
    mime          BLOB NOT NULL                 -- the exact bytes sent; a re-send is byte-identical
);

CREATE TABLE digest_ledger (
    subscription  VARCHAR NOT NULL,
    destination   VARCHAR NOT NULL,
    item_key      VARCHAR NOT NULL,             -- stable across outlets and extractor versions
    message_id    VARCHAR NOT NULL,
    rule          VARCHAR NOT NULL,
    claim_id      VARCHAR,                      -- the claim shown (first source), for tracing
    recorded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription, destination, item_key)
);

CREATE TABLE digest_cursor (
    subscription  VARCHAR NOT NULL,
    destination   VARCHAR NOT NULL,
    window_end    TIMESTAMPTZ NOT NULL,         -- the next run looks back at least to here
    PRIMARY KEY (subscription, destination)
);

CREATE TABLE actor_countries (
    actor_id      VARCHAR PRIMARY KEY,          -- knowledge-base id (= actors.actor_id for KB-linked actors)
    name          VARCHAR NOT NULL,
    type          VARCHAR,
    country       VARCHAR,                      -- ISO 3166-1 alpha-2, or EU for EU bodies; NULL unknown
    names         VARCHAR[]                     -- lower-cased canonical name and aliases, for name matching
);
