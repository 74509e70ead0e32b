"""Quantities as the text gives them: "more than 28.8 million exchanges", "nearly 25,000 fraudulent
accounts", "thousands of fake accounts", "nearly 3%" -> Figure(value, unit, qualifier, low, high)."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Doc

from ontology.models import Figure

_QUALIFIERS = {
    # qualifier -> (low factor, high factor); None = open
    "more than": (1.0, None), "over": (1.0, None), "upwards of": (1.0, None), "in excess of": (1.0, None),
    "above": (1.0, None), "at least": (1.0, None), "no fewer than": (1.0, None), "no less than": (1.0, None),
    "nearly": (0.9, 1.0), "almost": (0.9, 1.0), "close to": (0.9, 1.0), "just under": (0.9, 1.0),
    "about": (0.9, 1.1), "around": (0.9, 1.1), "approximately": (0.9, 1.1), "roughly": (0.9, 1.1),
    "some": (0.9, 1.1), "an estimated": (0.9, 1.1), "estimated": (0.9, 1.1), "nearly some": (0.9, 1.0),
    "up to": (None, 1.0), "as many as": (None, 1.0), "as much as": (None, 1.0), "fewer than": (None, 1.0),
    "less than": (None, 1.0), "under": (None, 1.0), "at most": (None, 1.0), "no more than": (None, 1.0),
}
_MULT = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
         "trillion": 1e12, "tn": 1e12}
_VAGUE = {"dozens": (24.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2e3, 999_999.0),
          "tens of thousands": (2e4, 99_999.0), "hundreds of thousands": (2e5, 999_999.0),
          "millions": (2e6, 999_999_999.0), "billions": (2e9, 999_999_999_999.0)}
_QUAL_RX = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_NUM_RX = re.compile(
    rf"(?:(?P<qual>{_QUAL_RX})\s+(?:an?\s+)?(?:astounding\s+|staggering\s+|whopping\s+|mere\s+)?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn|mn|tn)\b|(?P<mult2>[kKmMbB])\b)?"
    r"\s*(?P<pct>%|percent\b|per\s+cent\b)?",
    re.IGNORECASE,
)
_VAGUE_RX = re.compile(
    r"\b(?P<vague>tens of thousands|hundreds of thousands|dozens|hundreds|thousands|millions|billions)\s+of\b",
    re.IGNORECASE)
_TIME_UNITS = frozenset({"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
                         "minute", "minutes", "decade", "decades", "second", "seconds", "quarter", "quarters"})
_SKIP_WORDS = frozenset({"of", "the", "a", "an", "more", "fake", "new"})


def mentions_quantity(text: str) -> bool:
    """Cheap test: does the text contain a number or a vague quantity ("thousands of")?"""
    return bool(re.search(r"\d", text) or _VAGUE_RX.search(text))


def _unit_after(doc: Doc, char: int) -> tuple[str | None, int]:
    """The head noun after a number ending at `char`, and the character where the phrase ends."""
    first = bisect_left(range(len(doc)), char, key=lambda i: doc[i].idx)
    toks = list(doc[first:first + 6])
    if not toks:
        return None, char
    for t in toks:
        if t.is_punct and t.text not in ("-", "‑"):
            break
        if t.pos_ in ("NOUN", "PROPN") and (t.dep_ != "compound" or t.head.i <= t.i):
            return t.lower_, t.idx + len(t.text)
        if not t.pos_ and t.is_alpha and t.lower_ not in _SKIP_WORDS:  # no tagger: take the first word
            return t.lower_, t.idx + len(t.text)
    return None, char


def find_figures(doc: Doc, start_char: int, end_char: int, skip: list[tuple[int, int]],
                 full: str | None = None) -> list[Figure]:
    """Figures in doc.text[start_char:end_char] (`full` is doc.text, if the caller has it), ignoring
    spans in `skip` (dates, names)."""
    full = full if full is not None else doc.text
    text = full[start_char:end_char]
    out: list[Figure] = []
    for m in _VAGUE_RX.finditer(text):
        s = start_char + m.start()
        vunit, vend = _unit_after(doc, start_char + m.end())
        if vunit is None or vunit in _TIME_UNITS:
            continue
        vlow, vhigh = _VAGUE[m.group("vague").lower()]
        out.append(Figure(value=vlow, unit=vunit, qualifier=m.group("vague").lower() + " of", low=vlow, high=vhigh,
                          text=full[s:vend]))
    for m in _NUM_RX.finditer(text):
        s, e = start_char + m.start("num"), start_char + m.end()
        if any(a < e and s < b for a, b in skip):
            continue
        if m.start("num") > 0 and text[m.start("num") - 1] in "-–/:" and not m.group("qual"):
            continue  # part of a range, ratio or identifier
        if re.match(r"\s*[-‑]\s*(?:year|month|week|day|hour)", text[m.end("num"):], re.IGNORECASE):
            continue  # "16-month low" is a duration
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        mult = (m.group("mult") or m.group("mult2") or "").lower()
        if mult:
            value *= _MULT.get(mult, 1.0)
        unit: str | None
        if m.group("pct"):
            unit, end = "percent", e
        else:
            unit, end = _unit_after(doc, e)
            if unit is None or unit in _TIME_UNITS:
                continue
            if not mult and 1900 <= value <= 2100 and "." not in raw and "," not in m.group("num"):
                continue  # a year
        qual = (m.group("qual") or "").lower() or None
        low: float | None = value
        high: float | None = value
        if qual:
            lf, hf = _QUALIFIERS[qual]
            low = value * lf if lf is not None else None
            high = value * hf if hf is not None else None
        qs = start_char + m.start() if qual else s
        out.append(Figure(value=value, unit=unit or "", qualifier=qual, low=low, high=high, text=full[qs:end]))
    return out
