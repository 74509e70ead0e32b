"""Attributions: the third-party sources an article cites for a claim, one per (source, sentence).

* a named outlet (outlet registry) in a sentence with a citation cue ("reported", "according to",
  "per", "seen by", "data showed", "a request for comment from") -> AttributionKind.outlet;
* anonymous sources ("people familiar with the matter", "people briefed on ...") -> anonymous,
  normalised to one name;
* unnamed reports and rumours ("unconfirmed reports", "multiple reports") -> unconfirmed.
A principal's own statement ("the company said", "according to the letter") is not an attribution here:
it is the allegation itself, and its Evidence gets attribution_kind=statement.
Outlets in photo/image credit lines are ignored.
"""

from __future__ import annotations

import re

from ingest.context import DocContext, Sentence
from ontology.models import AttributionKind, AttributionRecord

_WORD = re.compile(r"[A-Za-z’']+")


def sentence_attributions(ctx: DocContext, sent: Sentence) -> list[tuple[str, AttributionKind]]:
    """(source, kind) pairs cited in one sentence, in text order."""
    out: list[tuple[str, AttributionKind]] = []
    if ctx.actors.in_credit(sent.start_char):
        return out
    found: list[tuple[int, str, AttributionKind]] = []
    outlets = [o for o in ctx.actors.outlets if sent.start <= o.start < sent.end]
    if outlets:
        doc = ctx.doc
        words = {t.lemma_.lower() for t in doc[sent.start:sent.end]} | \
            {w.lower() for w in _WORD.findall(sent.text)}
        if words & ctx.lex.attribution_cues:
            for o in outlets:
                found.append((doc[o.start].idx, o.name, AttributionKind.outlet))
    for m in ctx.lex.anonymous.finditer(sent.text):
        found.append((sent.start_char + m.start(), ctx.lex.anonymous_name, AttributionKind.anonymous))
    for m in ctx.lex.unconfirmed.finditer(sent.text):
        found.append((sent.start_char + m.start(), _clean(m.group(0)), AttributionKind.unconfirmed))
    seen: set[str] = set()
    for _pos, name, kind in sorted(found, key=lambda x: x[0]):
        if name not in seen:
            seen.add(name)
            out.append((name, kind))
    return out


def _clean(s: str) -> str:
    return " ".join(s.lower().split())


Cited = dict[int, list[tuple[str, AttributionKind]]]


def extract_attributions(ctx: DocContext) -> tuple[list[AttributionRecord], Cited]:
    """All attribution records, and per sentence index the sources it cites."""
    records: list[AttributionRecord] = []
    per_sentence: Cited = {}
    for sent in ctx.sentences:
        cited = sentence_attributions(ctx, sent)
        if not cited:
            continue
        per_sentence[sent.index] = cited
        for name, kind in cited:
            records.append(AttributionRecord(source=name, kind=kind, evidence=ctx.evidence(sent)))
    return records, per_sentence
