"""What "the same graph" means in tests: counts by label and type, fact ids, evidence ids, and the
facts' summaries."""

from __future__ import annotations

from typing import Any

from kg.db import Graph

LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
FACTS = ("MATCH (f:Fact) RETURN f.id AS id, f.title AS title, f.date_value AS date, f.reliability AS reliability, "
         "f.n_articles AS n_articles, f.n_conflicts AS conflicts ORDER BY id")
EVIDENCE = "MATCH (e:Evidence) RETURN e.id AS id, e.sentence AS sentence ORDER BY id"


def fingerprint(graph: Graph) -> dict[str, Any]:
    return {
        "labels": {r["label"]: r["n"] for r in graph.read(LABELS)},
        "types": {r["type"]: r["n"] for r in graph.read(TYPES)},
        "facts": graph.read(FACTS),
        "evidence": graph.read(EVIDENCE),
    }
