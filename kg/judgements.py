"""Judgements applied: the canonical actor of every cluster a curator merged, and a fact's verdict as the
summary properties the views read. Pure functions over rows of kg/cypher/curation.py's reads; the writer
(kg/writer.py) applies them on every write, kg/curation.py records and undoes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ontology.models import JudgementKind
from ontology.vocabulary import vocabulary


def canonical_map(same: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """actor id -> canonical actor id, for every actor merged into another by a standing `same` judgement
    (rows with subject, other, in the order they were made). Clusters are transitive; the canonical actor of
    a cluster is the subject of its earliest judgement (when two clusters join, the one whose subject the
    joining judgement names keeps its canonical id). Actors left out map to themselves."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for row in same:
        a, b = root(str(row["subject"])), root(str(row["other"]))
        if a != b:
            parent[b] = a
            parent.setdefault(a, a)
    return {x: root(x) for x in parent if root(x) != x}


def clusters(canon: Mapping[str, str]) -> dict[str, list[str]]:
    """canonical id -> its members (the canonical id first, then the others sorted)."""
    out: dict[str, list[str]] = {}
    for member, c in sorted(canon.items()):
        out.setdefault(c, [c]).append(member)
    return out


def verdicts_of(fact_id: str, extracted: Iterable[str],
                standing: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The standing verdicts (rows latest first, with subject and extracted_ids) that bear on a fact: those
    given on its id, and those given on any fact made of the same extracted facts (`extracted`: its
    evidence's ids before any merge). So a verdict follows its fact through merges and splits: a rejected
    fact merged with another is the merged fact's verdict, and after a split each part keeps it."""
    keys = {fact_id, *extracted}
    return [v for v in standing if v["subject"] == fact_id or keys & set(v.get("extracted_ids") or ())]


def verdict_props(verdicts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The summary properties a fact's standing verdicts give it (the latest wins): `verdict` (the
    JudgementKind), who and when, the note, and `rejected` true on a rejected fact, absent elsewhere (the
    views filter on it). No verdict sets them all to null, which removes them."""
    if not verdicts:
        return {"verdict": None, "verdict_by": None, "verdict_at": None, "verdict_note": None, "rejected": None}
    v = verdicts[0]
    return {"verdict": v["kind"], "verdict_by": v["curator"], "verdict_at": v["created_at"],
            "verdict_note": v.get("note") or None, "rejected": True if v["kind"] == JudgementKind.rejected else None}


def explain_verdict(props: dict[str, Any]) -> None:
    """A confirmed fact says so first in its reliability explanation (a JSON list of sentences)."""
    if props.get("verdict") != JudgementKind.confirmed:
        return
    lines = json.loads(props.get("reliability_explanation") or "[]")
    note = f": {props['verdict_note']}" if props.get("verdict_note") else ""
    words = vocabulary.words(JudgementKind.confirmed.value, "JudgementKind")
    lines.insert(0, f"{words[0].upper()}{words[1:]} ({props['verdict_by']}, {str(props['verdict_at'])[:10]}){note}.")
    props["reliability_explanation"] = json.dumps(lines)
