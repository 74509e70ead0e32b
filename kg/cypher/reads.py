"""What the query layer (kg/queries.py) reads: timelines, actors, facts and their evidence, conflicts, outlets,
articles, search.

Constants only, every value a parameter. The role union, the fact projection and the timeline filter come from
kg/cypher/fragments.py (generated once from the ontology's names). Registered in `STATEMENTS` (linted by
tests/test_cypher_lint.py); each runs on ArcadeDB and is accepted by Neo4j 5.
"""

from __future__ import annotations

from kg.cypher.fragments import (
    FACT_PROJECTION,
    LIST_PROJECTION,
    ROLE_UNION,
    TIMELINE_FILTERS,
    TIMELINE_PAGE,
    fact_projection,
)

__all__ = [
    "ACTOR_CYPHER",
    "ACTOR_FACTS_CYPHER",
    "ACTOR_FACT_COUNTS_READ_CYPHER",
    "ACTOR_PAGE_CYPHER",
    "ARTICLE_ACTORS_VIEW_CYPHER",
    "ARTICLE_CYPHER",
    "ARTICLE_FACTS_VIEW_CYPHER",
    "ARTICLE_FACT_STATS_CYPHER",
    "ARTICLE_TEXTS_CYPHER",
    "CANONICAL_ACTOR_CYPHER",
    "CONFLICTED_FACTS_CYPHER",
    "CONFLICTED_FACTS_PAGE_CYPHER",
    "CONFLICTS_CYPHER",
    "CONFLICTS_PAGE_CYPHER",
    "CO_MENTIONS_CYPHER",
    "DATE_RANGE_CYPHER",
    "FACT_OUTLETS_CYPHER",
    "FIND_ACTORS_CYPHER",
    "GRAPH_VERSION_CYPHER",
    "KINDS_CYPHER",
    "MERGED_ACTORS_CYPHER",
    "MERGED_ARTICLES_CYPHER",
    "NAMED_PAGE_CYPHER",
    "NEIGHBOURHOOD_CYPHER",
    "OUTLET_ARTICLES_CYPHER",
    "PUBLISHING_OUTLETS_CYPHER",
    "RESOLVE_ACTOR_CYPHER",
    "RESOLVE_ALIAS_CYPHER",
    "ROLE_PAGES_CYPHER",
    "SEARCH_EVIDENCE_CYPHER",
    "SOURCES_CYPHER",
    "STORY_QUOTES_CYPHER",
    "TIMELINE_BY_ACTOR_CYPHER",
    "TIMELINE_CYPHER",
    "TIMELINE_PAGE_CYPHER",
    "TRACE_EVIDENCE_CYPHER",
    "TRACE_FACT_CYPHER",
    "TRACE_ROLES_CYPHER",
    "UNPUBLISHED_ARTICLES_CYPHER",
]


def _conflicts(where: str, evidence: str) -> str:
    """Conflicts of the facts `$fact_ids`, side by side: `where` filters the pairs (the page's cursor),
    `evidence` projects each side's evidence (every property, or the fields a list shows)."""
    side = {x: evidence.format(e=f"e{x}") for x in ("a", "b")}
    return f"""
UNWIND $fact_ids AS fid
MATCH (f:Fact {{id: fid}})-[:HAS_EVIDENCE]->(ea:Evidence)-[c:CONFLICTS_WITH]->(eb:Evidence)
{where}WITH f, ea, c, eb
ORDER BY f.id, c.id
LIMIT $limit
MATCH (ea)-[:REPORTED_IN]->(aa:Article)
MATCH (eb)-[:REPORTED_IN]->(ab:Article)
OPTIONAL MATCH (aa)-[:PUBLISHED_BY]->(oa:Outlet)
OPTIONAL MATCH (ab)-[:PUBLISHED_BY]->(ob:Outlet)
RETURN c.id AS id, c.field AS field, c.value_a AS value_a, c.value_b AS value_b, c.note AS note,
       f.id AS fact_id, f.title AS fact_title, f.reliability AS fact_reliability,
       {side["a"]} AS evidence_a, aa.id AS article_a, aa.doc_id AS doc_a, aa.title AS title_a,
       aa.published AS published_a, oa.name AS outlet_a,
       {side["b"]} AS evidence_b, ab.id AS article_b, ab.doc_id AS doc_b, ab.title AS title_b,
       ab.published AS published_b, ob.name AS outlet_b
ORDER BY fact_id, id
"""


