-- Claims matching one digest rule, newest first. Every filter is a bound parameter; an empty list or a
-- NULL means "no filter". Called by flows/digest/compile.py; parameters:
--   $since TIMESTAMPTZ        facts that became visible at or after: the article's extracted_at (when its facts
--                             were loaded), else first seen / fetched / published
--   $kinds VARCHAR[]          claim kinds
--   $countries VARCHAR[]      ISO country of the claimant / target / either ($country_of), from actor_countries
--   $country_of VARCHAR       claimant | target | either
--   $min_amount DOUBLE        with $currency: amount_unit = $currency AND amount_value >= $min_amount
--   $currency VARCHAR
--   $articles VARCHAR[]       a cited article equals one of these or extends it ("GDPR Art. 6" ~ "GDPR Art. 6(1)(f)")
--   $actor_ids VARCHAR[]      knowledge-base ids of the claimant or target
--   $actor_names VARCHAR[]    lower-cased names/aliases of the claimant or target
--   $basis VARCHAR[]          legal basis
--   $statuses VARCHAR[]       claim status
--   $languages VARCHAR[]      article language
WITH first_seen AS (
    SELECT article_id, min(first_seen_at) AS first_seen FROM article_urls GROUP BY article_id
), claimant_country AS (
    SELECT c.claim_id, coalesce(by_id.country, by_name.country) AS country
    FROM v_claims c
    LEFT JOIN actor_countries by_id ON by_id.actor_id = c.claimant_actor_id
    LEFT JOIN actor_countries by_name
           ON by_id.actor_id IS NULL AND list_contains(by_name.names, lower(trim(c.claimant)))
    QUALIFY row_number() OVER (PARTITION BY c.claim_id ORDER BY by_name.actor_id) = 1
), target_country AS (
    SELECT c.claim_id, coalesce(by_id.country, by_name.country) AS country
    FROM v_claims c
    LEFT JOIN actor_countries by_id ON by_id.actor_id = c.target_actor_id
    LEFT JOIN actor_countries by_name
           ON by_id.actor_id IS NULL AND list_contains(by_name.names, lower(trim(c.target)))
    QUALIFY row_number() OVER (PARTITION BY c.claim_id ORDER BY by_name.actor_id) = 1
)
SELECT c.claim_id, c.kind, c.basis, c.articles, c.claimant, c.target, c.polarity, c.status,
       c.amount_value, c.amount_unit, c.evidence, c.span_start, c.span_end,
       c.article_id, c.title, c.url, c.published, c.lang, c.outlet,
       coalesce(c.story_id, c.article_id) AS story_key, s.title AS story_title,
       c.claimant_actor_id, c.target_actor_id, cc.country AS claimant_country, tc.country AS target_country,
       coalesce(a.extracted_at, fs.first_seen, a.fetched_at, c.published) AS seen_at, a.text AS article_text
FROM v_claims c
JOIN articles a ON a.article_id = c.article_id
LEFT JOIN stories s ON s.story_id = c.story_id
LEFT JOIN first_seen fs ON fs.article_id = c.article_id
LEFT JOIN claimant_country cc ON cc.claim_id = c.claim_id
LEFT JOIN target_country tc ON tc.claim_id = c.claim_id
WHERE ($since::TIMESTAMPTZ IS NULL OR coalesce(a.extracted_at, fs.first_seen, a.fetched_at, c.published) >= $since::TIMESTAMPTZ)
  AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], c.kind))
  AND (len($countries::VARCHAR[]) = 0
       OR ($country_of::VARCHAR IN ('claimant', 'either') AND list_contains($countries::VARCHAR[], cc.country))
       OR ($country_of::VARCHAR IN ('target', 'either') AND list_contains($countries::VARCHAR[], tc.country)))
  AND ($min_amount::DOUBLE IS NULL
       OR (c.amount_unit = $currency::VARCHAR AND c.amount_value >= $min_amount::DOUBLE))
  AND (len($articles::VARCHAR[]) = 0
       OR EXISTS (SELECT 1 FROM unnest(c.articles) AS t(cited), unnest($articles::VARCHAR[]) AS r(wanted)
                  WHERE t.cited = r.wanted OR starts_with(t.cited, r.wanted || '(')))
  AND (len($actor_names::VARCHAR[]) = 0
       OR list_contains($actor_ids::VARCHAR[], c.claimant_actor_id)
       OR list_contains($actor_ids::VARCHAR[], c.target_actor_id)
       OR list_contains($actor_names::VARCHAR[], lower(trim(c.claimant)))
       OR list_contains($actor_names::VARCHAR[], lower(trim(c.target))))
  AND (len($basis::VARCHAR[]) = 0 OR list_contains($basis::VARCHAR[], c.basis))
  AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], c.status))
  AND (len($languages::VARCHAR[]) = 0 OR list_contains($languages::VARCHAR[], c.lang))
ORDER BY seen_at DESC, c.article_id, c.span_start
