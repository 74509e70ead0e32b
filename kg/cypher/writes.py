"""What the writer (kg/writer.py) sends: article, actor, fact and evidence writes in UNWIND batches, the fact
summaries recomputed in the same transaction, forgetting an article, and the graph counts.

Constants only: parameters carry every value, so no user input ever becomes query text. Statements that need a
label or relationship type are generated here from the ontology's names (Cypher cannot take those as
parameters). Registered in `STATEMENTS` (every one is linted by tests/test_cypher_lint.py) and run on the local
ArcadeDB server as well as accepted by Neo4j 5.
"""

from __future__ import annotations

from typing import LiteralString

from kg.cypher.fragments import ROLE_RELATIONS, ROLE_UNION, trusted
from ontology.models import FACT_LABELS, ActorType
from ontology.vocabulary import vocabulary

__all__ = [
    "ACTOR_FACT_COUNTS_CYPHER",
    "ADD_ACTOR_ARTICLES_CYPHER",
    "ADD_CO_MENTIONS_CYPHER",
    "ADD_CO_MENTIONS_FROM_B_CYPHER",
    "ADVANCE_GRAPH_VERSION_CYPHER",
    "ALL_FACT_IDS_CYPHER",
    "ARTICLE_ACTORS_CYPHER",
    "ARTICLE_ACTOR_SETS_CYPHER",
    "ARTICLE_FACTS_CYPHER",
    "CLEAR_ACTOR_ARTICLES_CYPHER",
    "CLEAR_FACT_COUNTS_CYPHER",
    "COUNT_BY_LABEL_CYPHER",
    "COUNT_BY_TYPE_CYPHER",
    "CO_MENTIONS_OF_CYPHER",
    "CREATE_ACTOR",
    "CREATE_CONFLICTS_CYPHER",
    "DELETE_ALL_NAMES_CYPHER",
    "DELETE_ARTICLE_CYPHER",
    "DELETE_ARTICLE_EVIDENCE_CYPHER",
    "DELETE_CO_MENTIONS_CYPHER",
    "DELETE_EMPTY_CO_MENTIONS_CYPHER",
    "DELETE_FACT_CONFLICTS_CYPHER",
    "DELETE_NAMES_CYPHER",
    "DELETE_UNMENTIONED_ACTORS_CYPHER",
    "DELETE_UNSUPPORTED_FACTS_CYPHER",
    "EXISTING_ACTORS_CYPHER",
    "FACT_EVIDENCE_CYPHER",
    "FACT_MENTIONED_ACTORS_CYPHER",
    "FACT_NAMES_CYPHER",
    "FACT_ORDER_INPUTS_CYPHER",
    "FACT_ROLES_CYPHER",
    "FIND_ARTICLES_CYPHER",
    "FIND_ARTICLE_CYPHER",
    "LINK_CITES_CYPHER",
    "LINK_EVIDENCE_MENTIONS_CYPHER",
    "LINK_PUBLISHERS_CYPHER",
    "LINK_ROLE",
    "RELEASE_ARTICLE_ROLES_CYPHER",
    "SAME_AS_CANON_CYPHER",
    "SET_ACTOR_FACT_COUNTS_CYPHER",
    "SET_CO_TOP_CYPHER",
    "SET_FACT_ORDER_CYPHER",
    "SET_FACT_SUMMARY_CYPHER",
    "SET_NAMES_CYPHER",
    "STALE_ARTICLES_CYPHER",
    "UPSERT_ACTORS_CYPHER",
    "UPSERT_ARTICLES_CYPHER",
    "UPSERT_EVIDENCE_CYPHER",
    "UPSERT_FACT",
    "UPSERT_OUTLETS_CYPHER",
]

# ---------------------------------------------------------------- article writes (a batch per transaction)
# Rows carry their article's id, so one UNWIND covers every article of a batch.