def _timeline(match: str, where: str = "", with_: str = "WITH f") -> str:
    """A timeline query: the facts `match` reaches, through the optional filters, in date order, paged."""
    return f"""
MATCH {match}
WHERE {where}{TIMELINE_FILTERS}
{with_}
{TIMELINE_PAGE}
"""


TIMELINE_CYPHER = _timeline("(f:Fact)")

# The facts naming these actors (NAMES, kept by the writer: a role, or a sentence naming it), each once; `roles`
# 0 when every one of them is only named in a sentence ("MENTIONED"). The whole answer: see NAMED_PAGE_CYPHER.
TIMELINE_BY_ACTOR_CYPHER = f"""
MATCH (a:Actor)<-[n:NAMES]-(f:Fact)
WHERE a.id IN $actor_ids
  AND {TIMELINE_FILTERS}
WITH f, max(size(n.roles)) AS roles
ORDER BY f.sort_key
LIMIT $limit
RETURN roles, {FACT_PROJECTION} AS fact
"""

# ---------------------------------------------------------------- pages (kg/names.py; kg.queries *_page)
# A page is read through index seeks on page buckets (an actor's start months, or the facts' own), never by
# walking every fact of a hub actor: the buckets the caller names, the keys in [$after, $upper), in key order.

# An actor's facts (several actors': the same fact once), optionally only those where it has $role.
NAMED_PAGE_CYPHER = f"""
MATCH ()-[n:NAMES]->()
WHERE n.bucket IN $buckets
  AND ($after IS NULL OR n.key > $after)
  AND ($upper IS NULL OR n.key < $upper)
  AND ($include_rejected OR n.rejected IS NULL)
  AND ($role IS NULL OR $role IN n.roles)
WITH startNode(n) AS f, n
WHERE {TIMELINE_FILTERS}
WITH f, n.key AS key, max(size(n.roles)) AS roles
ORDER BY key
LIMIT $limit
RETURN key, roles, {LIST_PROJECTION} AS fact
"""

# Every fact's timeline (no actor chosen): the facts' own page buckets (Fact(page_bucket) index).
TIMELINE_PAGE_CYPHER = f"""
MATCH (f:Fact)
WHERE f.page_bucket IN $buckets
  AND ($after IS NULL OR f.sort_key > $after)
  AND ($upper IS NULL OR f.sort_key < $upper)
  AND {TIMELINE_FILTERS}
WITH f
ORDER BY f.sort_key
LIMIT $limit
RETURN f.sort_key AS key, {LIST_PROJECTION} AS fact
"""

ACTOR_FACT_COUNTS_READ_CYPHER = """
UNWIND $ids AS aid
MATCH (a:Actor {id: aid})
RETURN a.id AS id, a.fact_counts AS fact_counts
"""

# One page of the conflicts list, in (fact id, conflict id) order: the disputed facts from the cursor's fact on
# (a page bucket or two of them: Fact(dispute_bucket), the first hex digit of the id; each fact says how many
# conflicts it has), then the conflicts of those facts after the
# cursor "<fact id> <conflict id>", with only the evidence fields the list shows (the trace has the rest).
CONFLICTED_FACTS_PAGE_CYPHER = """
MATCH (f:Fact)
WHERE f.dispute_bucket IN $buckets
  AND ($after_fact IS NULL OR f.id >= $after_fact)
RETURN f.id AS id, f.n_conflicts AS n
ORDER BY id
LIMIT $limit
"""

