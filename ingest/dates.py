"""Date expressions -> TimeSpec, at the precision the text gives.

Two sources of candidate spans, both normalised by the same code:

* a rule-based scanner (`find_dates`) for explicit expressions the small spaCy model often misses or
  splits: ranges ("March 3 – May 19, 2025", "May 6-7, 2025"), qualified months ("late August 2025"),
  timeline headings ("Last Quarter (October 2024): ..."), relative expressions ("last year", "this month")
  and anchored offsets ("two days after ...");
* the DATE entities spaCy finds, which go through `DateNormaliser.normalise`: first the same rules,
  then one shared `DateDataParser` for what is left, with durations rejected.

Rules that keep the output honest:
* relative expressions resolve only against the article's publication date (`published`), never
  against today; without it they stay unresolved (None);
* a day and month with no year give precision `month_day` ("--06-24"), never a guessed year;
* impossible dates (February 30) and years outside 1900-2100 give None;
* `dateparser.search.search_dates` is never run over raw text.

One module past 450 lines because the scanner's patterns and the normaliser must agree on every
expression, and keeping them side by side keeps them in step.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ontology.models import DatePrecision, TimeSpec

MIN_YEAR = 1900
MAX_YEAR = 2100

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_MONTH_FORMS = sorted(
    {n for n in calendar.month_name if n} | {a + r"\.?" for a in calendar.month_abbr if a} | {r"Sept\.?"},
    key=len, reverse=True,
)
# Month names are matched capitalised or in upper case (never lower case), so the modal "may" is no month.
MONTH = "(?:" + "|".join(_MONTH_FORMS + [f.upper().replace(r"\.?", r"\.?") for f in _MONTH_FORMS]) + ")"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"
DASH = r"\s*(?:-|–|—|‑|to|through|until|till)\s*"
QUAL = r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end\s+of|" \
       r"beginning\s+of|start\s+of|middle\s+of)"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3, "several": 3,
}
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

# Each pattern: (name, regex). Order matters: longer, more specific forms first.
_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    # April 22 – June 5, 2026 / from April 22 to June 5, 2026
    ("md_md_y", rf"\b(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:,?\s+(?P<y1>{YEAR}))?{DASH}(?P<m2>{MONTH})\s+(?P<d2>{DAY}),?\s+"
                rf"(?P<y>{YEAR})\b"),
    # 22 April – 5 June 2026
    ("dm_dm_y", rf"\b(?P<d1>{DAY})\s+(?P<m1>{MONTH})(?:\s+(?P<y1>{YEAR}))?{DASH}(?P<d2>{DAY})\s+(?P<m2>{MONTH}),?\s+"
                rf"(?P<y>{YEAR})\b"),
    # between April 22 and June 5, 2026 / between May and July 2025
    ("b_md_md_y", rf"\bbetween\s+(?P<m1>{MONTH})\s+(?P<d1>{DAY})(?:,?\s+(?P<y1>{YEAR}))?\s+and\s+(?P<m2>{MONTH})\s+"
                  rf"(?P<d2>{DAY}),?\s+(?P<y>{YEAR})\b"),
    ("b_m_m_y", rf"\bbetween\s+(?P<m1>{MONTH})(?:\s+(?P<y1>{YEAR}))?\s+and\s+(?P<m2>{MONTH}),?\s+(?P<y>{YEAR})\b"),
    # June 24-25, 2026
    ("m_dd_y", rf"\b(?P<m>{MONTH})\s+(?P<d1>{DAY}){DASH}(?P<d2>{DAY}),?\s+(?P<y>{YEAR})\b"),
    # 24-25 June 2026
    ("dd_m_y", rf"\b(?P<d1>{DAY}){DASH}(?P<d2>{DAY})\s+(?P<m>{MONTH}),?\s+(?P<y>{YEAR})\b"),
    # April – June 2026 / April 2025 – June 2026
    # (and "September and October 2020": coordinated months share the year, and span both)
    ("m_m_y", rf"\b(?:(?P<q>{QUAL})[\s-]+)?(?P<m1>{MONTH})(?:\s+(?P<y1>{YEAR}))?(?:{DASH}|\s+and\s+)(?P<m2>{MONTH}),?"
              rf"\s+(?P<y>{YEAR})\b"),
    # June 25, 2026
    ("m_d_y", rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})\b"),
    # 25 June 2026
    ("d_m_y", rf"\b(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MONTH}),?\s+(?P<y>{YEAR})\b"),
    # early June 2026 / June 2026 / August of 2023
    ("m_y", rf"\b(?:(?P<q>{QUAL})[\s-]+)?(?P<m>{MONTH})(?:,?\s+|\s+of\s+)(?P<y>{YEAR})\b"),
    # 2024-2026, 2024 to 2026
    ("y_y", rf"\b(?:between\s+)?(?P<y1>{YEAR})(?:\s*(?:-|–|—|to|through|and)\s*)(?P<y>{YEAR})\b"),
    # a day whose year is given relative to publication: "this year on May 6", "on May 6 last year"
    ("rel_md", rf"\b(?P<rel>last|this|next)\s+year,?\s+(?:on\s+)?(?P<m>{MONTH})\s+(?P<d>{DAY})\b"),
    ("md_rel", rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<rel>last|this|next)\s+year\b"),
    # June 24 (no year)
    ("m_d", rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})\b(?!\s*(?:,\s*)?(?:\d{{3,4}}\b|%|percent|million|billion))"),
    # 24 June (no year)
    ("d_m", rf"\b(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MONTH})\b(?!\s*,?\s*\d{{3,4}}\b)"),
    # early 2026 / in 2026 / since 2019
    ("q_y", rf"\b(?P<q>{QUAL})[\s-]+(?P<y>{YEAR})\b"),
    ("p_y", rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Dd]uring|[Uu]ntil|of|[Ff]rom|[Bb]efore|[Aa]fter)\s+(?P<x>(?P<y>{YEAR}))\b"
            rf"(?![-–]\d)"),
    # the summer of 2025, Q3 2025, the first quarter of 2026
    ("season_y", rf"\b(?:the\s+)?(?P<q>spring|summer|autumn|fall|winter)(?:\s+of)?\s+(?P<y>{YEAR})\b"),
    ("quarter_y", rf"\b(?:Q(?P<qn>[1-4])|(?:the\s+)?(?P<qw>first|second|third|fourth)\s+quarter(?:\s+of)?)\s+"
                  rf"(?P<y>{YEAR})\b"),
    # decades: the 1990s
    ("decade", r"\b(?:the\s+)?(?P<y>(?:19|20)\d0)s\b"),
    # last year, this month, earlier this year, yesterday, on Tuesday, last week
    ("rel", r"\b(?P<rel>(?:(?:earlier|later)\s+)?(?:last|this|next|past)\s+(?:year|month|week)|"
            r"(?i:yesterday|today))\b"),
    ("weekday", r"\b[Oo]n\s+(?P<x>(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"),
    # bare month with a preposition or qualifier: in April, since March, early June, April's
    ("m", rf"(?:\b(?P<pre>[Ii]n|[Ss]ince|[Bb]y|[Dd]uring|[Uu]ntil|of|[Ff]rom|[Bb]efore|[Aa]fter|[Ll]ast|[Tt]his|"
          rf"[Nn]ext|[Oo]n)\s+|['’]s\s+)(?P<x>(?:(?P<q>{QUAL})[\s-]+)?(?P<m>{MONTH}))\b(?!\s+\d)"),
    ("qm", rf"\b(?P<q>{QUAL})[\s-]+(?P<m>{MONTH})\b(?!\s+\d)"),
    # anchored offsets: two days after, three weeks later
    ("offset", rf"\b(?:just\s+|only\s+|some\s+|about\s+)?(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+"
               rf"(?P<dir>after|before|later|earlier|ago)\b"),
]
_COMPILED = [(name, re.compile(rx)) for name, rx in _PATTERNS]
# Whole-span forms for normalising a span someone else found (spaCy DATE entities): the scanner's
# patterns anchored at both ends, plus a bare year, which the scanner only takes after a preposition.
_FULL = {name: re.compile(rf"^\s*(?:on\s+|in\s+|from\s+|the\s+)?(?:{rx})\s*[.,]?\s*$")
         for name, rx in [*_PATTERNS, ("y", rf"(?P<y>{YEAR})"),
                          ("weekday", r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)")]}

_DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many|\w+-)"
    r"[\s-]*(?:year|month|week|day|decade|hour|minute|quarter)s?\b(?!\s+(?:ago|after|before|later|earlier))"
    r"|\b(?:years|months|weeks|days|decades|hours)\b(?!\s+(?:ago|after|before|later|earlier))"
    r"|\b(?:annual|annually|daily|weekly|monthly|quarterly|yearly|recent|recently|coming|future|past few)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text: character offsets (relative to the text scanned), and its
    normalisation. `spec` is None when the expression could not be resolved (a relative date with no
    publication date, a month with no year). `offset` is set for anchored expressions ("two days after"),
    as (amount, unit, direction); such a mention needs an anchor date (see `shift`)."""

    start: int
    end: int
    text: str
    spec: TimeSpec | None
    kind: str
    relative: bool = False
    offset: tuple[int, str, str] | None = None