# Two index seeks joined by UNION, not one MATCH with `a.id = ... OR a.source_key = ...`: ArcadeDB answers the
# OR with a scan of every article.
FIND_ARTICLES_CYPHER = """
UNWIND $keys AS key
MATCH (a:Article {id: key.id})
RETURN key.id AS key_id, a.id AS id, a.source_key AS source_key, a.extractor_fingerprint AS fingerprint
UNION
UNWIND $keys AS key
MATCH (a:Article {source_key: key.source_key})
RETURN key.id AS key_id, a.id AS id, a.source_key AS source_key, a.extractor_fingerprint AS fingerprint
"""

FIND_ARTICLE_CYPHER = """
MATCH (a:Article {id: $id})
RETURN a.id AS id, a.source_key AS source_key
"""

UPSERT_OUTLETS_CYPHER = """
UNWIND $rows AS row
MERGE (o:Outlet {id: row.id})
ON CREATE SET o.name = row.name
SET o.prior = row.prior, o.prior_note = row.prior_note, o.kind = row.kind, o.known = row.known
"""

UPSERT_ARTICLES_CYPHER = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.doc_id = row.doc_id, a.url = row.url, a.title = row.title, a.published = row.published,
    a.outlet = row.outlet, a.outlet_id = row.outlet_id, a.source_key = row.source_key,
    a.source_path = row.source_path, a.text = row.text, a.extractor_version = row.extractor_version,
    a.extractor_fingerprint = row.extractor_fingerprint, a.outlet_given = row.outlet_given,
    a.extraction = row.extraction
"""

# The stored articles another extractor made (or made before fingerprints existed), a page at a time in id
# order: what `kg reextract` reads back to extract again.
STALE_ARTICLES_CYPHER = """
MATCH (a:Article)
WHERE a.id > $after AND (a.extractor_fingerprint IS NULL OR a.extractor_fingerprint <> $fingerprint)
RETURN a.id AS id, a.doc_id AS doc_id, a.text AS text, a.title AS title, a.outlet_given AS outlet_given,
       a.outlet AS outlet, a.published AS published, a.url AS url, a.source_path AS source_path
ORDER BY a.id
LIMIT $limit
"""

LINK_PUBLISHERS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (o:Outlet {id: row.outlet_id})
MERGE (a)-[:PUBLISHED_BY]->(o)
"""

EXISTING_ACTORS_CYPHER = """
UNWIND $ids AS id
MATCH (a:Actor {id: id})
RETURN a.id AS id, a.aliases AS aliases
"""

UPSERT_ACTORS_CYPHER = """
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
ON CREATE SET a.name = row.name, a.name_lower = toLower(row.name), a.type = row.type, a.aliases = [],
              a.source = row.source
SET a.aliases = row.all_aliases, a.wikidata = coalesce(row.wikidata, a.wikidata)
SET a.search = toLower(a.name + ' | ' + reduce(s = '', x IN a.aliases | s + x + ' | '))
WITH a, row
MATCH (art:Article {id: row.article_id})
MERGE (art)-[m:MENTIONS]->(a)
SET m.aliases = row.aliases
"""

UPSERT_EVIDENCE_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (art:Article {id: row.article_id})
MERGE (e:Evidence {id: row.id})
SET e += row.props
MERGE (f)-[:HAS_EVIDENCE]->(e)
MERGE (e)-[:REPORTED_IN]->(art)
"""

LINK_EVIDENCE_MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (e:Evidence {id: row.evidence_id})
MATCH (a:Actor {id: row.actor_id})
MERGE (e)-[:MENTIONS]->(a)
"""

LINK_CITES_CYPHER = """
UNWIND $rows AS row
MATCH (e:Evidence {id: row.evidence_id})
MATCH (o:Outlet {id: row.outlet_id})
MERGE (e)-[c:CITES]->(o)
SET c.as_written = row.as_written
"""

# ---------------------------------------------------------------- fact summaries (same transaction)

