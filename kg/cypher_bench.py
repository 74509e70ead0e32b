"""Statements only the benchmark (bench/) sends: many articles' rows per statement.

They write the same nodes, relationships and properties as kg/writer.py's per-article statements, with
the article id carried in each row instead of a single `$article_id`/`$row` parameter, so one UNWIND can
cover a whole batch of articles. Parameters carry every value.
"""

from __future__ import annotations

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

# ---------------------------------------------------------------- batched article writes

FIND_ARTICLES_CYPHER = """
UNWIND $keys AS key
MATCH (a:Article)
WHERE a.id = key.id OR a.source_key = key.source_key
RETURN key.id AS key_id, a.id AS id, a.source_key AS source_key
"""

UPSERT_ARTICLES_CYPHER = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.doc_id = row.doc_id, a.url = row.url, a.title = row.title, a.published = row.published,
    a.outlet = row.outlet, a.outlet_id = row.outlet_id, a.source_key = row.source_key,
    a.source_path = row.source_path, a.text = row.text, a.extractor_version = row.extractor_version
"""

LINK_PUBLISHERS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (o:Outlet {id: row.outlet_id})
MERGE (a)-[:PUBLISHED_BY]->(o)
"""

UPSERT_MENTIONS_CYPHER = """
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

# Bulk load only (the synthetic 100k graph): actor properties set once from the union of their aliases,
# then the mention links on their own.

SET_ACTOR_ALIASES_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a.aliases = row.aliases, a.search = row.search
"""

LINK_MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (art:Article {id: row.article_id})
MATCH (a:Actor {id: row.actor_id})
MERGE (art)-[m:MENTIONS]->(a)
SET m.aliases = row.aliases
"""

# ---------------------------------------------------------------- query plans

COUNT_FACTS_CYPHER = """
MATCH (f:Fact)
RETURN count(f) AS facts
"""

# ---------------------------------------------------------------- bulk load of a fresh graph (create only)
# Rows are known to be new and de-duplicated by the loader, so nodes are created after an index-backed
# check instead of MERGE (a MERGE on two labels, (f:Fact:Allegation {id}), does not use the Fact(id) index
# on ArcadeDB and scans every Allegation), relationships are created without MERGE's look at existing
# edges, properties go in the CREATE map, and one row per article carries its children (one Article
# lookup per article instead of one per child row): about twice the rows per second of the flat form.

CREATE_ARTICLES_CYPHER = """
UNWIND $rows AS row
CREATE (art:Article {id: row.id, doc_id: row.doc_id, url: row.url, title: row.title, published: row.published,
                     outlet: row.outlet, outlet_id: row.outlet_id, source_key: row.source_key,
                     source_path: row.source_path, text: row.text, extractor_version: row.extractor_version})
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

CREATE_ALLEGATIONS_CYPHER = """
UNWIND $rows AS row
OPTIONAL MATCH (existing:Fact {id: row.id})
WITH row
WHERE existing IS NULL
CREATE (f:Fact:Allegation {id: row.id, fact_type: row.fact_type, kind_family: row.kind_family,
                           negated: row.negated})
"""

CREATE_GOVERNMENT_ACTIONS_CYPHER = """
UNWIND $rows AS row
OPTIONAL MATCH (existing:Fact {id: row.id})
WITH row
WHERE existing IS NULL
CREATE (f:Fact:GovernmentAction {id: row.id, fact_type: row.fact_type, kind_family: row.kind_family,
                                 negated: row.negated})
"""

CREATE_EVENTS_CYPHER = """
UNWIND $rows AS row
OPTIONAL MATCH (existing:Fact {id: row.id})
WITH row
WHERE existing IS NULL
CREATE (f:Fact:Event {id: row.id, fact_type: row.fact_type, kind_family: row.kind_family, negated: row.negated})
"""

CREATE_ACCUSER_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
CREATE (f)-[:ACCUSER {position: row.position}]->(a)
"""

CREATE_ACCUSED_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
CREATE (f)-[:ACCUSED {position: row.position}]->(a)
"""

CREATE_ISSUER_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
CREATE (f)-[:ISSUER {position: row.position}]->(a)
"""

CREATE_TARGET_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
CREATE (f)-[:TARGET {position: row.position}]->(a)
"""

