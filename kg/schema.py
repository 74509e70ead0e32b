"""Constraints and indexes, generated from the ontology's node labels.

Named DDL with IF NOT EXISTS is accepted by Neo4j 5 and by ArcadeDB alike; `apply_schema` is idempotent.
"""

from __future__ import annotations

from kg.db import Graph
from ontology.models import NodeLabel
from ontology.vocabulary import vocabulary

# Labels whose `id` is unique. A fact's id is unique under Fact, the label all three fact types share
# (ArcadeDB refuses a second unique index on the same node through its type label).
UNIQUE_ID_LABELS = (NodeLabel.Actor, NodeLabel.Article, NodeLabel.Outlet, NodeLabel.Fact, NodeLabel.Evidence,
                    NodeLabel.Conflict)

# Properties looked up by the query layer besides `id`.
INDEXED_PROPERTIES: dict[NodeLabel, tuple[str, ...]] = {
    NodeLabel.Actor: ("name", "name_lower", "type"),
    NodeLabel.Article: ("doc_id", "url", "published", "source_key"),
    NodeLabel.Outlet: ("name",),
    NodeLabel.Allegation: ("date_start", "kind"),
    NodeLabel.GovernmentAction: ("date_start", "kind"),
    NodeLabel.Event: ("date_start",),
    NodeLabel.Fact: ("date_start", "reliability", "disputed"),
    NodeLabel.Evidence: ("article_id", "fact_id"),
    NodeLabel.Conflict: ("fact_id",),
}


def _check_label(label: str) -> str:
    return vocabulary.label(label)  # raises on a name the ontology does not define


def cypher_statements() -> dict[str, str]:
    """Every DDL statement, by name (collected by the Cypher lint test)."""
    out: dict[str, str] = {}
    for label in NodeLabel:
        name = _check_label(label.value)
        if label in UNIQUE_ID_LABELS:
            key = f"{name.lower()}_id"
            out[key] = f"CREATE CONSTRAINT {key} IF NOT EXISTS FOR (n:{name}) REQUIRE n.id IS UNIQUE"
        for prop in INDEXED_PROPERTIES.get(label, ()):
            index = f"{name.lower()}_{prop}"
            out[index] = f"CREATE INDEX {index} IF NOT EXISTS FOR (n:{name}) ON (n.{prop})"
    return out


def apply_schema(graph: Graph) -> int:
    statements = cypher_statements()
    for statement in statements.values():
        graph.write(statement)  # type: ignore[arg-type]  # generated from ontology names, not user input
    return len(statements)
