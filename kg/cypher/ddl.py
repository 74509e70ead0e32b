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
    NodeLabel.Fact: ("date_start", "reliability", "disputed"),
    NodeLabel.Evidence: ("article_id", "fact_id", "extracted_fact_id"),
    NodeLabel.ArticleVersion: ("source_key", "article_id", "fetched_at"),
    NodeLabel.Correction: ("source_key",),
    NodeLabel.Judgement: ("kind", "subject"),
}


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
    return out


STATEMENTS: dict[str, str] = cypher_statements()
