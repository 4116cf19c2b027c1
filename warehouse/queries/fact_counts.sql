SELECT 'mentions' AS table_name, count(*) AS n, count(DISTINCT mention_id) AS distinct_ids FROM mentions
UNION ALL SELECT 'statistics', count(*), count(DISTINCT stat_id) FROM statistics
UNION ALL SELECT 'claims', count(*), count(DISTINCT claim_id) FROM claims
UNION ALL SELECT 'articles', count(*), count(DISTINCT article_id) FROM articles
UNION ALL SELECT 'actors', count(*), count(DISTINCT actor_id) FROM actors
