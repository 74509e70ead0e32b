"""What kg/history.py sends: the fetched versions of articles, their corrections, and the "as of" reads.

A version lists the facts it reported as parallel lists (`fact_ids`, `fact_titles`, `fact_types`, `fact_dates`,
"" for no date): the live Fact and Evidence nodes of a superseded version are gone (a correction replaces its
evidence), and what it said must outlive them. Times are ISO 8601 UTC strings with microseconds and a `Z`, so
they compare as text the same way on ArcadeDB and Neo4j 5. Registered in `STATEMENTS` (linted, run on ArcadeDB).
"""

from __future__ import annotations

CURRENT_VERSIONS_CYPHER = """
UNWIND $keys AS key
MATCH (v:ArticleVersion {source_key: key})
WHERE v.superseded_at IS NULL
RETURN v.id AS id, v.source_key AS source_key, v.title AS title, v.published AS published,
       v.fetched_at AS fetched_at, v.fact_ids AS fact_ids, v.fact_titles AS fact_titles, v.fact_dates AS fact_dates
"""

FACT_TITLES_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})
RETURN f.id AS id, f.title AS title, f.fact_type AS fact_type
"""

UPSERT_VERSIONS_CYPHER = """
UNWIND $rows AS row
MERGE (v:ArticleVersion {id: row.id})
SET v += row.props
"""

SUPERSEDE_VERSIONS_CYPHER = """
UNWIND $rows AS row
MATCH (old:ArticleVersion {id: row.old_id})
MATCH (new:ArticleVersion {id: row.new_id})
SET old.superseded_at = row.at
MERGE (new)-[:REVISION_OF]->(old)
"""

UPSERT_CORRECTIONS_CYPHER = """
UNWIND $rows AS row
MERGE (c:Correction {id: row.id})
SET c += row.props
WITH c, row
MATCH (old:ArticleVersion {id: row.old_id})
MERGE (c)-[:CORRECTS]->(old)
"""

# `kg forget`: the forgotten article's current version stops holding now (its history stays).
END_ARTICLE_VERSIONS_CYPHER = """
MATCH (v:ArticleVersion {article_id: $article_id})
WHERE v.superseded_at IS NULL
SET v.superseded_at = $at
"""

# The versions that held at $at (fetched by then, not yet superseded) and each fact they reported.
AS_OF_CYPHER = """
MATCH (v:ArticleVersion)
WHERE v.fetched_at <= $at AND (v.superseded_at IS NULL OR v.superseded_at > $at)
UNWIND range(0, size(v.fact_ids) - 1) AS i
RETURN v.fact_ids[i] AS fact_id, v.fact_titles[i] AS title, v.fact_types[i] AS fact_type,
       v.fact_dates[i] AS date, v.id AS version_id, v.doc_id AS doc_id, v.url AS url, v.outlet AS outlet,
       v.published AS published, v.fetched_at AS fetched_at
ORDER BY fact_id, fetched_at, version_id
"""

# Every version that reported a fact, oldest fetch first: who reported it first, and who repeated it.
FACT_REPORTS_CYPHER = """
MATCH (v:ArticleVersion)
WHERE $fact_id IN v.fact_ids
RETURN v.id AS version_id, v.doc_id AS doc_id, v.url AS url, v.outlet AS outlet, v.published AS published,
       v.fetched_at AS fetched_at, v.superseded_at AS superseded_at
ORDER BY fetched_at, version_id
"""

# An article's versions (by URL, doc_id or source key) and the corrections between them.
ARTICLE_VERSIONS_CYPHER = """
MATCH (v:ArticleVersion)
WHERE v.url = $key OR v.doc_id = $key OR v.source_key = $key
RETURN v.id AS id, v.article_id AS article_id, v.source_key AS source_key, v.doc_id AS doc_id, v.url AS url,
       v.title AS title, v.published AS published, v.fetched_at AS fetched_at, v.superseded_at AS superseded_at,
       v.fact_titles AS fact_titles, v.fact_dates AS fact_dates
ORDER BY fetched_at, id
"""

CORRECTIONS_CYPHER = """
UNWIND $keys AS key
MATCH (c:Correction {source_key: key})-[:CORRECTS]->(old:ArticleVersion)
RETURN c.id AS id, c.at AS at, c.summary AS summary, c.changes AS changes, c.fields AS fields,
       c.before AS before, c.after AS after, old.id AS from_version, c.to_version AS to_version
ORDER BY at, id
"""

# When live intake fetched its first and its last article version: the range an "as of" control offers.
FETCH_SPAN_CYPHER = """
MATCH (v:ArticleVersion)
RETURN min(v.fetched_at) AS first, max(v.fetched_at) AS last
"""

STATEMENTS: dict[str, str] = {
    name: value for name, value in dict(globals()).items() if name.endswith("_CYPHER") and isinstance(value, str)
}
