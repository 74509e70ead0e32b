"""What curation (kg/curation.py) and the writer's judgement step send: judgements stored as nodes, the
standing ones read back on every write, SAME_AS edges kept in step with them, and the reads of
`kg curate suggest`. Constants only, every value a parameter (kinds included: their names are the
ontology's, passed in from ontology.models.JudgementKind). Registered in `STATEMENTS` and linted.
"""

from __future__ import annotations

__all__ = [
    "ACTOR_NAMES_CYPHER",
    "ARTICLES_MENTIONING_CYPHER",
    "CANDIDATE_ACTORS_CYPHER",
    "DELETE_SAME_AS_CYPHER",
    "FACTS_EXTRACTED_AS_CYPHER",
    "FACT_EXISTS_CYPHER",
    "FACT_EXTRACTED_IDS_CYPHER",
    "JUDGEMENTS_CYPHER",
    "JUDGEMENT_CYPHER",
    "LINK_SAME_AS_CYPHER",
    "MARK_JUDGEMENT_DELETED_CYPHER",
    "STANDING_ACTOR_JUDGEMENTS_CYPHER",
    "STANDING_VERDICTS_CYPHER",
    "UPSERT_JUDGEMENTS_CYPHER",
]

UPSERT_JUDGEMENTS_CYPHER = """
UNWIND $rows AS row
MERGE (j:Judgement {id: row.id})
SET j += row.props
"""

JUDGEMENT_CYPHER = """
MATCH (j:Judgement {id: $id})
RETURN properties(j) AS judgement
"""

JUDGEMENTS_CYPHER = """
MATCH (j:Judgement)
RETURN properties(j) AS judgement
ORDER BY j.created_at, j.id
"""

MARK_JUDGEMENT_DELETED_CYPHER = """
MATCH (j:Judgement {id: $id})
WHERE j.deleted_at IS NULL
SET j.deleted_at = $at, j.deleted_by = $by
RETURN j.id AS id
"""

# The standing actor judgements of the given kinds (same on every write; not_same too for suggestions).
STANDING_ACTOR_JUDGEMENTS_CYPHER = """
MATCH (j:Judgement)
WHERE j.kind IN $kinds AND j.deleted_at IS NULL
RETURN j.id AS id, j.kind AS kind, j.subject AS subject, j.other AS other, j.created_at AS created_at
ORDER BY created_at, id
"""

# Every standing verdict, the latest first: the writer's summary step matches them to facts by id and by the
# extracted facts they were given on (kg.judgements.verdicts_of). Verdicts are a curator's handful, so one read
# of them all per write is cheaper than a lookup per fact id and extracted id.
STANDING_VERDICTS_CYPHER = """
MATCH (j:Judgement)
WHERE j.kind IN $kinds AND j.deleted_at IS NULL
RETURN j.subject AS subject, j.extracted_ids AS extracted_ids, j.kind AS kind, j.curator AS curator,
       j.created_at AS created_at, j.note AS note, j.id AS id
ORDER BY created_at DESC, id DESC
"""

# A fact's extracted facts: the ids its evidence had before any merge (what a verdict on it follows).
FACT_EXTRACTED_IDS_CYPHER = """
MATCH (f:Fact {id: $id})-[:HAS_EVIDENCE]->(e:Evidence)
RETURN DISTINCT coalesce(e.extracted_fact_id, f.id) AS id
ORDER BY id
"""

# The facts made of these extracted facts today (what a verdict given on them bears on).
FACTS_EXTRACTED_AS_CYPHER = """
UNWIND $ids AS xid
MATCH (f:Fact)-[:HAS_EVIDENCE]->(:Evidence {extracted_fact_id: xid})
RETURN DISTINCT f.id AS id
ORDER BY id
"""

FACT_EXISTS_CYPHER = """
MATCH (f:Fact {id: $id})
RETURN f.id AS id, f.title AS title
"""

# What a merge or split must write again: every article naming one of these actors, with its stored record.
ARTICLES_MENTIONING_CYPHER = """
UNWIND $ids AS aid
MATCH (:Actor {id: aid})<-[:MENTIONS]-(art:Article)
WITH DISTINCT art
RETURN art.id AS id, art.doc_id AS doc_id, art.text AS text, art.title AS title, art.outlet_given AS outlet_given,
       art.outlet AS outlet, art.published AS published, art.url AS url, art.source_path AS source_path,
       art.extraction AS extraction
ORDER BY id
"""

DELETE_SAME_AS_CYPHER = """
UNWIND $ids AS aid
MATCH (:Actor {id: aid})-[s:SAME_AS]->(:Actor)
DELETE s
"""

LINK_SAME_AS_CYPHER = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
MATCH (c:Actor {id: row.canonical})
MERGE (a)-[:SAME_AS]->(c)
"""

ACTOR_NAMES_CYPHER = """
UNWIND $ids AS aid
MATCH (a:Actor {id: aid})
RETURN a.id AS id, a.name AS name
"""

# Every actor not merged into another, with its names, type, article count and the articles naming it
# (for co-mentions): what suggestions are ranked from.
CANDIDATE_ACTORS_CYPHER = """
MATCH (a:Actor)
WHERE NOT (a)-[:SAME_AS]->(:Actor)
OPTIONAL MATCH (a)<-[:SAME_AS]-(m:Actor)
WITH a, collect(m.name) + reduce(s = [], x IN collect(m.aliases) | s + x) AS member_names
MATCH (a)<-[:MENTIONS]-(art:Article)
OPTIONAL MATCH (a)<-[:SAME_AS]-(:Actor)<-[:MENTIONS]-(art2:Article)
WITH a, member_names, collect(DISTINCT art) + collect(DISTINCT art2) AS arts
RETURN a.id AS id, a.name AS name, a.type AS type, a.aliases + member_names AS aliases, a.source AS source,
       [x IN arts | x.id] AS articles, [x IN arts | x.doc_id] AS doc_ids
ORDER BY id
"""

STATEMENTS: dict[str, str] = {name: globals()[name] for name in __all__}
