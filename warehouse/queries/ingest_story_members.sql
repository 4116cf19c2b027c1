-- Stored articles a new article may join the story of: embedded with $model, in a story, and published
-- within [$start, $end] (or with no publication date). $model VARCHAR, $start/$end TIMESTAMPTZ.
SELECT e.article_id, a.story_id, a.published, e.embedding
FROM article_embeddings e
JOIN articles a USING (article_id)
WHERE e.model = $model
  AND a.story_id IS NOT NULL
  AND (a.published IS NULL OR a.published BETWEEN $start AND $end)
