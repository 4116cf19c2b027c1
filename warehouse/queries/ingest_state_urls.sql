-- Every URL that already leads to a stored article (feed links, canonical URLs), with when it was fetched.
SELECT u.url, u.article_id, a.fetched_at
FROM article_urls u
JOIN articles a USING (article_id)
UNION ALL
SELECT a.url, a.article_id, a.fetched_at
FROM articles a
