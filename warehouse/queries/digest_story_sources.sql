-- Every article of the given stories (story_id, or the article itself when it has no story): the sources a
-- digest lists under a story. $story_keys VARCHAR[].
SELECT coalesce(a.story_id, a.article_id) AS story_key, a.article_id, a.title, a.url, a.outlet, a.lang,
       a.published
FROM articles a
WHERE list_contains($story_keys::VARCHAR[], coalesce(a.story_id, a.article_id))
ORDER BY story_key, a.published NULLS LAST, a.outlet, a.article_id
