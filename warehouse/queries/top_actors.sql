SELECT name, type, articles, mentions
FROM v_actors
ORDER BY articles DESC, mentions DESC, name
LIMIT $limit
