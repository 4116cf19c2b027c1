-- What the warehouse holds, for the summary `privnews run` prints: (figure, count) rows. A UNION ALL of
-- single-table counts: the same as scalar subqueries of one SELECT cost 2-4x more to plan.
SELECT 'articles' AS figure, count(*) AS n FROM articles
UNION ALL SELECT 'skipped', count(*) FROM articles WHERE skip_reason IS NOT NULL
UNION ALL SELECT 'stories', count(DISTINCT story_id) FROM articles
UNION ALL SELECT 'actors', count(*) FROM actors
UNION ALL SELECT 'mentions', count(*) FROM mentions
UNION ALL SELECT 'statistics', count(*) FROM statistics
UNION ALL SELECT 'claims', count(*) FROM claims
