-- Title+lead vectors for story grouping, from the registered Arrow table incoming_embeddings.
INSERT INTO article_embeddings BY NAME (SELECT article_id, model, embedding::FLOAT[512] AS embedding, created_at
                                        FROM incoming_embeddings)
ON CONFLICT (article_id) DO UPDATE SET
    model = excluded.model, embedding = excluded.embedding, created_at = excluded.created_at
