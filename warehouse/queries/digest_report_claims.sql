-- Claims per legal basis / kind and per actor (claimant or target). $since TIMESTAMPTZ (NULL = all).
SELECT c.kind, c.basis, c.polarity, c.claimant, c.target, c.lang,
       coalesce(c.published, a.fetched_at) AS published
FROM v_claims c
JOIN articles a ON a.article_id = c.article_id
WHERE $since::TIMESTAMPTZ IS NULL OR coalesce(c.published, a.fetched_at) >= $since::TIMESTAMPTZ
