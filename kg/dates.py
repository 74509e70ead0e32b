"""Dates as stored in the graph: the value at its precision plus sortable bounds.

A month-precision fact is stored as "2026-06" with bounds 2026-06-01..2026-06-30, never as the 1st.
A day and month without a year ("--06-24") has no bounds and stays off the time axis.
"""

from __future__ import annotations

from datetime import date

from ontology.models import DatePrecision, TimeSpec, precision_of

PRECISION_RANK = {DatePrecision.day: 3, DatePrecision.month_day: 2, DatePrecision.month: 2, DatePrecision.year: 1}


def spec_from_props(value: str | None, end: str | None = None, qualifier: str | None = None) -> TimeSpec | None:
    if not value:
        return None
    return TimeSpec(value=value, precision=precision_of(value), end=end or None, qualifier=qualifier)


def bounds(spec: TimeSpec | None) -> tuple[str | None, str | None]:
    """ISO first and last day (strings sort as dates); (None, None) when the year is unknown."""
    if spec is None:
        return None, None
    b = spec.bounds()
    if b is None:
        return None, None
    return b[0].isoformat(), b[1].isoformat()


def display(value: str | None, end: str | None = None, qualifier: str | None = None) -> str:
    """Human form at the stored precision: "12 June 2026", "June 2026", "2026", "24 June (year not given)"."""
    if not value:
        return "undated"
    text = _one(value)
    if end:
        text = f"{text} – {_one(end)}"
    if qualifier:
        text = f"{qualifier} {text}"
    return text


def _one(value: str) -> str:
    p = precision_of(value)
    if p is DatePrecision.month_day:
        d = date(2024, int(value[2:4]), int(value[5:7]))
        return f"{d.day} {d:%B} (year not given)"
    if p is DatePrecision.year:
        return value
    if p is DatePrecision.month:
        return f"{date(int(value[:4]), int(value[5:7]), 1):%B %Y}"
    d = date.fromisoformat(value)
    return f"{d.day} {d:%B %Y}"
