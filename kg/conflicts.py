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


_Parts = tuple[int | None, int | None, int | None]


def _parts(value: str) -> _Parts:
    p = precision_of(value)
    if p is DatePrecision.month_day:
        return None, int(value[2:4]), int(value[5:7])
    bits = [int(x) for x in value.split("-")]
    return bits[0], bits[1] if len(bits) > 1 else None, bits[2] if len(bits) > 2 else None


def _interval(value: str, end: str | None) -> tuple[_Parts, _Parts]:
    return (_parts(value), _parts(end)) if end else (_parts(value), _parts(value))


def _intervals_disagree(a: tuple[_Parts, _Parts], b: tuple[_Parts, _Parts]) -> bool:
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    # Compare component by component, only where both sides state the component.
    fields = [i for i in range(3) if a_lo[i] is not None and b_lo[i] is not None
              and a_hi[i] is not None and b_hi[i] is not None]
    if not fields:
        return False
    if 1 in fields and 0 not in fields and 2 not in fields:
        return False  # month alone, no year and no day on one side: too weak to call a conflict
    key_a_lo = tuple(a_lo[i] for i in fields)
    key_a_hi = tuple(a_hi[i] for i in fields)
    key_b_lo = tuple(b_lo[i] for i in fields)
    key_b_hi = tuple(b_hi[i] for i in fields)
    return key_a_hi < key_b_lo or key_b_hi < key_a_lo  # type: ignore[operator]


def _range(f: dict[str, Any]) -> tuple[float, float]:
    lo = f.get("low")
    hi = f.get("high")
    v = float(f["value"])
    return (float(lo) if lo is not None else v, float(hi) if hi is not None else v)


@dataclass(frozen=True)
class _Report:
    """One evidence row with its date and figures parsed once (detect compares every pair of a fact's
    reports, so parsing per pair made a widely reported fact quadratic in JSON decoding)."""

    id: str
    article_id: Any
    date: str | None
    date_end: str | None
    interval: tuple[_Parts, _Parts] | None
    figures: tuple[tuple[str, float, float, str], ...]  # unit, low, high, text

    @classmethod
    def of(cls, e: dict[str, Any]) -> _Report:
        date = e.get("date_value")
        interval = _interval(date, e.get("date_end")) if date else None
        figures = tuple((f["unit"], *_range(f), f["text"]) for f in _figures(e))
        return cls(e["id"], e.get("article_id"), date, e.get("date_end"), interval, figures)


def detect(evidence: list[dict[str, Any]]) -> list[ConflictPair]:
    """Pairs of evidence (from different articles) of one fact that disagree."""
    reports = [_Report.of(e) for e in sorted(evidence, key=lambda e: e["id"])]
    out: list[ConflictPair] = []
    for ra, rb in combinations(reports, 2):
        if ra.article_id == rb.article_id:
            continue
        if ra.interval and rb.interval and ra.date and rb.date and _intervals_disagree(ra.interval, rb.interval):
            out.append(ConflictPair(
                id=stable_id("conflict", ra.id, rb.id, "date"),
                a=ra.id, b=rb.id, field="date",
                value_a=display(ra.date, ra.date_end), value_b=display(rb.date, rb.date_end),
                note="the reports give dates that cannot both be right at the precision both state",
            ))
        for unit_a, lo_a, hi_a, text_a in ra.figures:
            for unit_b, lo_b, hi_b, text_b in rb.figures:
                if unit_a == unit_b and (hi_a < lo_b or hi_b < lo_a):
                    out.append(ConflictPair(
                        id=stable_id("conflict", ra.id, rb.id, "figure", unit_a),
                        a=ra.id, b=rb.id, field=f"figure:{unit_a}",
                        value_a=text_a, value_b=text_b,
                        note=f"the reports give incompatible numbers of {unit_a}",
                    ))
    return out


def _figures(e: dict[str, Any]) -> list[dict[str, Any]]:
    raw = e.get("figures")
    if not raw:
        return []
    data = json.loads(raw) if isinstance(raw, str) else raw
    return [f for f in data if f.get("unit")]
