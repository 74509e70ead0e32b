"""What kg/links.py and the lifecycle read send: LED_TO / RESPONDS_TO links between facts.

A link keeps the articles whose records gave it (`articles`, sorted, as a role does), the rule that derived it,
and, when a curator set it, the judgement, curator and note; `unlinked_by` names a standing `not_linked`
judgement that takes back a derived link. The relationship types are the ontology's (aig:ledTo, aig:respondsTo);
the statements per type are generated from those names. Registered in `STATEMENTS` (linted, run on ArcadeDB).
"""

from __future__ import annotations

from typing import LiteralString

from kg.cypher.fragments import FACT_PROJECTION, fact_projection, trusted
from ontology.models import LINK_RELATIONS
from ontology.vocabulary import vocabulary

_TYPES = tuple(vocabulary.rel_type(r) for r in LINK_RELATIONS.values())
LED_TO, RESPONDS_TO = _TYPES
LINK_UNION = "|".join(_TYPES)  # LED_TO|RESPONDS_TO


def _link_derived(rel_type: str) -> str:
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:Fact {id: row.a})\n"
        "MATCH (b:Fact {id: row.b})\n"
        f"MERGE (a)-[l:{rel_type}]->(b)\n"
        "SET l.rule = coalesce(l.rule, row.rule),\n"
        "    l.articles = CASE WHEN row.article_id IN coalesce(l.articles, []) THEN l.articles\n"
        "                 ELSE [x IN coalesce(l.articles, []) WHERE x < row.article_id] + [row.article_id]\n"
        "                      + [x IN coalesce(l.articles, []) WHERE x > row.article_id] END"
    )


def _link_curated(rel_type: str) -> str:
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:Fact {id: row.a})\n"
        "MATCH (b:Fact {id: row.b})\n"
        f"MERGE (a)-[l:{rel_type}]->(b)\n"
        "SET l.judgement = row.judgement, l.curator = row.curator, l.note = row.note"
    )


LINK_DERIVED: dict[str, LiteralString] = {t: trusted(_link_derived(t)) for t in _TYPES}
LINK_CURATED: dict[str, LiteralString] = {t: trusted(_link_curated(t)) for t in _TYPES}

# Before an article's evidence goes: its id leaves the links of its facts; a link nothing gives any more goes.
RELEASE_ARTICLE_LINKS_CYPHER = trusted(
    "MATCH (art:Article {id: $article_id})<-[:REPORTED_IN]-(:Evidence)<-[:HAS_EVIDENCE]-(f:Fact)\n"
    "WITH DISTINCT f\n"
    f"MATCH (f)-[l:{LINK_UNION}]->(:Fact)\n"
    "WHERE $article_id IN coalesce(l.articles, [])\n"
    "SET l.articles = [x IN l.articles WHERE x <> $article_id]\n"
    "WITH l\n"
    "WHERE size(l.articles) = 0 AND l.judgement IS NULL\n"
    "DELETE l"
)

RESET_LINK_JUDGEMENTS_CYPHER = trusted(
    "UNWIND $ids AS fid\n"
    f"MATCH (:Fact {{id: fid}})-[l:{LINK_UNION}]-(:Fact)\n"
    "WITH DISTINCT l\n"
    "SET l.judgement = null, l.curator = null, l.note = null, l.unlinked_by = null"
)

STANDING_LINK_JUDGEMENTS_CYPHER = """
MATCH (j:Judgement)
WHERE j.kind IN $kinds AND j.deleted_at IS NULL
RETURN j.id AS id, j.kind AS kind, j.subject AS subject, j.other AS other, j.curator AS curator, j.note AS note,
       j.created_at AS created_at
ORDER BY created_at, id
"""

MARK_UNLINKED_CYPHER = trusted(
    "UNWIND $rows AS row\n"
    f"MATCH (:Fact {{id: row.a}})-[l:{LINK_UNION}]->(:Fact {{id: row.b}})\n"
    "WHERE l.judgement IS NULL\n"
    "SET l.unlinked_by = row.judgement"
)

DELETE_EMPTY_LINKS_CYPHER = trusted(
    "UNWIND $ids AS fid\n"
    f"MATCH (:Fact {{id: fid}})-[l:{LINK_UNION}]-(:Fact)\n"
    "WHERE size(coalesce(l.articles, [])) = 0 AND l.judgement IS NULL\n"
    "WITH DISTINCT l\n"
    "DELETE l"
)

# ---------------------------------------------------------------- reads

FACT_TITLES_CYPHER = """
UNWIND $ids AS fid
MATCH (f:Fact {id: fid})
RETURN f.id AS id, f.title AS title
"""

# The links between two facts, whatever holds (for kg curate link/unlink to say what is there).
PAIR_LINKS_CYPHER = trusted(
    f"MATCH (:Fact {{id: $a}})-[l:{LINK_UNION}]->(:Fact {{id: $b}})\n"
    "RETURN type(l) AS type, l.articles AS articles, l.judgement AS judgement, l.unlinked_by AS unlinked_by\n"
    "ORDER BY type"
)

_LINK_FIELDS = ("type(l) AS type, l.rule AS rule, l.judgement AS judgement, l.curator AS curator, "
                "l.note AS note, coalesce(l.articles, []) AS articles")

# The links that hold from and to these facts, with the fact at the other end.
LINKS_FROM_CYPHER = trusted(
    "UNWIND $ids AS fid\n"
    f"MATCH (:Fact {{id: fid}})-[l:{LINK_UNION}]->(n:Fact)\n"
    "WHERE l.unlinked_by IS NULL AND ($include_rejected OR n.rejected IS NULL)\n"
    f"RETURN fid AS fact_id, {_LINK_FIELDS}, {fact_projection('n')} AS other\n"
    "ORDER BY fact_id, type, n.date_start, n.id"
)

LINKS_TO_CYPHER = trusted(
    "UNWIND $ids AS fid\n"
    f"MATCH (:Fact {{id: fid}})<-[l:{LINK_UNION}]-(n:Fact)\n"
    "WHERE l.unlinked_by IS NULL AND ($include_rejected OR n.rejected IS NULL)\n"
    f"RETURN fid AS fact_id, {_LINK_FIELDS}, {fact_projection('n')} AS other\n"
    "ORDER BY fact_id, type, n.date_start, n.id"
)

# When reports first said the accused denies it: the earliest publication date of a denying report.
STATUS_REPORTS_CYPHER = """
UNWIND $ids AS fid
MATCH (:Fact {id: fid})-[:HAS_EVIDENCE]->(e:Evidence)
WHERE e.status = $status
RETURN fid AS fact_id, min(e.published) AS first_published, count(e) AS reports
"""

# An actor's allegations received, for the lifecycle (rejected ones only when asked).
ALLEGATIONS_AGAINST_CYPHER = trusted(
    "MATCH (:Actor {id: $id})<-[:ACCUSED]-(f:Allegation)\n"
    "WHERE $include_rejected OR f.rejected IS NULL\n"
    f"RETURN DISTINCT {FACT_PROJECTION} AS fact"
)

STATEMENTS: dict[str, str] = {
    **{name: value for name, value in dict(globals()).items() if name.endswith("_CYPHER") and isinstance(value, str)},
    **{f"LINK_DERIVED[{k}]": v for k, v in LINK_DERIVED.items()},
    **{f"LINK_CURATED[{k}]": v for k, v in LINK_CURATED.items()},
}
