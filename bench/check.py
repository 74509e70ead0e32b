"""Graph fingerprints: is the graph one path wrote the same as the one GraphWriter wrote?

Properties are compared as stored (reliability explanations included: ties between equally strong reports
are broken on the evidence id, so they do not depend on the order the graph returns rows); a null property
and a missing one read the same, list-valued aliases are compared as sets, and the graph version's counter
is left out."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bench.cypher import DUMP_NODES_CYPHER, DUMP_RELATIONSHIPS_CYPHER
from kg.cypher.export import GRAPH_VERSION
from kg.db import Graph


def _norm(props: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None:
            continue  # a null property and a missing one read the same
        if k == "aliases" and isinstance(v, list):
            v = sorted(v)
        out[k] = v
    return out


def _uncounted(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    """The graph version counts write transactions (kg/cypher/writes.py): one per article, one per batch or
    one per bulk load for the same graph, so only its presence is compared."""
    return {k: v for k, v in props.items() if k != "version"} if GRAPH_VERSION in labels else props


def fingerprint(graph: Graph) -> tuple[Counter[str], Counter[str]]:
    nodes = Counter(json.dumps([sorted(r["labels"]), _norm(_uncounted(r["labels"], r["props"]))], sort_keys=True,
                               default=str) for r in graph.read(DUMP_NODES_CYPHER))
    rels = Counter(json.dumps([r["type"], r["a"], r["b"], _norm(r["props"])], sort_keys=True, default=str)
                   for r in graph.read(DUMP_RELATIONSHIPS_CYPHER))
    return nodes, rels


def compare(a: tuple[Counter[str], Counter[str]], b: tuple[Counter[str], Counter[str]]) -> str:
    """"same" or a short description of the first differences."""
    problems = []
    for i, what in enumerate(("nodes", "relationships")):
        only_a, only_b = a[i] - b[i], b[i] - a[i]
        if only_a or only_b:
            sample = next(iter(only_a or only_b))[:300]
            problems.append(f"{what}: {sum(only_a.values())} only in the first, {sum(only_b.values())} only in the "
                            f"second (e.g. {sample})")
    return "same" if not problems else "; ".join(problems)
