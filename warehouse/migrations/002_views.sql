-- Researcher-facing views. Evidence is always there: the span text, its offsets and the article URL.

CREATE VIEW v_claims AS
SELECT c.claim_id, c.kind, c.basis, c.articles, c.claimant, c.target, c.polarity, c.status,
       c.amount_value, c.amount_unit, c.text AS evidence, c.span_start, c.span_end,
       a.article_id, a.title, a.url, a.published, a.lang, a.outlet, a.story_id,
       ca.type AS claimant_type, ta.type AS target_type, c.claimant_actor_id, c.target_actor_id,
       c.extractor_version
FROM claims c
JOIN articles a USING (article_id)
LEFT JOIN actors ca ON ca.actor_id = c.claimant_actor_id
LEFT JOIN actors ta ON ta.actor_id = c.target_actor_id;

CREATE VIEW v_fines AS
SELECT claim_id, claimant AS authority, target AS fined_party, amount_value AS amount, amount_unit AS currency,
       status, articles, evidence, title, url, published, lang, outlet, story_id, article_id
FROM v_claims
WHERE kind = 'fine';

CREATE VIEW v_statistics AS
SELECT s.stat_id, s.value, s.unit, s.comparator, s.measures, s.population, s.source, s.text AS evidence,
       s.span_start, s.span_end, a.article_id, a.title, a.url, a.published, a.lang, a.outlet, a.story_id
FROM statistics s
JOIN articles a USING (article_id);

CREATE VIEW v_actors AS
SELECT ac.actor_id, ac.name, ac.type, ac.kb_id,
       count(DISTINCT m.article_id) AS articles, count(*) AS mentions
FROM actors ac
JOIN mentions m USING (actor_id)
GROUP BY ALL;
