SELECT kind, claimant, target, status, basis, amount_value, amount_unit, evidence, title, url, published
FROM v_claims
ORDER BY published DESC NULLS LAST, article_id, span_start
LIMIT $limit