FACT_EVIDENCE_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[:HAS_EVIDENCE]->(e:Evidence)-[:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (e)-[:CITES]->(cited:Outlet)
WITH f, e, art, collect(cited.name) AS cited_ids, collect(cited.prior) AS cited_priors
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(pub:Outlet)
RETURN f.id AS fact_id, f.fact_type AS fact_type, f.negated AS negated, properties(e) AS evidence,
       e.id AS evidence_id, pub.name AS outlet_id, pub.prior AS outlet_prior, cited_ids, cited_priors
"""

FACT_ROLES_CYPHER = f"""
UNWIND $ids AS fid
MATCH (f:Fact {{id: fid}})-[r:{ROLE_UNION}]->(a:Actor)
RETURN f.id AS fact_id, type(r) AS role, r.position AS position, a.id AS actor_id, a.name AS name
"""

SET_FACT_SUMMARY_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.id})
SET f += row.props
"""

DELETE_FACT_CONFLICTS_CYPHER = """
UNWIND $ids AS fid
MATCH (e:Evidence {fact_id: fid})-[c:CONFLICTS_WITH]-(:Evidence)
DELETE c
"""

CREATE_CONFLICTS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Evidence {id: row.a})
MATCH (b:Evidence {id: row.b})
MERGE (a)-[c:CONFLICTS_WITH {id: row.id}]->(b)
SET c += row.props
"""

# ---------------------------------------------------------------- what the pages read (kg/names.py), same transaction

# The actors a fact's evidence sentences name (as the article named them; kg/names.py makes them canonical).
FACT_MENTIONED_ACTORS_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[:HAS_EVIDENCE]->(:Evidence)-[:MENTIONS]->(a:Actor)
RETURN fid AS fact_id, collect(DISTINCT a.id) AS actor_ids
"""

# A fact's NAMES edges as stored, with the dates they were computed from (read before the summary is set).
FACT_NAMES_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[n:NAMES]->(a:Actor)
RETURN fid AS fact_id, a.id AS actor_id, n.roles AS roles, n.key AS key, n.bucket AS bucket,
       n.rejected AS rejected, f.date_start AS date_start, f.date_stop AS date_stop
"""

DELETE_NAMES_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})-[n:NAMES]->(a:Actor {id: row.actor_id})
DELETE n
"""

SET_NAMES_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
MERGE (f)-[n:NAMES]->(a)
SET n.roles = row.roles, n.key = row.key, n.bucket = row.bucket, n.rejected = row.rejected
"""

ACTOR_FACT_COUNTS_CYPHER = """
UNWIND $ids AS aid
MATCH (a:Actor {id: aid})
RETURN a.id AS id, a.fact_counts AS fact_counts
"""

SET_ACTOR_FACT_COUNTS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a.fact_counts = row.fact_counts
"""

# Articles naming an actor, and naming two, kept from the articles written and deleted (a count of 0 removes
# the property, or the edge: a split gives back exactly the graph before the merge).
ADD_ACTOR_ARTICLES_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
WITH a, coalesce(a.n_articles, 0) + row.delta AS n
SET a.n_articles = CASE WHEN n = 0 THEN null ELSE n END
RETURN a.id AS id, n AS articles, a.co_top AS co_top, a.name AS name, a.type AS type
"""


def _add_co_mentions(pattern: str) -> str:
    """A pair's CO_MENTIONED edge (always a -> b, a's id the smaller) MERGEd through `pattern`: ArcadeDB looks
    for the edge among the edges of the node the pattern starts from, so the writer starts from the actor in
    fewer articles (kg.writer.co_mention_statements): a few edges to look through instead of a hub's thousands.
    Returns each pair's count now (the top lists' input, kg/names.py); a count of 0 is deleted after
    (DELETE_EMPTY_CO_MENTIONS_CYPHER)."""
    return f"""
UNWIND $rows AS row
MATCH (a:Actor {{id: row.a}})
MATCH (b:Actor {{id: row.b}})
MERGE {pattern}
SET c.articles = coalesce(c.articles, 0) + row.delta
RETURN row.a AS a, row.b AS b, c.articles AS articles
"""


ADD_CO_MENTIONS_CYPHER = _add_co_mentions("(a)-[c:CO_MENTIONED]->(b)")
ADD_CO_MENTIONS_FROM_B_CYPHER = _add_co_mentions("(b)<-[c:CO_MENTIONED]-(a)")

DELETE_EMPTY_CO_MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.a})-[c:CO_MENTIONED]->(b:Actor {id: row.b})
WHERE c.articles <= 0
DELETE c
"""

