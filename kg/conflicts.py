"""Conflicting reports of one fact: dates that cannot both be true, figures for the same quantity
that cannot both be true. Compatible statements are not flagged: "early June" and "June 12" agree
at month precision; "thousands of accounts" and "nearly 25,000 accounts" overlap; a 3% fall of one
listing and a 5% fall of another are different quantities (different units or subjects)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from kg.dates import display
from ontology.models import DatePrecision, precision_of, stable_id


@dataclass(frozen=True)
class ConflictPair:
    id: str
    a: str  # evidence ids
    b: str
    field: str  # date | figure:<unit>
    value_a: str
    value_b: str
    note: str

    def row(self, fact_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "a": self.a,
            "b": self.b,
            "props": {
                "field": self.field,
                "value_a": self.value_a,
                "value_b": self.value_b,
                "note": self.note,
                "fact_id": fact_id,
            },
        }


def _parts(value: str) -> tuple[int | None, int | None, int | None]:
    p = precision_of(value)
    if p is DatePrecision.month_day:
        return None, int(value[2:4]), int(value[5:7])
    bits = [int(x) for x in value.split("-")]
    return bits[0], bits[1] if len(bits) > 1 else None, bits[2] if len(bits) > 2 else None


def _interval(value: str, end: str | None) -> tuple[tuple[int | None, int | None, int | None], ...]:
    return (_parts(value), _parts(end)) if end else (_parts(value), _parts(value))


def dates_disagree(a: str, a_end: str | None, b: str, b_end: str | None) -> bool:
    """True when two dates cannot describe the same moment, compared only on the parts both give."""
    (a_lo, a_hi), (b_lo, b_hi) = _interval(a, a_end), _interval(b, b_end)
    # Compare component by component, only where both sides state the component.
    fields = [i for i in range(3) if a_lo[i] is not None and b_lo[i] is not None
              and a_hi[i] is not None and b_hi[i] is not None]
    if not fields:
        return False
    # The year must be known on both sides for a month-only or day comparison across years to hold;
    # with no year on one side, compare month and day only.
    key_a_lo = tuple(a_lo[i] for i in fields)
    key_a_hi = tuple(a_hi[i] for i in fields)
    key_b_lo = tuple(b_lo[i] for i in fields)
    key_b_hi = tuple(b_hi[i] for i in fields)
    if 1 in fields and 0 not in fields and 2 not in fields:
        return False  # month alone, no year and no day on one side: too weak to call a conflict
    return key_a_hi < key_b_lo or key_b_hi < key_a_lo  # type: ignore[operator]


def figures_disagree(fa: dict[str, Any], fb: dict[str, Any]) -> bool:
    lo_a, hi_a = _range(fa)
    lo_b, hi_b = _range(fb)
    return hi_a < lo_b or hi_b < lo_a


def _range(f: dict[str, Any]) -> tuple[float, float]:
    lo = f.get("low")
    hi = f.get("high")
    v = float(f["value"])
    return (float(lo) if lo is not None else v, float(hi) if hi is not None else v)


def detect(evidence: list[dict[str, Any]]) -> list[ConflictPair]:
    """Pairs of evidence (from different articles) of one fact that disagree."""
    out: list[ConflictPair] = []
    for ea, eb in combinations(sorted(evidence, key=lambda e: e["id"]), 2):
        if ea.get("article_id") == eb.get("article_id"):
            continue
        da, db = ea.get("date_value"), eb.get("date_value")
        if da and db and dates_disagree(da, ea.get("date_end"), db, eb.get("date_end")):
            out.append(ConflictPair(
                id=stable_id("conflict", ea["id"], eb["id"], "date"),
                a=ea["id"], b=eb["id"], field="date",
                value_a=display(da, ea.get("date_end")), value_b=display(db, eb.get("date_end")),
                note="the reports give dates that cannot both be right at the precision both state",
            ))
        for fa in _figures(ea):
            for fb in _figures(eb):
                if fa["unit"] == fb["unit"] and figures_disagree(fa, fb):
                    out.append(ConflictPair(
                        id=stable_id("conflict", ea["id"], eb["id"], "figure", fa["unit"]),
                        a=ea["id"], b=eb["id"], field=f"figure:{fa['unit']}",
                        value_a=fa["text"], value_b=fb["text"],
                        note=f"the reports give incompatible numbers of {fa['unit']}",
                    ))
    return out


def _figures(e: dict[str, Any]) -> list[dict[str, Any]]:
    raw = e.get("figures")
    if not raw:
        return []
    data = json.loads(raw) if isinstance(raw, str) else raw
    return [f for f in data if f.get("unit")]
