"""Cypher for `kg export` (reading the whole graph, or what a filter selects) and `kg import` (writing an
export back). Constants only, every value a parameter; labels and relationship types are the ontology's.

Import reuses the writer's statements in kg/cypher/writes.py where they fit (UPSERT_FACT, SET_FACT_SUMMARY_CYPHER,
LINK_ROLE, CREATE_ACTOR, UPSERT_EVIDENCE_CYPHER, LINK_CITES_CYPHER, CREATE_CONFLICTS_CYPHER), so imported
data lands as the writer would have written it; the statements below cover the rest in UNWIND batches.
"""

from __future__ import annotations

from typing import LiteralString

from kg.cypher.fragments import trusted
from kg.cypher.writes import LINK_PUBLISHERS_CYPHER
from ontology.models import FACT_LABELS, ActorType, NodeLabel
from ontology.vocabulary import vocabulary

__all__ = [
    "DUMP_NODES_CYPHER",
    "DUMP_RELATIONSHIPS_CYPHER",
    "EXPORT_ACTORS_CYPHER",
    "EXPORT_ARTICLES_CYPHER",
    "EXPORT_CITES_CYPHER",
    "EXPORT_CONFLICTS_CYPHER",
    "EXPORT_EVIDENCE_CYPHER",
    "EXPORT_EVIDENCE_MENTIONS_CYPHER",
    "EXPORT_FACTS_CYPHER",
    "EXPORT_LINKS_CYPHER",
    "EXPORT_MENTIONS_CYPHER",
    "EXPORT_NAMES_CYPHER",
    "EXPORT_OUTLETS_CYPHER",
    "EXPORT_ROLES_CYPHER",
    "EXPORT_SAME_AS_CYPHER",
    "IMPORT_ACTOR_PROPS_CYPHER",
    "IMPORT_ARTICLES_CYPHER",
    "IMPORT_MENTIONS_CYPHER",
    "IMPORT_OUTLETS_CYPHER",
    "IMPORT_PUBLISHERS_CYPHER",
    "IMPORT_SAME_AS_CYPHER",
]

# ---------------------------------------------------------------- export (reads)

EXPORT_ACTORS_CYPHER = """
MATCH (a:Actor)
RETURN a.id AS id, labels(a) AS labels, properties(a) AS props
ORDER BY id
"""

EXPORT_OUTLETS_CYPHER = """
MATCH (o:Outlet)
RETURN o.id AS id, properties(o) AS props
ORDER BY id
"""

EXPORT_ARTICLES_CYPHER = """
MATCH (art:Article)
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
RETURN art.id AS id, properties(art) AS props, collect(o.id) AS outlet_ids
ORDER BY id
"""

EXPORT_FACTS_CYPHER = """
MATCH (f:Fact)
RETURN f.id AS id, labels(f) AS labels, properties(f) AS props
ORDER BY id
"""

EXPORT_ROLES_CYPHER = """
MATCH (f:Fact)-[r]->(a:Actor)
RETURN f.id AS fact_id, type(r) AS rel_type, r.position AS position, a.id AS actor_id
ORDER BY fact_id, rel_type, position, actor_id
"""

EXPORT_EVIDENCE_CYPHER = """
MATCH (f:Fact)-[:HAS_EVIDENCE]->(e:Evidence)
OPTIONAL MATCH (e)-[:REPORTED_IN]->(art:Article)
RETURN e.id AS id, f.id AS fact_id, art.id AS article_id, properties(e) AS props
ORDER BY id
"""

EXPORT_CITES_CYPHER = """
MATCH (e:Evidence)-[c:CITES]->(o:Outlet)
RETURN e.id AS evidence_id, o.id AS outlet_id, c.as_written AS as_written
ORDER BY evidence_id, outlet_id
"""

EXPORT_MENTIONS_CYPHER = """
MATCH (art:Article)-[m:MENTIONS]->(a:Actor)
RETURN art.id AS article_id, a.id AS actor_id, m.aliases AS aliases
ORDER BY article_id, actor_id
"""

EXPORT_EVIDENCE_MENTIONS_CYPHER = """
MATCH (e:Evidence)-[:MENTIONS]->(a:Actor)
RETURN e.id AS evidence_id, a.id AS actor_id
ORDER BY evidence_id, actor_id
"""

# What a fact names (kept by the writer: kg/names.py); `kg import` computes them again from the rest.
EXPORT_NAMES_CYPHER = """
MATCH (f:Fact)-[:NAMES]->(a:Actor)
RETURN f.id AS fact_id, a.id AS actor_id
ORDER BY fact_id, actor_id
"""

EXPORT_CONFLICTS_CYPHER = """
MATCH (ea:Evidence)-[c:CONFLICTS_WITH]->(eb:Evidence)
RETURN c.id AS id, ea.id AS a, eb.id AS b, properties(c) AS props
ORDER BY id
"""

EXPORT_LINKS_CYPHER = """
MATCH (a:Fact)-[l:LED_TO|RESPONDS_TO]->(b:Fact)
RETURN type(l) AS type, a.id AS a, b.id AS b, properties(l) AS props
ORDER BY type, a, b
"""