CONFLICTS_PAGE_CYPHER = _conflicts(
    "WHERE $after IS NULL OR f.id + ' ' + c.id > $after\n",
    "{e} {{.id, .sentence, .start, .end, .attributions, .attribution_kind, .hedges, .date_value}}")

FACT_OUTLETS_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
RETURN f.id AS fact_id, collect(DISTINCT coalesce(o.name, 'unknown outlet (' + art.doc_id + ')')) AS sources
"""

# The actor with this id or name, with the actor a curator merged it into (if any): two index seeks (not one OR,
# which ArcadeDB answers with a scan); kg.queries.resolve_actor looks at aliases (RESOLVE_ALIAS) only when
# neither matches, since that reads every actor.
RESOLVE_ACTOR_CYPHER = """
MATCH (a:Actor {id: $key})
OPTIONAL MATCH (a)-[:SAME_AS]->(c:Actor)
RETURN a.id AS id, c.id AS canonical, CASE WHEN c IS NULL THEN a.fact_counts ELSE c.fact_counts END AS fact_counts
UNION
MATCH (a:Actor {name_lower: $lower})
OPTIONAL MATCH (a)-[:SAME_AS]->(c:Actor)
RETURN a.id AS id, c.id AS canonical, CASE WHEN c IS NULL THEN a.fact_counts ELSE c.fact_counts END AS fact_counts
"""

RESOLVE_ALIAS_CYPHER = """
MATCH (a:Actor)
WHERE any(x IN a.aliases WHERE toLower(x) = $lower)
OPTIONAL MATCH (a)-[:SAME_AS]->(c:Actor)
RETURN a.id AS id, c.id AS canonical, CASE WHEN c IS NULL THEN a.fact_counts ELSE c.fact_counts END AS fact_counts
"""

# An actor a curator merged into another is found as that actor (its names are searched with it), not listed.
FIND_ACTORS_CYPHER = """
MATCH (a:Actor)
WHERE NOT (a)-[:SAME_AS]->(:Actor)
  AND ($text = '' OR a.search CONTAINS $text
       OR EXISTS { MATCH (a)<-[:SAME_AS]-(m:Actor) WHERE m.search CONTAINS $text })
WITH a, coalesce(a.n_articles, 0) AS articles
ORDER BY articles DESC, a.name
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.type AS type, a.aliases AS aliases, articles
"""

# ---------------------------------------------------------------- the actor page, in one round trip
# Its parts are UNION ALL'd (each row: `part`, and the part's own `role`, `key`, `data`, `named`; a map literal
# holding a map projection comes back as the projection alone from ArcadeDB), since every round trip
# waits for a CPU on a busy server (bench/README.md): the header (with who it is named with, kept on write in
# `co_top`: kg/names.py), each role's first page.

# The actor with the actors a curator merged into it: their names and aliases are its aliases, their
# articles its articles (the actor's own count is kept on write: kg/names.py; with members, MERGED_ARTICLES).
ACTOR_CYPHER = """
MATCH (a:Actor {id: $id})
OPTIONAL MATCH (a)<-[:SAME_AS]-(m:Actor)
WITH a, collect(m) AS members
RETURN 'actor' AS part, null AS role, null AS key,
       {id: a.id, name: a.name, type: a.type, aliases: a.aliases, source: a.source,
        member_aliases: [x IN members | x.name] + reduce(s = [], x IN members | s + x.aliases),
        merged: [x IN members | x.id], articles: coalesce(a.n_articles, 0),
        wikidata: [x IN [a] + members WHERE x.wikidata IS NOT NULL | x.wikidata], co_top: a.co_top} AS data,
       null AS named
