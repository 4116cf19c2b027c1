-- What the digest last checked, so that a run on unchanged input can skip its rule queries (flows/digest/
-- unchanged.py). Idempotent (IF NOT EXISTS): it can be applied to a database that already has the tables.

-- Per subscription and destination: the fingerprint of everything the rule queries read (the rules, the
-- matching code and SQL, the knowledge base, a summary of the warehouse's facts and of this destination's
-- ledger), taken after a check that left no match unclaimed, and how far back that check looked.
CREATE TABLE IF NOT EXISTS digest_checks (
    subscription  VARCHAR NOT NULL,
    destination   VARCHAR NOT NULL,
    inputs        VARCHAR NOT NULL,             -- sha256 of the inputs, hex
    window_start  TIMESTAMPTZ,                  -- the check saw every match since then; NULL = all time
    checked_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription, destination)
);

-- Which knowledge base `actor_countries` was last filled from (sha256 of models/kb/actors.jsonl).
CREATE TABLE IF NOT EXISTS kb_sync (
    target        VARCHAR PRIMARY KEY,          -- actor_countries
    fingerprint   VARCHAR NOT NULL,
    synced_at     TIMESTAMPTZ NOT NULL
);
