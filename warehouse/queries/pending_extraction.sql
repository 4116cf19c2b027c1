-- Articles whose stored facts are missing or come from another extractor version.
SELECT article_id, text, lang
FROM articles
WHERE extractor_version IS DISTINCT FROM $version
ORDER BY article_id