EXPORT_SAME_AS_CYPHER = """
MATCH (a:Actor)-[:SAME_AS]->(b:Actor)
RETURN a.id AS a, b.id AS b
ORDER BY a, b
"""

# ---------------------------------------------------------------- neo4j-admin import files (kg/export/neo4j_import.py)
# Every node and relationship with its properties as stored, for `kg export --format neo4j-import`.

DUMP_NODES_CYPHER = """
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
ORDER BY n.id
"""

DUMP_RELATIONSHIPS_CYPHER = """
MATCH (a)-[r]->(b)
RETURN labels(a) AS a_labels, a.id AS a, type(r) AS type, labels(b) AS b_labels, b.id AS b, properties(r) AS props
ORDER BY type, a, b, r.id
"""

# The node groups (neo4j-admin ID spaces): the label every node of the group has, and the labels it may add.
# GraphVersion is the writer's bookkeeping node (kg/cypher/writes.py), outside the ontology.
GRAPH_VERSION = "GraphVersion"
NODE_GROUPS: dict[str, tuple[str, ...]] = {
    NodeLabel.Actor.value: tuple(vocabulary.label(t.value) for t in ActorType),
    NodeLabel.Fact.value: tuple(label.value for label in FACT_LABELS),
    **{label.value: () for label in NodeLabel if label not in (NodeLabel.Actor, NodeLabel.Fact, *FACT_LABELS)},
    GRAPH_VERSION: (),
}


def _group_of(class_name: str | None) -> tuple[str, ...]:
    if class_name is None:  # mentions: from an article or an evidence sentence
        return (NodeLabel.Article.value, NodeLabel.Evidence.value)
    if class_name in NODE_GROUPS:
        return (class_name,)
    return tuple(g for g, extra in NODE_GROUPS.items() if class_name in extra)


# (relationship type, start group, end group) for every relation of the ontology
RELATIONSHIP_ENDS: tuple[tuple[str, str, str], ...] = tuple(sorted(
    {(r.rel_type, a, b) for r in vocabulary.relations.values() for a in _group_of(r.domain) for b in _group_of(r.range)}
))
# relationships that may link the same two nodes more than once, told apart by their own id
KEYED_RELATIONSHIPS = frozenset({vocabulary.rel_type("conflictsWith")})


def _import_nodes(group: str, extra: str | None) -> str:
    labels = ":".join([group, *([extra] if extra else [])])
    # labels given at creation (ArcadeDB cannot add one to a node created in the same transaction)
    return f"UNWIND $rows AS row\nMERGE (n:{labels} {{id: row.id}})\nSET n += row.props"


def _import_relationships(rel_type: str, start: str, end: str) -> str:
    key = " {id: row.id}" if rel_type in KEYED_RELATIONSHIPS else ""
    return (f"UNWIND $rows AS row\nMATCH (a:{start} {{id: row.a}})\nMATCH (b:{end} {{id: row.b}})\n"
            f"MERGE (a)-[r:{rel_type}{key}]->(b)\nSET r += row.props")


# Statements built from the names above only (never from a file's header, which is checked against them).
IMPORT_NODES: dict[tuple[str, str | None], LiteralString] = {
    (group, extra): trusted(_import_nodes(group, extra))
    for group, extras in NODE_GROUPS.items() for extra in (*extras, None)
}
IMPORT_RELATIONSHIPS: dict[tuple[str, str, str], LiteralString] = {
    ends: trusted(_import_relationships(*ends)) for ends in RELATIONSHIP_ENDS
}

# ---------------------------------------------------------------- import (writes, UNWIND batches, MERGE on ids)

IMPORT_OUTLETS_CYPHER = """
UNWIND $rows AS row
MERGE (o:Outlet {id: row.id})
SET o += row.props
"""

IMPORT_ARTICLES_CYPHER = """
UNWIND $rows AS row
MERGE (art:Article {id: row.id})
SET art += row.props
"""

IMPORT_PUBLISHERS_CYPHER = LINK_PUBLISHERS_CYPHER  # the writer's: the same rows, the same MERGE

IMPORT_ACTOR_PROPS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a += row.props
SET a.search = toLower(a.name + ' | ' + reduce(s = '', x IN a.aliases | s + x + ' | '))
"""

IMPORT_MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (art:Article {id: row.article_id})
MATCH (a:Actor {id: row.actor_id})
MERGE (art)-[m:MENTIONS]->(a)
SET m.aliases = row.aliases
"""

IMPORT_SAME_AS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.a})
MATCH (b:Actor {id: row.b})
MERGE (a)-[:SAME_AS]->(b)
"""

STATEMENTS: dict[str, str] = {
    **{name: globals()[name] for name in __all__},
    **{f"IMPORT_NODES[{':'.join(x for x in k if x)}]": v for k, v in IMPORT_NODES.items()},
    **{f"IMPORT_RELATIONSHIPS[{':'.join(k)}]": v for k, v in IMPORT_RELATIONSHIPS.items()},
}