def _year_ok(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


def _month(s: str) -> int:
    return _MONTHS[s.lower().rstrip(".")]


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str | None:
    """ISO-like value at the precision given, or None when the parts are impossible."""
    try:
        if y is None:
            if m is None or d is None:
                return None
            date(2024, m, d)  # leap year, so --02-29 stays valid
            return f"--{m:02d}-{d:02d}"
        if not _year_ok(y):
            return None
        if m is None:
            return f"{y:04d}"
        if d is None:
            date(y, m, 1)
            return f"{y:04d}-{m:02d}"
        date(y, m, d)
        return f"{y:04d}-{m:02d}-{d:02d}"
    except ValueError:
        return None


def _spec(value: str | None, end: str | None = None, qualifier: str | None = None,
          text: str | None = None) -> TimeSpec | None:
    if value is None:
        return None
    try:
        spec = TimeSpec(value=value, precision=_precision(value), end=end, qualifier=qualifier, text=text)
    except ValueError:
        return None
    if end is not None:
        b = spec.bounds()
        if b is not None and b[1] < b[0]:
            return None
    return spec


def _precision(value: str) -> DatePrecision:
    if value.startswith("--"):
        return DatePrecision.month_day
    return {4: DatePrecision.year, 7: DatePrecision.month, 10: DatePrecision.day}[len(value)]


def _norm_qual(q: str | None) -> str | None:
    if not q:
        return None
    q = re.sub(r"\s+", " ", q.lower()).removeprefix("the ")
    return {"end of": "late", "beginning of": "early", "start of": "early", "middle of": "mid"}.get(q, q)


def _number(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else _NUMBER_WORDS.get(s, 1)


def _resolve_month(m: int, published: date | None) -> str | None:
    """A month named without a year: the most recent such month up to the publication date."""
    if published is None:
        return None
    y = published.year if m <= published.month else published.year - 1
    return _iso(y, m)


def _from_match(name: str, g: dict[str, str | None], text: str,
                published: date | None) -> tuple[TimeSpec | None, bool]:
    """(spec, relative) for one regex match."""
    q = _norm_qual(g.get("q"))
    if name == "iso":
        return _spec(_iso(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0)), text=text), False
    if name in ("md_md_y", "dm_dm_y", "b_md_md_y"):
        y = int(g["y"] or 0)
        y1 = int(g["y1"] or 0) if g.get("y1") else y
        m1, m2 = _month(g["m1"] or ""), _month(g["m2"] or "")
        if not g.get("y1") and m1 > m2:
            y1 = y - 1  # December 20 – January 5, 2026
        return _spec(_iso(y1, m1, _day(g["d1"] or "")), _iso(y, m2, _day(g["d2"] or "")), text=text), False
    if name in ("m_dd_y", "dd_m_y"):
        y, m = int(g["y"] or 0), _month(g["m"] or "")
        return _spec(_iso(y, m, _day(g["d1"] or "")), _iso(y, m, _day(g["d2"] or "")), text=text), False
    if name in ("m_m_y", "b_m_m_y"):
        y = int(g["y"] or 0)
        m1, m2 = _month(g["m1"] or ""), _month(g["m2"] or "")
        y1 = int(g["y1"] or 0) if g.get("y1") else (y if m1 <= m2 else y - 1)
        return _spec(_iso(y1, m1), _iso(y, m2), qualifier=q, text=text), False
    if name in ("m_d_y", "d_m_y"):
        return _spec(_iso(int(g["y"] or 0), _month(g["m"] or ""), _day(g["d"] or "")), text=text), False
    if name == "m_y":
        return _spec(_iso(int(g["y"] or 0), _month(g["m"] or "")), qualifier=q, text=text), False
    if name == "y_y":
        y1, y2 = int(g["y1"] or 0), int(g["y"] or 0)
        if y2 <= y1:
            return None, False
        return _spec(_iso(y1), _iso(y2), text=text), False
    if name in ("rel_md", "md_rel"):
        if published is None:
            return None, True
        step = {"last": -1, "this": 0, "next": 1}[(g["rel"] or "this").lower()]
        return _spec(_iso(published.year + step, _month(g["m"] or ""), _day(g["d"] or "")), text=text), True
    if name in ("m_d", "d_m"):
        m, d = _month(g["m"] or ""), _day(g["d"] or "")
        if published is not None:
            return _spec(_resolve_day(m, d, published), text=text), True
        return _spec(_iso(None, m, d), text=text), False
    if name == "quarter_y":
        n = int(g["qn"] or 0) if g.get("qn") else ["first", "second", "third", "fourth"].index(g["qw"] or "first") + 1
        y = int(g["y"] or 0)
        return _spec(_iso(y, 3 * n - 2), _iso(y, 3 * n), qualifier=f"Q{n}", text=text), False
    if name in ("q_y", "p_y", "season_y", "y"):
        return _spec(_iso(int(g["y"] or 0)), qualifier=q, text=text), False
    if name == "decade":
        y = int(g["y"] or 0)
        return _spec(_iso(y), _iso(y + 9), qualifier="decade", text=text), False
    if name == "rel":
        return _relative(g["rel"] or "", published, text), True
    if name == "weekday":
        if published is None:
            return None, True
        wd = WEEKDAYS[(g["wd"] or "").lower()]
        delta = (published.weekday() - wd) % 7
        return _spec((published - timedelta(days=delta)).isoformat(), text=text), True
    if name in ("m", "qm"):
        m = _month(g["m"] or "")
        pre = (g.get("pre") or "").lower()
        if published is not None and pre == "next":
            y = published.year if m > published.month else published.year + 1
            return _spec(_iso(y, m), qualifier=q, text=text), True
        if published is not None and pre == "this":
            return _spec(_iso(published.year, m), qualifier=q, text=text), True
        return _spec(_resolve_month(m, published), qualifier=q, text=text), True
    return None, False


_BARE_WEEKDAY = re.compile(r"^\s*(?:on\s+|this\s+(?:coming\s+)?)?"
                           r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*$")


def upcoming_weekday(text: str, published: date | None) -> TimeSpec | None:
    """A bare weekday in a sentence about the future ("the ban will take effect Sunday"): the next such
    day after publication, not the last one."""
    m = _BARE_WEEKDAY.match(text)
    if m is None or published is None:
        return None
    delta = (WEEKDAYS[m.group("wd").lower()] - published.weekday()) % 7 or 7
    return _spec((published + timedelta(days=delta)).isoformat(), text=text)


def _resolve_day(m: int, d: int, published: date) -> str | None:
    """A day and month with no year, read against the publication date: this year's, unless that lies
    more than two months after publication (then last year's)."""
    value = _iso(published.year, m, d)
    if value is None:
        return _iso(published.year - 1, m, d) if (m, d) == (2, 29) else None
    if date.fromisoformat(value) > published + timedelta(days=62):
        return _iso(published.year - 1, m, d)
    return value


def _relative(expr: str, published: date | None, text: str) -> TimeSpec | None:
    if published is None:
        return None
    e = re.sub(r"\s+", " ", expr.lower())
    qualifier = None
    if e.startswith(("earlier ", "later ")):
        qualifier, e = e.split(" ", 1)
    if e in ("today",):
        return _spec(published.isoformat(), text=text)
    if e == "yesterday":
        return _spec((published - timedelta(days=1)).isoformat(), text=text)
    which, unit = e.split(" ", 1)
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    if unit == "year":
        return _spec(_iso(published.year + step), qualifier=qualifier, text=text)
    if unit == "week":  # a week is told at the precision of its month ("last week" in a 11 August story: August)
        day = published + timedelta(days=7 * step)
        return _spec(_iso(day.year, day.month), qualifier=qualifier, text=text)
    y, m = published.year, published.month + step
    if m < 1:
        y, m = y - 1, 12
    elif m > 12:
        y, m = y + 1, 1
    return _spec(_iso(y, m), qualifier=qualifier, text=text)


def shift(anchor: TimeSpec, amount: int, unit: str, direction: str) -> TimeSpec | None:
    """The date `amount` `unit`s after/before `anchor`, at a precision no finer than the anchor's
    (a day offset from a month-precision anchor gives nothing: that would invent a day)."""
    if anchor.precision is DatePrecision.month_day or anchor.end is not None:
        return None
    sign = -1 if direction in ("before", "earlier", "ago") else 1
    parts = [int(p) for p in anchor.value.split("-")]
    try:
        if unit in ("day", "week"):
            if anchor.precision is not DatePrecision.day:
                return None
            d = date(parts[0], parts[1], parts[2]) + timedelta(days=sign * amount * (7 if unit == "week" else 1))
            return _spec(d.isoformat(), text=None)
        if unit == "month":
            if anchor.precision is DatePrecision.year:
                return None
            total = parts[0] * 12 + (parts[1] - 1) + sign * amount
            return _spec(_iso(total // 12, total % 12 + 1))
        if unit == "year":
            return _spec(_iso(parts[0] + sign * amount))
    except (ValueError, OverflowError):
        return None
    return None


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def find_dates(text: str, published: date | None = None) -> list[DateMention]:
    """Explicit and relative date expressions in `text`, left to right, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for name, rx in _COMPILED:
        for m in rx.finditer(text):
            g = m.groupdict()
            span = m.span("x") if g.get("x") else m.span()
            if _overlaps(span, taken):
                continue
            surface = text[span[0]:span[1]]
            if name == "offset":
                found.append(DateMention(span[0], span[1], surface, None, name, True,
                                         (_number(g["n"] or "1"), g["unit"] or "day", g["dir"] or "after")))
                taken.append(span)
                continue
            spec, relative = _from_match(name, g, surface, published)
            if spec is None and not relative and name not in ("m", "qm"):
                continue  # an impossible date: not a date
            found.append(DateMention(span[0], span[1], surface, spec, name, relative))
            taken.append(span)
    found.sort(key=lambda d: d.start)
    return found


_RELATIVE_HEADINGS = re.compile(r"^\s*(?:this|last|next)\s+(?:month|year|week)\s*\(", re.IGNORECASE)


class DateNormaliser:
    """Normalises date strings (e.g. spaCy DATE spans) to TimeSpec; one DateDataParser, reused."""

    def __init__(self) -> None:
        from dateparser.date import DateDataParser

        self._parser = DateDataParser(
            languages=["en"],
            settings={"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False},
        )

    def normalise(self, text: str, published: date | None = None) -> TimeSpec | None:
        """TimeSpec for a whole date expression, or None (durations, unresolvable, impossible)."""
        return self._normalise(text.strip(), published)

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per Extractor; bounded
    def _normalise(self, text: str, published: date | None) -> TimeSpec | None:
        if not text or len(text) > 80:
            return None
        for name, rx in _FULL.items():
            m = rx.match(text)
            if m is None:
                continue
            if name == "offset":
                return None
            spec, _rel = _from_match(name, m.groupdict(), text, published)
            return spec
        mentions = find_dates(text, published)
        if mentions:
            return mentions[0].spec
        if _DURATION.search(text) or not re.search(r"[A-Za-z0-9]", text):
            return None
        return self._dateparser(text, published)

    def _dateparser(self, text: str, published: date | None) -> TimeSpec | None:
        if re.search(r"\d{4}s\b|\d+\s*(?:am|pm|:\d\d)|\bage\b|%", text, re.IGNORECASE):
            return None
        bases = (datetime(2001, 1, 15), datetime(2011, 7, 20))
        results = []
        for base in bases:
            self._parser._settings.RELATIVE_BASE = base  # type: ignore[attr-defined]
            try:
                data = self._parser.get_date_data(text)
            except Exception:  # dateparser raises assorted errors on odd input
                return None
            results.append((data.date_obj, data.period))
        (d1, p1), (d2, p2) = results
        if d1 is None or d2 is None or p1 not in ("day", "month", "year"):
            return None
        cut = {"year": 1, "month": 2, "day": 3}[p1]
        relative = p1 != p2 or d1.timetuple()[:cut] != d2.timetuple()[:cut]
        if relative:
            if published is None:
                return None
            self._parser._settings.RELATIVE_BASE = datetime(published.year, published.month, published.day)  # type: ignore[attr-defined]
            try:
                data = self._parser.get_date_data(text)
            except Exception:
                return None
            if data.date_obj is None:
                return None
            d1, p1 = data.date_obj, data.period
        if d1.hour or d1.minute or d1.second:
            return None
        if p1 == "year":
            return _spec(_iso(d1.year), text=text)
        if p1 == "month":
            return _spec(_iso(d1.year, d1.month), text=text)
        if p1 == "day":
            return _spec(_iso(d1.year, d1.month, d1.day), text=text)
        return None


_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*){{0,4}},?\s*(?:\([A-Za-z .]+\)\s*)?)?"
    rf"(?P<date>(?P<m>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR}))\s*(?:\([A-Za-z .]+\)\s*)?(?:-|–|—|:|/)"
)
_PUBLISHED_LINE = re.compile(
    rf"^\s*(?:Published|Posted|Updated|Date)\s*:?\s*(?:on\s+)?(?P<date>(?P<m>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})"
    rf"|(?P<d2>{DAY})\s+(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR})|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d))",
    re.IGNORECASE | re.MULTILINE,
)


def dateline(text: str) -> tuple[date, tuple[int, int]] | None:
    """The publication date a news dateline gives ("BRUSSELS, March 4, 2025 – ..." or a
    "Published: March 4, 2025" line near the top), with the date's character span."""
    head = text[:400]
    m = _DATELINE.match(head)
    if m:
        value = _iso(int(m["y"]), _month(m["m"]), _day(m["d"]))
        if value:
            return date.fromisoformat(value), (m.start("date"), m.end("date"))
    for pm in _PUBLISHED_LINE.finditer(head):
        if pm["iso"]:
            value = _iso(int(pm["iso"][:4]), int(pm["iso"][5:7]), int(pm["iso"][8:10]))
        elif pm["m"]:
            value = _iso(int(pm["y"]), _month(pm["m"]), _day(pm["d"]))
        else:
            value = _iso(int(pm["y2"]), _month(pm["m2"]), _day(pm["d2"]))
        if value:
            return date.fromisoformat(value), (pm.start("date"), pm.end("date"))
    return None


def is_relative_heading(text: str) -> bool:
    return bool(_RELATIVE_HEADINGS.match(text))
