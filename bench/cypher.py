"""Statements only the benchmark (bench/) sends: housekeeping (including WIPE_BATCH_CYPHER, which deletes the
whole graph), the bulk loader's, the query arguments. Not part of the product package `kg`.

The bulk loader (bench/bulk.py) writes the nodes, relationships and properties kg/writer.py writes, with
thousands of rows per statement; where kg/cypher/writes.py already has a statement of that shape the loader
uses it, and only the ones it lacks are here. Parameters carry every value. Registered in `STATEMENTS`, which
tests/test_cypher_lint.py lints along with kg/cypher/.
"""

from __future__ import annotations

from typing import LiteralString

from kg.cypher.export import IMPORT_MENTIONS_CYPHER
from kg.cypher.fragments import ROLE_RELATIONS, trusted
from ontology.vocabulary import vocabulary

__all__ = [
    "CREATE_ARTICLES_CYPHER",
    "CREATE_CITES_CYPHER",
    "CREATE_CO_MENTIONS_CYPHER",
    "CREATE_EVIDENCE_CYPHER",
    "CREATE_NAMES_CYPHER",
    "CREATE_PUBLISHED_BY_CYPHER",
    "CREATE_ROLE",
    "DUMP_NODES_CYPHER",
    "DUMP_RELATIONSHIPS_CYPHER",
    "FACT_WEIGHTS_CYPHER",
    "LINK_MENTIONS_CYPHER",
    "SET_ACTOR_ALIASES_CYPHER",
    "WIPE_BATCH_CYPHER",
]

# ---------------------------------------------------------------- housekeeping

WIPE_BATCH_CYPHER = """
MATCH (n)
WITH n
LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
"""

DUMP_NODES_CYPHER = """
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
"""

DUMP_RELATIONSHIPS_CYPHER = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props
"""

# ---------------------------------------------------------------- bulk load
# The writer updates an actor's aliases and links the article in one statement per batch
# (UPSERT_ACTORS_CYPHER); the loader links mentions on their own (merge mode; create mode nests them in
# CREATE_ARTICLES_CYPHER) and sets each actor's aliases once, from their union, at the end.

SET_ACTOR_ALIASES_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a.aliases = row.aliases, a.search = row.search, a.wikidata = row.wikidata
"""

LINK_MENTIONS_CYPHER = IMPORT_MENTIONS_CYPHER  # `kg import` links mentions with the same rows and MERGE

# ---------------------------------------------------------------- bulk load of a fresh graph (create only)
# Rows are known to be new and de-duplicated by the loader (facts are created with the writer's own
# index-backed UPSERT_FACT), so relationships are created without MERGE's look at existing edges,
# properties go in the CREATE map, and one row per article carries its children (one Article lookup per
# article instead of one per child row): about twice the rows per second of the flat form.

CREATE_ARTICLES_CYPHER = """
UNWIND $rows AS row
CREATE (art:Article {id: row.id, doc_id: row.doc_id, url: row.url, title: row.title, published: row.published,
                     outlet: row.outlet, outlet_id: row.outlet_id, source_key: row.source_key,
                     source_path: row.source_path, text: row.text, extractor_version: row.extractor_version,
                     extractor_fingerprint: row.extractor_fingerprint, outlet_given: row.outlet_given,
                     extraction: row.extraction})
WITH art, row
UNWIND row.mentions AS m
MATCH (a:Actor {id: m.actor_id})
CREATE (art)-[:MENTIONS {aliases: m.aliases}]->(a)
"""

CREATE_PUBLISHED_BY_CYPHER = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (o:Outlet {id: row.outlet_id})
CREATE (a)-[:PUBLISHED_BY]->(o)
"""

CREATE_EVIDENCE_CYPHER = """
UNWIND $rows AS row
MATCH (art:Article {id: row.article_id})
UNWIND row.evidence AS ev
MATCH (f:Fact {id: ev.fact_id})
CREATE (e:Evidence {id: ev.id})
SET e += ev.props
CREATE (f)-[:HAS_EVIDENCE]->(e)
CREATE (e)-[:REPORTED_IN]->(art)
WITH e, ev
UNWIND ev.mentions AS actor_id
MATCH (a:Actor {id: actor_id})
CREATE (e)-[:MENTIONS]->(a)
"""

CREATE_CITES_CYPHER = """
UNWIND $rows AS row
MATCH (e:Evidence {id: row.evidence_id})
MATCH (o:Outlet {id: row.outlet_id})
CREATE (e)-[:CITES {as_written: row.as_written}]->(o)
"""

# What the writer keeps for the pages (kg/names.py), rows from the same functions: created, not merged.
CREATE_NAMES_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
CREATE (f)-[n:NAMES {roles: row.roles, key: row.key, bucket: row.bucket}]->(a)
SET n.rejected = row.rejected
"""

CREATE_CO_MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.a})
MATCH (b:Actor {id: row.b})
CREATE (a)-[:CO_MENTIONED {articles: row.delta}]->(b)
"""

# ---------------------------------------------------------------- benchmark arguments

FACT_WEIGHTS_CYPHER = """
MATCH (f:Fact)
RETURN f.id AS id, f.n_evidence AS n
"""


# ---------------------------------------------------------------- generated from the ontology


def _create_role(relation: str) -> str:
    return (
        "UNWIND $rows AS row\n"
        "MATCH (f:Fact {id: row.fact_id})\n"
        "MATCH (a:Actor {id: row.actor_id})\n"
        f"CREATE (f)-[:{vocabulary.rel_type(relation)} {{position: row.position, articles: row.articles}}]->(a)"
    )


CREATE_ROLE: dict[str, LiteralString] = {rel: trusted(_create_role(rel)) for rel in ROLE_RELATIONS}



STATEMENTS: dict[str, str] = {
    **{name: globals()[name] for name in __all__ if name.endswith("_CYPHER")},
    **{f"CREATE_ROLE[{k}]": v for k, v in CREATE_ROLE.items()},
}
