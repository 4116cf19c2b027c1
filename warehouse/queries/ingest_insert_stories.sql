-- New stories (named after their first report), from the registered Arrow table incoming_stories.
INSERT INTO stories BY NAME (SELECT * FROM incoming_stories)
ON CONFLICT (story_id) DO NOTHING
