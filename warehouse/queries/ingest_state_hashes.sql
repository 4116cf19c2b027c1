-- Content hashes of stored articles: identical text under a new URL is the same article.
SELECT article_id, content_hash
FROM articles
WHERE content_hash IS NOT NULL
