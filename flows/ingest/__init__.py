"""Feed ingestion: registry, polite fetching, parsing, full text, dedupe, stories, and the ingest flow."""