CREATE_INVOLVES_CYPHER = """
UNWIND $rows AS row
MATCH (f:Fact {id: row.fact_id})
MATCH (a:Actor {id: row.actor_id})
CREATE (f)-[:INVOLVES {position: row.position}]->(a)
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

# ---------------------------------------------------------------- benchmark arguments

FACT_WEIGHTS_CYPHER = """
MATCH (f:Fact)
RETURN f.id AS id, f.n_evidence AS n
"""

# ---------------------------------------------------------------- proposed query statements (measured by bench/)
# Same results as their kg/cypher.py namesakes unless said otherwise; the differences are what the optimizer
# can use: typed relationships let ArcadeDB start from the Actor(id) index instead of scanning every Fact,
# and conflicts start from the facts that have any (Fact(n_conflicts) index) instead of scanning Evidence.

PROPOSED_TIMELINE_BY_ACTOR_CYPHER = """
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
          .n_conflicts, .actor_names, .independent_reports} AS fact
"""

PROPOSED_ACTOR_CYPHER = """
MATCH (a:Actor {id: $id})
RETURN a.id AS id, a.name AS name, a.type AS type, a.aliases AS aliases, a.source AS source,
       COUNT { (a)<-[:MENTIONS]-(:Article) } AS articles
"""

PROPOSED_ACTOR_FACTS_CYPHER = """
MATCH (a:Actor {id: $id})<-[r:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]-(f:Fact)
RETURN type(r) AS role,
       f {.id, .fact_type, .kind, .kinds, .title, .status, .negated, .date_value, .date_end, .date_precision,
          .date_qualifier, .date_start, .date_stop, .date_display, .reliability, .n_articles, .n_evidence,
          .n_conflicts, .actor_names, .independent_reports} AS fact
ORDER BY f.date_start, f.id
LIMIT $limit
"""

# Differs: counts co-mentions in the actor's 1,000 most recent articles, not in all of them.
PROPOSED_CO_MENTIONED_CYPHER = """
MATCH (a:Actor {id: $id})<-[:MENTIONS]-(art:Article)
WITH a, art
ORDER BY art.published DESC
LIMIT 1000
MATCH (art)-[:MENTIONS]->(b:Actor)
WHERE b.id <> a.id
WITH b, count(DISTINCT art) AS articles
ORDER BY articles DESC, b.name
LIMIT $limit
RETURN b.id AS id, b.name AS name, b.type AS type, articles
"""

PROPOSED_NEIGHBOURHOOD_CYPHER = """
MATCH (a:Actor {id: $id})<-[r1:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]-(f:Fact)
      -[r2:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]->(b:Actor)
WHERE b.id <> a.id
RETURN f.id AS fact_id, f.fact_type AS fact_type, f.kind AS kind, type(r1) AS role_of_actor,
       type(r2) AS role_of_other, b.id AS other_id, b.name AS other_name, b.type AS other_type
LIMIT $limit
"""

PROPOSED_CONFLICTED_FACTS_CYPHER = """
MATCH (f:Fact)
WHERE f.n_conflicts > 0
RETURN f.id AS id, f.n_conflicts AS n
"""

PROPOSED_CONFLICTS_CYPHER = """
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

PROPOSED_FACT_CONFLICTS_INDEX_CYPHER = """
CREATE INDEX fact_n_conflicts IF NOT EXISTS FOR (n:Fact) ON (n.n_conflicts)
"""

# ---------------------------------------------------------------- index experiment (dropped, measured, rebuilt)

DROP_ACTOR_ID_CYPHER = """
DROP CONSTRAINT actor_id IF EXISTS
"""

DROP_ACTOR_NAME_LOWER_CYPHER = """
DROP INDEX actor_name_lower IF EXISTS
"""

DROP_FACT_ID_CYPHER = """
DROP CONSTRAINT fact_id IF EXISTS
"""

DROP_ARTICLE_ID_CYPHER = """
DROP CONSTRAINT article_id IF EXISTS
"""

DROP_FACT_N_CONFLICTS_CYPHER = """
DROP INDEX fact_n_conflicts IF EXISTS
"""
