-- Statistics that changed: what was measured (measures + population, unit) reported with more than one value.
-- $since TIMESTAMPTZ (NULL = all).
WITH s AS (
    SELECT lower(trim(coalesce(s.measures, ''))) AS measure_key, s.measures, s.population, s.unit, s.value,
           s.comparator, coalesce(s.published, a.fetched_at) AS published, s.outlet, s.title, s.url, s.evidence
    FROM v_statistics s
    JOIN articles a ON a.article_id = s.article_id
    WHERE s.measures IS NOT NULL AND trim(s.measures) <> ''
      AND ($since::TIMESTAMPTZ IS NULL OR coalesce(s.published, a.fetched_at) >= $since::TIMESTAMPTZ)
)
SELECT * FROM s
WHERE (measure_key, unit) IN (SELECT (measure_key, unit) FROM s GROUP BY ALL HAVING count(DISTINCT value) > 1)
ORDER BY measure_key, unit, published