"""

# Who is named with the actor, counted from its CO_MENTIONED edges: for a graph whose actors have no top list
# yet (written before `co_top` was kept; `kg refresh --summaries` adds them), else the header's `co_top`.
CO_MENTIONS_CYPHER = """
MATCH (:Actor {id: $id})-[c:CO_MENTIONED]-(b:Actor)
WITH b, c.articles AS articles
ORDER BY articles DESC, b.name, b.id
LIMIT $co_limit
RETURN b.id AS id, b.name AS name, b.type AS type, articles
"""

# The first page of each of the actor's $roles (per role the first $limit by key in [$lower, $upper), from the
# NAMES page buckets the caller names), each of the first $named facts with the actors it names and their roles
# (the page's neighbourhood: from the facts shown, never from the actor's every role edge). Alone, the next
# round for the roles the first one left short.
ROLE_PAGES_CYPHER = f"""
MATCH ()-[n:NAMES]->()
WHERE n.bucket IN $buckets
  AND ($lower IS NULL OR n.key >= $lower)
  AND ($upper IS NULL OR n.key < $upper)
  AND ($include_rejected OR n.rejected IS NULL)
  AND size(n.roles) > 0
UNWIND n.roles AS role
WITH role, n.key AS key, startNode(n) AS f
WHERE role IN $roles
ORDER BY key
WITH role, collect(f)[0..$limit] AS facts
UNWIND range(0, size(facts) - 1) AS i
WITH role, i, facts[i] AS f
OPTIONAL MATCH (f)-[x:NAMES]->(b:Actor)
WHERE i < $named AND size(x.roles) > 0
WITH role, i, f, collect({{roles: x.roles, id: b.id, name: b.name, type: b.type}}) AS named
RETURN 'role_page' AS part, role, f.sort_key AS key, {LIST_PROJECTION} AS data, named
"""

ACTOR_PAGE_CYPHER = ACTOR_CYPHER + "UNION ALL" + ROLE_PAGES_CYPHER

MERGED_ARTICLES_CYPHER = """
UNWIND $ids AS aid
MATCH (:Actor {id: aid})<-[:MENTIONS]-(art:Article)
RETURN count(DISTINCT art) AS articles
"""

# The actor an id, name or alias names now: itself, or the actor a curator merged it into.
CANONICAL_ACTOR_CYPHER = """
MATCH (a:Actor {id: $id})
OPTIONAL MATCH (a)-[:SAME_AS]->(c:Actor)
RETURN coalesce(c.id, a.id) AS id
"""

# The actors merged into these (so a timeline of an actor finds the sentences naming any of its names).
MERGED_ACTORS_CYPHER = """
UNWIND $ids AS aid
MATCH (:Actor {id: aid})<-[:SAME_AS]-(m:Actor)
RETURN m.id AS id
"""

ACTOR_FACTS_CYPHER = f"""
MATCH (a:Actor {{id: $id}})<-[r:{ROLE_UNION}]-(f:Fact)
WHERE $include_rejected OR f.rejected IS NULL
WITH r, f
ORDER BY f.date_start, f.id
LIMIT $limit
RETURN type(r) AS role, {FACT_PROJECTION} AS fact
"""

NEIGHBOURHOOD_CYPHER = f"""
MATCH (a:Actor {{id: $id}})<-[r1:{ROLE_UNION}]-(f:Fact)
      -[r2:{ROLE_UNION}]->(b:Actor)
WHERE b.id <> a.id
RETURN f.id AS fact_id, f.fact_type AS fact_type, f.kind AS kind, type(r1) AS role_of_actor,
       type(r2) AS role_of_other, b.id AS other_id, b.name AS other_name, b.type AS other_type
