SELECT (SELECT count(*) FROM articles) AS articles,
       (SELECT count(*) FROM articles WHERE skip_reason IS NOT NULL) AS skipped,
       (SELECT count(DISTINCT story_id) FROM articles) AS stories,
       (SELECT count(*) FROM actors) AS actors,
       (SELECT count(*) FROM mentions) AS mentions,
       (SELECT count(*) FROM statistics) AS statistics,
       (SELECT count(*) FROM claims) AS claims
