"""Every Cypher statement the project sends, besides the DDL generated in kg/schema.py.

Constants only: parameters carry every value, so no user input ever becomes query text. Statements
that need a label or relationship type are generated here from the ontology's names (Cypher cannot
take those as parameters). Each statement is linted with Neo4j's own linter
(tests/test_cypher_lint.py) and runs on the local ArcadeDB server as well.
"""

from __future__ import annotations

from typing import LiteralString, cast

from ontology.models import FACT_LABELS, ActorType
from ontology.vocabulary import vocabulary

ROLE_RELATIONS = ("accuser", "accused", "issuer", "target", "involves")


def trusted(statement: str) -> LiteralString:
    """Mark a statement built from ontology names only (never from input) as query text."""
    return cast(LiteralString, statement)


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
    a.extractor_fingerprint = row.extractor_fingerprint, a.outlet_given = row.outlet_given
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
RETURN a.id AS id
"""

UPSERT_ACTORS_CYPHER = """
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
ON CREATE SET a.name = row.name, a.name_lower = toLower(row.name), a.type = row.type, a.aliases = [],
              a.source = row.source
SET a.aliases = [x IN a.aliases WHERE NOT x IN row.aliases] + row.aliases
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

FACT_ROLES_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[r:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]->(a:Actor)
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
        "SET r.position = row.position,\n"
        "    r.articles = CASE WHEN row.article_id IS NULL OR row.article_id IN coalesce(r.articles, [])\n"
        "                 THEN r.articles ELSE coalesce(r.articles, []) + [row.article_id] END"
    )


_ROLE_UNION = "|".join(vocabulary.rel_type(r) for r in ROLE_RELATIONS)

