-- A summary of what the digest's rule query (digest_claims.sql) reads, for one subscription and destination:
-- if it is unchanged since a check that left nothing unclaimed, the rule queries cannot find anything new
-- (flows/digest/unchanged.py). Fact rows are written only by warehouse.load.write_facts, which stamps the
-- articles' extracted_at in the same transaction (new or replaced claims raise max(extracted_at)); ingest
-- stamps fetched_at on every article it inserts or updates (title, language, text); story ids are only ever
-- set from NULL; deletions change counts. One UNION ALL of single-table aggregates: the same figures as
-- scalar subqueries in one SELECT cost ~10x more to plan (~50 ms CPU for ten of them).
SELECT 'articles' AS figure, count(*)::VARCHAR AS value FROM articles
UNION ALL SELECT 'last_extracted', max(extracted_at)::VARCHAR FROM articles
UNION ALL SELECT 'last_fetched', max(fetched_at)::VARCHAR FROM articles
UNION ALL SELECT 'with_story', count(story_id)::VARCHAR FROM articles
UNION ALL SELECT 'claims', count(*)::VARCHAR FROM claims
UNION ALL SELECT 'kb_actors', count(*)::VARCHAR FROM actor_countries
UNION ALL SELECT 'claimed', count(*)::VARCHAR FROM digest_ledger
          WHERE subscription = $subscription AND destination = $destination