# An actor's every co-mention, to count its top list again where a count fell (kg/names.py).
CO_MENTIONS_OF_CYPHER = """
UNWIND $ids AS aid
MATCH (:Actor {id: aid})-[c:CO_MENTIONED]-(b:Actor)
RETURN aid AS id, b.id AS other, b.name AS name, b.type AS type, c.articles AS articles
"""

SET_CO_TOP_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a.co_top = row.top
"""

# Rebuilding them from scratch (kg.writer.rebuild_summaries: `kg import`, a graph written before they were
# kept), from the facts as stored: their dates and verdicts are left as they are.
FACT_ORDER_INPUTS_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})
RETURN f.id AS id, f.date_start AS date_start, f.date_stop AS date_stop, f.date_value AS date_value,
       f.rejected AS rejected
"""

SET_FACT_ORDER_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.id})
SET f.sort_key = row.sort_key, f.page_bucket = row.page_bucket
"""

SAME_AS_CANON_CYPHER = """
MATCH (m:Actor)-[:SAME_AS]->(c:Actor)
RETURN m.id AS id, c.id AS canonical
"""

ARTICLE_ACTOR_SETS_CYPHER = """
MATCH (art:Article)-[:MENTIONS]->(a:Actor)
RETURN art.id AS article_id, collect(a.id) AS actor_ids
"""

DELETE_CO_MENTIONS_CYPHER = """
MATCH (:Actor)-[c:CO_MENTIONED]->(:Actor)
DELETE c
"""

CLEAR_ACTOR_ARTICLES_CYPHER = """
MATCH (a:Actor)
WHERE a.n_articles IS NOT NULL OR a.co_top IS NOT NULL
SET a.n_articles = null, a.co_top = null
"""

CLEAR_FACT_COUNTS_CYPHER = """
MATCH (a:Actor)
WHERE a.fact_counts IS NOT NULL
SET a.fact_counts = null
"""

DELETE_ALL_NAMES_CYPHER = """
MATCH (:Fact)-[n:NAMES]->(:Actor)
DELETE n
"""

# ---------------------------------------------------------------- forgetting an article

ARTICLE_FACTS_CYPHER = """
MATCH (art:Article {id: $article_id})<-[:REPORTED_IN]-(e:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
RETURN DISTINCT f.id AS fact_id
"""

ARTICLE_ACTORS_CYPHER = """
MATCH (art:Article {id: $article_id})-[:MENTIONS]->(a:Actor)
RETURN a.id AS actor_id
"""

DELETE_ARTICLE_EVIDENCE_CYPHER = """
MATCH (art:Article {id: $article_id})<-[:REPORTED_IN]-(e:Evidence)
DETACH DELETE e
"""

DELETE_ARTICLE_CYPHER = """
MATCH (art:Article {id: $article_id})
DETACH DELETE art
"""

DELETE_UNSUPPORTED_FACTS_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})
WHERE NOT (f)-[:HAS_EVIDENCE]->(:Evidence)
DETACH DELETE f
RETURN count(*) AS deleted
"""

DELETE_UNMENTIONED_ACTORS_CYPHER = """
UNWIND $ids AS aid
MATCH (a:Actor {id: aid})
WHERE NOT (:Article)-[:MENTIONS]->(a)
DETACH DELETE a
RETURN count(*) AS deleted
"""

ALL_FACT_IDS_CYPHER = """
MATCH (f:Fact)
RETURN f.id AS id
"""

COUNT_BY_LABEL_CYPHER = """
MATCH (n)
RETURN labels(n) AS labels, count(n) AS n
"""

COUNT_BY_TYPE_CYPHER = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(r) AS n
"""


# ---------------------------------------------------------------- generated from the ontology


def _upsert_fact(label: str) -> str:
    # Not MERGE (f:Fact:Allegation {id: ...}): ArcadeDB plans a MERGE on two labels as a scan of every node
    # of the type label, while this existence check uses the Fact(id) index. Rows must have distinct ids
    # within one statement (the writer de-duplicates them).
    return (
        "UNWIND $rows AS row\n"
        "OPTIONAL MATCH (existing:Fact {id: row.id})\n"
        "WITH row\n"
        "WHERE existing IS NULL\n"
        f"CREATE (f:Fact:{vocabulary.label(label)} {{id: row.id, fact_type: row.fact_type, "
        "kind_family: row.kind_family, negated: row.negated})"
    )


def _link_role(relation: str) -> str:
    rel_type = vocabulary.rel_type(relation)
    return (
        "UNWIND $rows AS row\n"
        "MATCH (f:Fact {id: row.fact_id})\n"
        "MATCH (a:Actor {id: row.actor_id})\n"
        f"MERGE (f)-[r:{rel_type}]->(a)\n"
        # Each role keeps the articles that give it, so that replacing or re-extracting an article takes back
        # the roles only it gave (a row without an article, as from an RDF import, leaves the list alone).
        # Kept sorted (an insertion in order), so the list does not depend on the order articles were written
        # in: a split that writes some articles again gives back exactly the graph before the merge.
        "SET r.position = row.position,\n"
        "    r.articles = CASE WHEN row.article_id IS NULL OR row.article_id IN coalesce(r.articles, [])\n"
        "                 THEN r.articles ELSE [x IN coalesce(r.articles, []) WHERE x < row.article_id]\n"
        "                      + [row.article_id] + [x IN coalesce(r.articles, []) WHERE x > row.article_id] END"
    )


# Before an article's evidence goes: its id leaves the roles of its facts; roles no article gives any more
# are removed (roles written before articles were recorded on them, `articles` null, stay).
RELEASE_ARTICLE_ROLES_CYPHER = trusted(
    "MATCH (art:Article {id: $article_id})<-[:REPORTED_IN]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)\n"
    "WITH DISTINCT f\n"
    f"MATCH (f)-[r:{ROLE_UNION}]->(:Actor)\n"
    "WHERE $article_id IN coalesce(r.articles, [])\n"
    "SET r.articles = [x IN r.articles WHERE x <> $article_id]\n"
    "WITH r\n"
    "WHERE size(r.articles) = 0\n"
    "DELETE r"
)


def _create_actor(actor_type: str) -> str:
    # Labels are given at creation: ArcadeDB cannot add a label to a node with a unique key in the
    # transaction that created it, and an actor keeps the type it was first written with.
    label = vocabulary.label(actor_type)
    return (
        "UNWIND $rows AS row\n"
        f"CREATE (a:Actor:{label} {{id: row.id, name: row.name, name_lower: toLower(row.name), type: row.type,\n"
        "                          aliases: [], source: row.source})"
    )


# ---------------------------------------------------------------- the graph version
# One bookkeeping node (outside the ontology: it describes the database, not the news) whose counter every
# write transaction advances before it commits, so a reader can key its caches on "the graph as of version N"
# and see a write from any process (the CLI, another app) on its next read.
ADVANCE_GRAPH_VERSION_CYPHER = """
MERGE (v:GraphVersion {id: 'graph'})
SET v.version = coalesce(v.version, 0) + 1
"""


UPSERT_FACT: dict[str, LiteralString] = {label.value: trusted(_upsert_fact(label.value)) for label in FACT_LABELS}
LINK_ROLE: dict[str, LiteralString] = {rel: trusted(_link_role(rel)) for rel in ROLE_RELATIONS}
CREATE_ACTOR: dict[str, LiteralString] = {t.value: trusted(_create_actor(t.value)) for t in ActorType}


STATEMENTS: dict[str, str] = {
    **{name: globals()[name] for name in __all__ if name.endswith("_CYPHER")},
    **{f"UPSERT_FACT[{k}]": v for k, v in UPSERT_FACT.items()},
    **{f"LINK_ROLE[{k}]": v for k, v in LINK_ROLE.items()},
    **{f"CREATE_ACTOR[{k}]": v for k, v in CREATE_ACTOR.items()},
}