# Before an article's evidence goes: its id leaves the roles of its facts; roles no article gives any more
# are removed (roles written before articles were recorded on them, `articles` null, stay).
RELEASE_ARTICLE_ROLES_CYPHER = trusted(
    "MATCH (art:Article {id: $article_id})<-[:REPORTED_IN]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)\n"
    "WITH DISTINCT f\n"
    f"MATCH (f)-[r:{_ROLE_UNION}]->(:Actor)\n"
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


UPSERT_FACT: dict[str, LiteralString] = {label.value: trusted(_upsert_fact(label.value)) for label in FACT_LABELS}
LINK_ROLE: dict[str, LiteralString] = {rel: trusted(_link_role(rel)) for rel in ROLE_RELATIONS}
CREATE_ACTOR: dict[str, LiteralString] = {t.value: trusted(_create_actor(t.value)) for t in ActorType}


def cypher_statements() -> dict[str, str]:
    out: dict[str, str] = {}
    out.update({f"upsert_fact_{k}": v for k, v in UPSERT_FACT.items()})
    out.update({f"link_role_{k}": v for k, v in LINK_ROLE.items()})
    out.update({f"create_actor_{k}": v for k, v in CREATE_ACTOR.items()})
    return out


# ---------------------------------------------------------------- query layer (reads)

TIMELINE_CYPHER = """
MATCH (f:Fact)
WHERE ($fact_types IS NULL OR f.fact_type IN $fact_types)
  AND ($kinds IS NULL OR f.kind IN $kinds)
  AND ($since IS NULL OR f.date_stop >= $since)
  AND ($until IS NULL OR f.date_start <= $until)
  AND ($min_reliability IS NULL OR f.reliability >= $min_reliability)
  AND ($outlet_ids IS NULL OR EXISTS {
        MATCH (f)-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(:Article)-[:PUBLISHED_BY]->(o:Outlet)
        WHERE o.id IN $outlet_ids })
WITH f
ORDER BY f.date_start, f.date_value, f.id
LIMIT $limit
RETURN f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end, .date_precision,
          .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles, .n_evidence,
          .n_conflicts, .actor_names, .independent_reports, .sources} AS fact
"""

TIMELINE_BY_ACTOR_CYPHER = """
MATCH (a:Actor)<-[:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]-(f:Fact)
WHERE a.id IN $actor_ids
  AND ($fact_types IS NULL OR f.fact_type IN $fact_types)
  AND ($kinds IS NULL OR f.kind IN $kinds)
  AND ($since IS NULL OR f.date_stop >= $since)
  AND ($until IS NULL OR f.date_start <= $until)
  AND ($min_reliability IS NULL OR f.reliability >= $min_reliability)
  AND ($outlet_ids IS NULL OR EXISTS {
        MATCH (f)-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(:Article)-[:PUBLISHED_BY]->(o:Outlet)
        WHERE o.id IN $outlet_ids })
WITH DISTINCT f
ORDER BY f.date_start, f.date_value, f.id
LIMIT $limit
RETURN f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end, .date_precision,
          .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles, .n_evidence,
          .n_conflicts, .actor_names, .independent_reports, .sources} AS fact
"""

TIMELINE_BY_MENTION_CYPHER = """
MATCH (a:Actor)<-[:MENTIONS]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
WHERE a.id IN $actor_ids
  AND ($fact_types IS NULL OR f.fact_type IN $fact_types)
  AND ($kinds IS NULL OR f.kind IN $kinds)
  AND ($since IS NULL OR f.date_stop >= $since)
  AND ($until IS NULL OR f.date_start <= $until)
  AND ($min_reliability IS NULL OR f.reliability >= $min_reliability)
  AND ($outlet_ids IS NULL OR EXISTS {
        MATCH (f)-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(:Article)-[:PUBLISHED_BY]->(o:Outlet)
        WHERE o.id IN $outlet_ids })
WITH DISTINCT f
ORDER BY f.date_start, f.date_value, f.id
LIMIT $limit
RETURN f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end, .date_precision,
          .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles, .n_evidence,
          .n_conflicts, .actor_names, .independent_reports, .sources} AS fact
"""

FACT_OUTLETS_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
RETURN f.id AS fact_id, collect(DISTINCT coalesce(o.name, 'unknown outlet (' + art.doc_id + ')')) AS sources
"""

RESOLVE_ACTOR_CYPHER = """
MATCH (a:Actor)
WHERE a.id = $key OR a.name_lower = $lower
RETURN a.id AS id
UNION
MATCH (a:Actor)
WHERE any(x IN a.aliases WHERE toLower(x) = $lower)
RETURN a.id AS id
"""

FIND_ACTORS_CYPHER = """
MATCH (a:Actor)
WHERE $text = '' OR a.search CONTAINS $text
WITH a, COUNT { (a)<-[:MENTIONS]-(:Article) } AS articles
ORDER BY articles DESC, a.name
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.type AS type, a.aliases AS aliases, articles
"""

ACTOR_CYPHER = """
MATCH (a:Actor {id: $id})
RETURN a.id AS id, a.name AS name, a.type AS type, a.aliases AS aliases, a.source AS source,
       COUNT { (a)<-[:MENTIONS]-(:Article) } AS articles
"""

ACTOR_FACTS_CYPHER = """
MATCH (a:Actor {id: $id})<-[r:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]-(f:Fact)
WITH r, f
ORDER BY f.date_start, f.id
LIMIT $limit
RETURN type(r) AS role,
       f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end, .date_precision,
          .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles, .n_evidence,
          .n_conflicts, .actor_names, .independent_reports, .sources} AS fact
"""

# Counted over the actor's most recent $recent articles: exact for most actors, a sample of recent coverage
# for the few the news names daily (the United States is in half of all articles), whose exact count costs
# an aggregation over every mention of every one of their articles.
CO_MENTIONED_CYPHER = """
MATCH (a:Actor {id: $id})<-[:MENTIONS]-(art:Article)
WITH a, art
ORDER BY art.published DESC, art.id
LIMIT $recent
MATCH (art)-[:MENTIONS]->(b:Actor)
WHERE b.id <> a.id
WITH b, count(DISTINCT art) AS articles
ORDER BY articles DESC, b.name
LIMIT $limit
RETURN b.id AS id, b.name AS name, b.type AS type, articles
"""

NEIGHBOURHOOD_CYPHER = """
MATCH (a:Actor {id: $id})<-[r1:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]-(f:Fact)
      -[r2:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]->(b:Actor)
