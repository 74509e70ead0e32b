"""The graph: schema, writes and queries (knows nothing of spaCy)."""
