"""How well `kg curate suggest` finds the duplicate actors extraction leaves, measured on the annotated dev set.

The gold (../shared/eval/dev/gold/*.json) lists each article's actors with their aliases. A graph actor stands
for the gold actor of one of its articles whose name or alias has its name fingerprint (reference.names, the one
normaliser), by a vote over its articles; two graph actors standing for one gold actor are a true duplicate
pair. Reported: how many true pairs there are, recall of them in the first k suggestions, and precision of
those k; and recall after accepting: the true pairs a curator joins by accepting the true suggestions among
the first k (merges are transitive: accepting "DPC" and "Irish data protection authority" into "Data
Protection Commission" joins the first two as well). `python -m bench.suggest_eval` prints the figures for the
graph the settings name.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from kg.db import Graph
from kg.judgements import canonical_map
from kg.suggest import NAME, candidates, suggest
from reference.names import loose_key

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev" / "gold"


def gold_entities(gold_dir: Path = GOLD) -> dict[str, dict[str, str]]:
    """doc_id -> name fingerprint -> the gold actor (its name's fingerprint) of that article it names."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(gold_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        keys: dict[str, set[str]] = defaultdict(set)
        for actor in doc.get("actors", []):
            entity = loose_key(actor["name"])
            for n in [actor["name"], *actor.get("aliases", [])]:
                if loose_key(n):
                    keys[loose_key(n)].add(entity)
        # a form two gold actors of one article share names neither
        out[doc["doc_id"]] = {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}
    return out


def true_pairs(actors: list[dict[str, Any]], gold: dict[str, dict[str, str]]) -> set[frozenset[str]]:
    stands_for: dict[str, str] = {}
    for a in actors:
        names = {loose_key(n) for n in [a["name"], *(a.get("aliases") or [])]} - {""}
        votes = Counter(gold[d][k] for d in set(a.get("doc_ids") or []) if d in gold for k in names if k in gold[d])
        if votes:
            stands_for[a["id"]] = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    by_entity: dict[str, list[str]] = defaultdict(list)
    for actor_id, entity in stands_for.items():
        by_entity[entity].append(actor_id)
    return {frozenset(p) for ids in by_entity.values() for p in combinations(sorted(ids), 2)}


def measure(graph: Graph, k: int = 20, gold_dir: Path = GOLD) -> dict[str, Any]:
    pairs = true_pairs(candidates(graph), gold_entities(gold_dir))
    top = suggest(graph, limit=k)
    hits = [s for s in top if frozenset({s.a, s.b}) in pairs]
    accepted = canonical_map({"subject": s.a, "other": s.b} for s in hits)
    joined = {p for p in pairs if len({accepted.get(x, x) for x in p}) == 1}
    return {
        "matcher": NAME,
        "k": k,
        "true_pairs": len(pairs),
        "suggested": len(top),
        "true_in_top": len(hits),
        "recall_at_k": len(hits) / len(pairs) if pairs else None,
        "precision_at_k": len(hits) / len(top) if top else None,
        "joined_by_accepting": len(joined),
        "recall_after_accepting": len(joined) / len(pairs) if pairs else None,
        "top": [{"a": s.a_name, "b": s.b_name, "score": s.score, "true": frozenset({s.a, s.b}) in pairs}
                for s in top],
        "missed": sorted(sorted(p) for p in pairs if p not in {frozenset({s.a, s.b}) for s in top}),
        "not_joined": sorted(sorted(p) for p in pairs - joined),
    }


def main() -> int:
    from kg.db import connect
    from kg.settings import get_settings

    with connect(get_settings()) as graph:
        print(json.dumps(measure(graph), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
