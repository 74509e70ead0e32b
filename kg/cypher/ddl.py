"""Constraints and indexes (DDL), generated from the ontology's node labels.

Named DDL with IF NOT EXISTS is accepted by Neo4j 5 and by ArcadeDB alike; kg/schema.py applies it
idempotently. A conflict is a CONFLICTS_WITH relationship between two evidence nodes, never a node, so the
Conflict label has neither a constraint nor an index.
"""

from __future__ import annotations

from ontology.models import NodeLabel
from ontology.vocabulary import vocabulary

# Labels whose `id` is unique. A fact's id is unique under Fact, the label all three fact types share
# (ArcadeDB refuses a second unique index on the same node through its type label).
UNIQUE_ID_LABELS = (NodeLabel.Actor, NodeLabel.Article, NodeLabel.Outlet, NodeLabel.Fact, NodeLabel.Evidence,
                    NodeLabel.ArticleVersion, NodeLabel.Correction, NodeLabel.Judgement)

# Properties looked up by the query layer besides `id`.
INDEXED_PROPERTIES: dict[NodeLabel, tuple[str, ...]] = {
    NodeLabel.Actor: ("name", "name_lower", "type"),
    NodeLabel.Article: ("doc_id", "url", "published", "source_key"),
    NodeLabel.Outlet: ("name",),
    NodeLabel.Allegation: ("date_start", "kind"),
    NodeLabel.GovernmentAction: ("date_start", "kind"),
    NodeLabel.Event: ("date_start",),
    NodeLabel.Fact: ("date_start", "reliability", "disputed", "page_bucket", "dispute_bucket"),
    NodeLabel.Evidence: ("article_id", "fact_id", "extracted_fact_id"),
    NodeLabel.ArticleVersion: ("source_key", "article_id", "fetched_at"),
    NodeLabel.Correction: ("source_key",),
    NodeLabel.Judgement: ("kind", "subject"),
}


# Relationship properties looked up by the query layer (relation local name -> properties): an actor's page
# buckets (kg/names.py), read by index seek instead of a walk of every NAMES edge of a hub actor.
INDEXED_RELATIONSHIP_PROPERTIES: dict[str, tuple[str, ...]] = {"names": ("bucket",)}


def cypher_statements() -> dict[str, str]:
    """Every DDL statement, by name (constraint or index name)."""
    out: dict[str, str] = {}
    for label in NodeLabel:
        name = vocabulary.label(label.value)  # raises on a name the ontology does not define
        if label in UNIQUE_ID_LABELS:
            key = f"{name.lower()}_id"
            out[key] = f"CREATE CONSTRAINT {key} IF NOT EXISTS FOR (n:{name}) REQUIRE n.id IS UNIQUE"
        for prop in INDEXED_PROPERTIES.get(label, ()):
            index = f"{name.lower()}_{prop}"
            out[index] = f"CREATE INDEX {index} IF NOT EXISTS FOR (n:{name}) ON (n.{prop})"
    for relation, props in INDEXED_RELATIONSHIP_PROPERTIES.items():
        rel_type = vocabulary.rel_type(relation)
        for prop in props:
            index = f"{rel_type.lower()}_{prop}"
            out[index] = f"CREATE INDEX {index} IF NOT EXISTS FOR ()-[r:{rel_type}]-() ON (r.{prop})"
    return out


STATEMENTS: dict[str, str] = cypher_statements()
