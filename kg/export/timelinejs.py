"""TimelineJS export for newsrooms: one slide per fact with a year; text HTML-escaped.

Two ways in, one slide format: `timelinejs(snap)` for `kg export --format timelinejs` (a `Snapshot` of the graph
or of a selection), and `story(facts, quotes)` for the app's story view, built from facts the query layer has
already filtered (kg.queries.story), so the view and the export give the same slides for the same facts."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.dates import display
from kg.export.snapshot import Snapshot
from ontology.models import FACT_LABELS, DatePrecision, precision_of
from ontology.vocabulary import vocabulary

# TimelineJS groups are the ontology's plural labels of the fact classes.
_GROUPS = {str(label): vocabulary.plural_label(label) for label in FACT_LABELS}
QUOTES_PER_SLIDE = 5


@dataclass(frozen=True)
class Quote:
    """A sentence behind a fact and where it was published (outlet, date, doc id: whichever are known)."""

    sentence: str
    where: str = ""


@dataclass(frozen=True)
class SlideFact:
    """What a slide says about a fact: the graph's properties the export reads, nothing more."""

    id: str
    fact_type: str
    title: str | None = None
    kind: str | None = None
    status: str | None = None
    reliability: float | None = None
    n_articles: int = 0
    date_value: str | None = None
    date_end: str | None = None
    date_display: str | None = None
    date_qualifier: str | None = None
    sources: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = field(default_factory=tuple)


def _tl_date(value: str | None) -> dict[str, str] | None:
    """A TimelineJS date at the value's precision; None without a year (never a guessed day or year)."""
    if not value:
        return None
    p = precision_of(value)
    if p is DatePrecision.month_day:
        return None
    parts = [str(int(x)) for x in value.split("-")]
    return dict(zip(("year", "month", "day"), parts, strict=False))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def slide(f: SlideFact) -> dict[str, Any] | None:
    """One TimelineJS slide, or None for a fact without a year. Every text is HTML-escaped."""
    start = _tl_date(f.date_value)
    if start is None:
        return None
    meta = [str(f.kind or "").replace("_", " ") if f.fact_type != "Event" else "event"]
    if f.status and f.status != "alleged":
        meta.append(str(f.status).replace("_", " "))
    if f.reliability is not None:
        meta.append(f"reliability {float(f.reliability):.0f}/100")
    meta.append(f"{f.n_articles} article(s)")
    body = [f"<p>{_e(' · '.join(m for m in meta if m))}</p>"]
    if f.sources:
        body.append(f"<p>Sources: {_e(', '.join(f.sources))}</p>")
    quotes = [f"<li>“{_e(q.sentence)}” <em>({_e(q.where)})</em></li>" for q in f.quotes[:QUOTES_PER_SLIDE]]
    if quotes:
        body.append("<ul>" + "".join(quotes) + "</ul>")
    out: dict[str, Any] = {
        "unique_id": f"fact-{f.id}",
        "start_date": start,
        "display_date": f.date_display or display(f.date_value, f.date_end, f.date_qualifier),
        "text": {"headline": _e(f.title or f.fact_type), "text": "".join(body)},
        "group": _GROUPS[f.fact_type],
    }
    end = _tl_date(f.date_end)
    if end is not None:
        out["end_date"] = end
    return out


def document(facts: Iterable[SlideFact], n_articles: int, title: str = "AI geopolitics timeline",
             subtitle: str | None = None) -> dict[str, Any]:
    """A TimelineJS document: a title slide saying what it holds and what it leaves out, then the slides."""
    events = []
    left_out = 0
    for f in facts:
        made = slide(f)
        if made is None:
            left_out += 1
        else:
            events.append(made)
    intro = [f"{len(events)} dated facts from {n_articles} article(s), each with the sentences that "
             "report it and a reliability score (0-100)."]
    if subtitle:
        intro.insert(0, subtitle)
    if left_out:
        intro.append(f"{left_out} fact(s) without a year (undated, or a day and month only) are left out.")
    return {
        "title": {"text": {"headline": _e(title), "text": "".join(f"<p>{_e(x)}</p>" for x in intro)}},
        "events": events,
    }


def _snapshot_fact(snap: Snapshot, fid: str) -> SlideFact:
    p = snap.facts[fid]
    arts = snap.articles_of(fid)
    quotes = []
    for e in snap.evidence_of(fid)[:QUOTES_PER_SLIDE]:
        art = snap._article(e)
        where = ", ".join(x for x in (snap.outlet_name(snap.evidence_article.get(e, "")),
                                      str(art.get("published") or ""), str(art.get("doc_id") or "")) if x)
        quotes.append(Quote(str(snap.evidence[e]["sentence"]), where))
    return SlideFact(
        id=fid, fact_type=snap.fact_types[fid], title=p.get("title"), kind=p.get("kind"), status=p.get("status"),
        reliability=p.get("reliability"), n_articles=int(p.get("n_articles") or len(arts)),
        date_value=p.get("date_value"), date_end=p.get("date_end"), date_display=p.get("date_display"),
        date_qualifier=p.get("date_qualifier"),
        sources=tuple(sorted({n for a in arts if (n := snap.outlet_name(a))})), quotes=tuple(quotes))


def timelinejs(snap: Snapshot, title: str = "AI geopolitics timeline", subtitle: str | None = None) -> dict[str, Any]:
    return document((_snapshot_fact(snap, fid) for fid in snap.sorted_facts()), len(snap.articles), title=title,
                    subtitle=subtitle)


def story(facts: Sequence[Mapping[str, Any]], quotes: Mapping[str, Sequence[Quote]], n_articles: int,
          title: str = "AI geopolitics timeline", subtitle: str | None = None) -> dict[str, Any]:
    """The TimelineJS document of facts as the query layer returns them (kg.queries.FactItem dumps), in
    their order, with the sentences in `quotes` (fact id -> quotes)."""
    return document((SlideFact(
        id=f["id"], fact_type=f["fact_type"], title=f.get("title"), kind=f.get("kind"), status=f.get("status"),
        reliability=f.get("reliability"), n_articles=int(f.get("n_articles") or 0), date_value=f.get("date_value"),
        date_end=f.get("date_end"), date_display=f.get("date_display"), date_qualifier=f.get("date_qualifier"),
        sources=tuple(f.get("sources") or ()), quotes=tuple(quotes.get(f["id"], ()))) for f in facts),
        n_articles, title=title, subtitle=subtitle)
