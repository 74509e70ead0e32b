"""The query layer with the changes bench/README.md recommends, swapped in for a measurement only.

kg/queries.py reads its statements as `q.NAME` at call time, so replacing the constants of kg.cypher for the
duration of a `with proposed_layer(graph):` block measures the same functions with the proposed statements.
`conflicts` also changes shape (facts with conflicts first, from an index, then their conflicts), so it is
replaced by `proposed_conflicts` for the block.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from kg import cypher as q
from kg import cypher_bench as qb
from kg import queries
from kg.db import Graph

SWAPS = {
    "TIMELINE_BY_ACTOR_CYPHER": qb.PROPOSED_TIMELINE_BY_ACTOR_CYPHER,
    "ACTOR_CYPHER": qb.PROPOSED_ACTOR_CYPHER,
    "ACTOR_FACTS_CYPHER": qb.PROPOSED_ACTOR_FACTS_CYPHER,
    "CO_MENTIONED_CYPHER": qb.PROPOSED_CO_MENTIONED_CYPHER,
    "NEIGHBOURHOOD_CYPHER": qb.PROPOSED_NEIGHBOURHOOD_CYPHER,
}

CHANGES = [
    "timeline/actor/neighbourhood: typed role relationships (ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES) instead of "
    "(a)<-[]-(f), so the plan starts at the Actor(id) index instead of scanning every Fact",
    "actor: COUNT { (a)<-[:MENTIONS]-(:Article) } instead of OPTIONAL MATCH + count",
    "co-mentioned: counted over the actor's 1,000 most recent articles (semantic change; or keep counts on write)",
    "conflicts: facts with n_conflicts > 0 from a new Fact(n_conflicts) index, then their conflicts; one fact's "
    "conflicts start at Fact(id) instead of scanning every Evidence node",
]


def proposed_conflicts(graph: Graph, fact_id: str | None = None, limit: int = 500) -> list[Any]:
    if fact_id is not None:
        ids = [fact_id]
    else:
        # The first facts in id order whose conflicts fill `limit` (each knows how many it has).
        ids = []
        total = 0
        for r in sorted(graph.read(qb.PROPOSED_CONFLICTED_FACTS_CYPHER), key=lambda r: r["id"]):
            ids.append(r["id"])
            total += int(r["n"] or 0)
            if total >= limit:
                break
    rows = graph.read(qb.PROPOSED_CONFLICTS_CYPHER, {"fact_ids": ids, "limit": limit})
    return _to_items(rows)


def _to_items(rows: list[dict[str, Any]]) -> list[Any]:
    out = []
    for r in rows:
        side = {}
        for s in ("a", "b"):
            side[s] = queries._evidence({"evidence": r[f"evidence_{s}"], "article_id": r[f"article_{s}"],
                                         "doc_id": r[f"doc_{s}"], "title": r[f"title_{s}"],
                                         "published": r[f"published_{s}"], "outlet": r[f"outlet_{s}"]})
        out.append(queries.ConflictItem(
            id=r["id"], fact_id=r["fact_id"], fact_title=r["fact_title"], fact_reliability=r["fact_reliability"],
            field=r["field"], value_a=r["value_a"], value_b=r["value_b"], note=r["note"], a=side["a"], b=side["b"],
        ))
    return out


@contextlib.contextmanager
def proposed_layer(graph: Graph) -> Iterator[None]:
    graph.write(qb.PROPOSED_FACT_CONFLICTS_INDEX_CYPHER)
    saved = {name: getattr(q, name) for name in SWAPS}
    saved_conflicts = queries.conflicts
    try:
        for name, text in SWAPS.items():
            setattr(q, name, text)
        queries.conflicts = proposed_conflicts  # type: ignore[assignment]
        yield
    finally:
        for name, text in saved.items():
            setattr(q, name, text)
        queries.conflicts = saved_conflicts  # type: ignore[assignment]
