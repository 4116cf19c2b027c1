-- Fines per regulator over time, one row per fine in a story (a fine reported by several outlets counts once).
-- $since TIMESTAMPTZ (NULL = all).
SELECT coalesce(f.authority, '(unknown authority)') AS authority, f.fined_party, f.amount, f.currency,
       min(coalesce(f.published, a.fetched_at)) AS published, any_value(f.title) AS title,
       any_value(f.url) AS url, count(DISTINCT f.article_id) AS reports
FROM v_fines f
JOIN articles a ON a.article_id = f.article_id
WHERE $since::TIMESTAMPTZ IS NULL OR coalesce(f.published, a.fetched_at) >= $since::TIMESTAMPTZ
GROUP BY coalesce(f.story_id, f.article_id), authority, f.fined_party, f.amount, f.currency
ORDER BY published, authority
