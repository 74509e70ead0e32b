"""The pieces several statements share, stated once: the role union, the fact projection, the timeline filter.

The role union is generated from the ontology's names (the relations from a fact type to an actor, see
`Vocabulary.role_relations`); the fact projection lists the fact summary properties the query layer reads
(written by kg/facts.py). Each fragment is a plain string spliced into module-level constants when
kg/cypher/ is imported, so every statement stays one parameterised string the linter sees whole.
"""

from __future__ import annotations

from typing import LiteralString, cast

from ontology.vocabulary import vocabulary

ROLE_RELATIONS: tuple[str, ...] = vocabulary.role_relations


def trusted(statement: str) -> LiteralString:
    """Mark a statement built from ontology names only (never from input) as query text."""
    return cast(LiteralString, statement)


# ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES: any role of a fact, as a relationship type alternation.
ROLE_UNION = "|".join(vocabulary.rel_type(r) for r in ROLE_RELATIONS)

# The fact summary properties a view shows (a timeline row, an actor's facts, a trace, an article's facts).
FACT_FIELDS = (
    "id", "fact_type", "kind", "kinds", "title", "status", "negated", "date_value", "date_end", "date_precision",
    "date_qualifier", "date_start", "date_stop", "date_display", "reliability", "n_articles", "n_evidence",
    "n_conflicts", "actor_names", "independent_reports", "sources", "verdict", "verdict_by", "verdict_note",
)


def fact_projection(var: str = "f", extra: tuple[str, ...] = ()) -> str:
    """`f {.id, .fact_type, ...}`: a map projection of the fact summary properties (plus `extra`)."""
    return f"{var} {{{', '.join('.' + name for name in (*FACT_FIELDS, *extra))}}}"


FACT_PROJECTION = fact_projection()

# What a list shows of each fact (a timeline page, an actor's role pages): the rest (actor names, kinds,
# independent reports, a verdict's curator and note) is in the claim trace, read when a fact is opened.
LIST_FIELDS = tuple(f for f in FACT_FIELDS if f not in ("kinds", "n_evidence", "independent_reports", "actor_names",
                                                         "verdict_by", "verdict_note"))
LIST_PROJECTION = f"f {{{', '.join('.' + name for name in LIST_FIELDS)}}}"

# The optional filters of every timeline query, on the fact `f` (each parameter null means no filter).
TIMELINE_FILTERS = """($fact_types IS NULL OR f.fact_type IN $fact_types)
  AND ($kinds IS NULL OR f.kind IN $kinds)
  AND ($since IS NULL OR f.date_stop >= $since)
  AND ($until IS NULL OR f.date_start <= $until)
  AND ($min_reliability IS NULL OR f.reliability >= $min_reliability)
  AND ($include_rejected OR f.rejected IS NULL)
  AND ($outlet_ids IS NULL OR EXISTS {
        MATCH (f)-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(:Article)-[:PUBLISHED_BY]->(o:Outlet)
        WHERE o.id IN $outlet_ids })"""

# Timeline order (the sort key kg/facts.py stores: kg.names.sort_key), page and row: one `fact` map per row.
TIMELINE_PAGE = f"""ORDER BY f.sort_key
LIMIT $limit
RETURN {FACT_PROJECTION} AS fact"""
