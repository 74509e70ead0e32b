"""Facts linked within one article: a day and month given without a year ("on 24 June") take the year
the same article gives for that very day elsewhere ("June 24-25, 2026").

Only an exact match of month and day counts, and only when the article names one year for it: two
candidate years, or none, leave the date as the text gives it (`--06-24`, off the time axis).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ontology.models import DatePrecision, TimeSpec


def _days(spec: TimeSpec) -> Iterable[tuple[str, str]]:
    """(--MM-DD, YYYY) for every full day a spec names."""
    for value, precision in ((spec.value, spec.precision), (spec.end, spec.end_precision)):
        if value and precision is DatePrecision.day:
            yield f"--{value[5:]}", value[:4]


def years_by_day(specs: Iterable[TimeSpec | None]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for spec in specs:
        if spec is not None:
            for day, year in _days(spec):
                out[day].add(year)
    return out


def complete_year(spec: TimeSpec | None, known: dict[str, set[str]]) -> TimeSpec | None:
    """The spec with its year filled in when it has none and the article dates that day in one year."""
    if spec is None or spec.precision is not DatePrecision.month_day:
        return spec
    years = known.get(spec.value, set())
    if len(years) != 1:
        return spec
    year = next(iter(years))
    end = spec.end
    if end is not None and spec.end_precision is DatePrecision.month_day:
        end = f"{year}-{end[2:]}" if end[2:] >= spec.value[2:] else None  # a range into the next year: unsure
        if end is None:
            return spec
    return TimeSpec(value=f"{year}-{spec.value[2:]}", precision=DatePrecision.day, end=end, qualifier=spec.qualifier,
                    text=spec.text)
