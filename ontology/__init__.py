"""The ontology (kg.ttl, shapes.ttl) and the pydantic records that follow it."""

from ontology.vocabulary import AIG, ONTOLOGY_PATH, SHAPES_PATH, Vocabulary, vocabulary

__all__ = ["AIG", "ONTOLOGY_PATH", "SHAPES_PATH", "Vocabulary", "vocabulary"]