LIMIT $limit
"""

TRACE_FACT_CYPHER = f"""
MATCH (f:Fact {{id: $id}})
RETURN {fact_projection(extra=("reliability_explanation",))} AS fact
"""

TRACE_EVIDENCE_CYPHER = """
MATCH (f:Fact {id: $id})-[:HAS_EVIDENCE]->(e:Evidence)-[:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
OPTIONAL MATCH (e)-[:CITES]->(c:Outlet)
WITH e, art, o, collect(c.name) AS cited
WITH e, art, o, cited, CASE WHEN e.start > $context THEN e.start - $context ELSE 0 END AS before_start
RETURN properties(e) AS evidence, art.id AS article_id, art.doc_id AS doc_id, art.title AS title,
       art.url AS url, art.published AS published, o.name AS outlet, o.prior AS outlet_prior, cited,
       substring(art.text, before_start, e.start - before_start) AS context_before,
       CASE WHEN size(art.text) > e.end THEN substring(art.text, e.end, $context) ELSE '' END AS context_after
ORDER BY art.published, art.doc_id, e.start
"""

# The actors of one fact with their roles (the claim trace's graph): the fact's own role relationships.
TRACE_ROLES_CYPHER = f"""
MATCH (f:Fact {{id: $id}})-[r:{ROLE_UNION}]->(a:Actor)
RETURN type(r) AS role, a.id AS id, a.name AS name, a.type AS type
ORDER BY role, name
"""

# The sentences behind several facts at once, for the story view's slides (a TimelineJS document): each with
# its article's outlet, publication date and doc id, in the order the export lists them.
STORY_QUOTES_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})-[:HAS_EVIDENCE]->(e:Evidence)-[:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (art)-[:PUBLISHED_BY]->(o:Outlet)
RETURN fid AS fact_id, e.sentence AS sentence, o.name AS outlet, art.outlet AS outlet_as_written,
       art.published AS published, art.doc_id AS doc_id, e.start AS start
ORDER BY fact_id, published, doc_id, start
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
CONFLICTS_CYPHER = _conflicts("", "properties({e})")

# Every outlet's statistics in one statement (the Sources page used to send one more query per outlet): the
# facts its own articles report, how many of them another article also reports, and their mean reliability.
SOURCES_CYPHER = """
MATCH (o:Outlet)
OPTIONAL MATCH (art:Article)-[:PUBLISHED_BY]->(o)
WITH o, count(art) AS articles
OPTIONAL MATCH (e:Evidence)-[:CITES]->(o)
WITH o, articles, count(e) AS citations
WHERE articles > 0 OR citations > 0 OR $include_unused
OPTIONAL MATCH (o)<-[:PUBLISHED_BY]-(:Article)<-[:REPORTED_IN]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
WHERE $include_rejected OR f.rejected IS NULL
WITH o, articles, citations, collect(DISTINCT f) AS facts
WITH o, articles, citations, facts, [x IN facts WHERE x.reliability IS NOT NULL | x.reliability] AS scores
RETURN o.id AS id, o.name AS name, o.prior AS prior, o.prior_note AS prior_note, o.kind AS kind,
       o.known AS known, articles, citations, size(facts) AS facts,
       size([x IN facts WHERE x.n_articles > 1]) AS corroborated,
       CASE WHEN size(scores) = 0 THEN null
            ELSE reduce(s = 0.0, x IN scores | s + x) / size(scores) END AS avg_reliability
ORDER BY articles DESC, citations DESC, o.name
"""

PUBLISHING_OUTLETS_CYPHER = """
MATCH (o:Outlet)
WHERE EXISTS { MATCH (o)<-[:PUBLISHED_BY]-(:Article) }
RETURN o.id AS id, o.name AS name, o.prior AS prior
ORDER BY name
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
WHERE $include_rejected OR f.rejected IS NULL
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

ARTICLE_FACTS_VIEW_CYPHER = f"""
MATCH (art:Article {{id: $id}})<-[:REPORTED_IN]-(e:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)
WHERE $include_rejected OR f.rejected IS NULL
RETURN DISTINCT {FACT_PROJECTION} AS fact
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

# The counter kg/cypher/writes.py's ADVANCE_GRAPH_VERSION_CYPHER advances; no row (a graph never written) is 0.
GRAPH_VERSION_CYPHER = """
MATCH (v:GraphVersion)
RETURN max(v.version) AS version
"""


STATEMENTS: dict[str, str] = {name: globals()[name] for name in __all__}