WHERE b.id <> a.id
RETURN f.id AS fact_id, f.fact_type AS fact_type, f.kind AS kind, type(r1) AS role_of_actor,
       type(r2) AS role_of_other, b.id AS other_id, b.name AS other_name, b.type AS other_type
LIMIT $limit
"""

TRACE_FACT_CYPHER = """
MATCH (f:Fact {id: $id})
RETURN f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end, .date_precision,
          .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles, .n_evidence,
          .n_conflicts, .actor_names, .independent_reports, .sources, .reliability_explanation} AS fact
"""

TRACE_EVIDENCE_CYPHER = """
MATCH (f:Fact {id: $id})-[:HAS_EVIDENCE]->(e:Evidence)-[:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
OPTIONAL MATCH (e)-[:CITES]->(c:Outlet)
WITH e, art, o, collect(c.name) AS cited
RETURN properties(e) AS evidence, art.id AS article_id, art.doc_id AS doc_id, art.title AS title,
       art.url AS url, art.published AS published, o.name AS outlet, o.prior AS outlet_prior, cited
ORDER BY art.published, art.doc_id, e.start
"""

ARTICLE_TEXTS_CYPHER = """
UNWIND $ids AS aid
MATCH (art:Article {id: aid})
RETURN art.id AS id, art.text AS text
"""

# `disputed` is true on facts with conflicts and absent elsewhere: an equality the Fact(disputed) index serves
# (ArcadeDB answers the range n_conflicts > 0 with a scan of every fact).
CONFLICTED_FACTS_CYPHER = """
MATCH (f:Fact {disputed: true})
RETURN f.id AS id, f.n_conflicts AS n
ORDER BY id
"""

# Starts from the facts (Fact(id) index), not from every Evidence node: most evidence has no conflict.
CONFLICTS_CYPHER = """
UNWIND $fact_ids AS fid
MATCH (f:Fact {id: fid})-[:HAS_EVIDENCE]->(ea:Evidence)-[c:CONFLICTS_WITH]->(eb:Evidence)
WITH f, ea, c, eb
ORDER BY f.id, c.id
LIMIT $limit
MATCH (ea)-[:REPORTED_IN]->(aa:Article)
MATCH (eb)-[:REPORTED_IN]->(ab:Article)
OPTIONAL MATCH (aa)-[:PUBLISHED_BY]->(oa:Outlet)
OPTIONAL MATCH (ab)-[:PUBLISHED_BY]->(ob:Outlet)
RETURN c.id AS id, c.field AS field, c.value_a AS value_a, c.value_b AS value_b, c.note AS note,
       f.id AS fact_id, f.title AS fact_title, f.reliability AS fact_reliability,
       properties(ea) AS evidence_a, aa.id AS article_a, aa.doc_id AS doc_a, aa.title AS title_a,
       aa.published AS published_a, oa.name AS outlet_a,
       properties(eb) AS evidence_b, ab.id AS article_b, ab.doc_id AS doc_b, ab.title AS title_b,
       ab.published AS published_b, ob.name AS outlet_b
ORDER BY fact_id, id
"""

SOURCES_CYPHER = """
MATCH (o:Outlet)
OPTIONAL MATCH (art:Article)-[:PUBLISHED_BY]->(o)
WITH o, count(art) AS articles
OPTIONAL MATCH (e:Evidence)-[:CITES]->(o)
WITH o, articles, count(e) AS citations
WHERE articles > 0 OR citations > 0 OR $include_unused
RETURN o.id AS id, o.name AS name, o.prior AS prior, o.prior_note AS prior_note, o.kind AS kind,
       o.known AS known, articles, citations
ORDER BY articles DESC, citations DESC, o.name
"""

PUBLISHING_OUTLETS_CYPHER = """
MATCH (o:Outlet)
WHERE EXISTS { MATCH (o)<-[:PUBLISHED_BY]-(:Article) }
RETURN o.id AS id, o.name AS name, o.prior AS prior
ORDER BY name
"""

OUTLET_FACT_STATS_CYPHER = """
MATCH (o:Outlet {id: $id})<-[:PUBLISHED_BY]-(art:Article)<-[:REPORTED_IN]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
WITH DISTINCT f
RETURN count(f) AS facts,
       sum(CASE WHEN f.n_articles > 1 THEN 1 ELSE 0 END) AS corroborated,
       avg(f.reliability) AS avg_reliability
"""

OUTLET_ARTICLES_CYPHER = """
MATCH (o:Outlet {id: $id})<-[:PUBLISHED_BY]-(art:Article)
OPTIONAL MATCH (art)<-[:REPORTED_IN]-(e:Evidence)
RETURN art.id AS id, art.doc_id AS doc_id, art.title AS title, art.url AS url, art.published AS published,
       count(e) AS evidence
ORDER BY art.published DESC, art.doc_id
LIMIT $limit
"""

UNPUBLISHED_ARTICLES_CYPHER = """
MATCH (art:Article)
WHERE NOT (art)-[:PUBLISHED_BY]->(:Outlet)
OPTIONAL MATCH (art)<-[:REPORTED_IN]-(e:Evidence)
RETURN art.id AS id, art.doc_id AS doc_id, art.title AS title, art.url AS url, art.published AS published,
       count(e) AS evidence
ORDER BY art.doc_id
LIMIT $limit
"""

ARTICLE_FACT_STATS_CYPHER = """
UNWIND $ids AS aid
MATCH (art:Article {id: aid})<-[:REPORTED_IN]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
WITH art, collect(DISTINCT f) AS facts
RETURN art.id AS id, size(facts) AS facts,
       size([x IN facts WHERE x.n_articles > 1]) AS corroborated,
       reduce(s = 0.0, x IN facts | s + coalesce(x.reliability, 0.0)) / size(facts) AS avg_reliability
"""

ARTICLE_CYPHER = """
MATCH (art:Article)
WHERE art.id = $key OR art.doc_id = $key
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
RETURN art.id AS id, art.doc_id AS doc_id, art.title AS title, art.url AS url, art.published AS published,
       art.text AS text, o.name AS outlet
LIMIT 1
"""

ARTICLE_FACTS_VIEW_CYPHER = """
MATCH (art:Article {id: $id})<-[:REPORTED_IN]-(e:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
RETURN DISTINCT f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end,
          .date_precision, .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles,
          .n_evidence, .n_conflicts, .actor_names, .independent_reports, .sources} AS fact
"""

ARTICLE_ACTORS_VIEW_CYPHER = """
MATCH (art:Article {id: $id})-[m:MENTIONS]->(a:Actor)
RETURN a.id AS id, a.name AS name, a.type AS type, m.aliases AS aliases
ORDER BY a.name
"""

SEARCH_EVIDENCE_CYPHER = """
MATCH (e:Evidence)
WHERE toLower(e.sentence) CONTAINS $text
MATCH (f:Fact)-[:HAS_EVIDENCE]->(e)
RETURN f.id AS fact_id, f.title AS title, f.fact_type AS fact_type, e.sentence AS sentence, e.doc_id AS doc_id
LIMIT $limit
"""

KINDS_CYPHER = """
MATCH (f:Fact)
RETURN f.fact_type AS fact_type, f.kind AS kind, count(f) AS n
ORDER BY fact_type, kind
"""

DATE_RANGE_CYPHER = """
MATCH (f:Fact)
WHERE f.date_start IS NOT NULL
RETURN min(f.date_start) AS first, max(f.date_stop) AS last
"""
