"""Reference data: the gazetteer of actors and the outlet registry, each with one loader, and the one name
normaliser both use. Imported by `ingest/` (to find names in text) and `kg/` (to resolve an article's
outlet and its prior); it knows nothing of either, only of the ontology's actor types."""
