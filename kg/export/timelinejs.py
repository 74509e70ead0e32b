"""TimelineJS export for newsrooms: one slide per fact with a year; text HTML-escaped."""

from __future__ import annotations

import html
from typing import Any

from kg.dates import display
from kg.export.snapshot import Snapshot
from ontology.models import FACT_LABELS, DatePrecision, precision_of
from ontology.vocabulary import vocabulary

# TimelineJS groups are the ontology's plural labels of the fact classes.
_GROUPS = {str(label): vocabulary.plural_label(label) for label in FACT_LABELS}


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


def timelinejs(snap: Snapshot, title: str = "AI geopolitics timeline", subtitle: str | None = None) -> dict[str, Any]:
    events = []
    left_out = 0
    for fid in snap.sorted_facts():
        p = snap.facts[fid]
        start = _tl_date(p.get("date_value"))
        if start is None:
            left_out += 1
            continue
        fact_type = snap.fact_types[fid]
        arts = snap.articles_of(fid)
        sources = sorted({n for a in arts if (n := snap.outlet_name(a))})
        reliability = p.get("reliability")
        meta = [str(p.get("kind") or "").replace("_", " ") if fact_type != "Event" else "event"]
        if p.get("status") and p.get("status") != "alleged":
            meta.append(str(p["status"]).replace("_", " "))
        if reliability is not None:
            meta.append(f"reliability {float(reliability):.0f}/100")
        meta.append(f"{p.get('n_articles') or len(arts)} article(s)")
        body = [f"<p>{_e(' · '.join(m for m in meta if m))}</p>"]
        if sources:
            body.append(f"<p>Sources: {_e(', '.join(sources))}</p>")
        quotes = []
        for e in snap.evidence_of(fid)[:5]:
            art = snap._article(e)
            where = ", ".join(x for x in (snap.outlet_name(snap.evidence_article.get(e, "")),
                                          str(art.get("published") or ""), str(art.get("doc_id") or "")) if x)
            quotes.append(f"<li>“{_e(snap.evidence[e]['sentence'])}” <em>({_e(where)})</em></li>")
        if quotes:
            body.append("<ul>" + "".join(quotes) + "</ul>")
        slide: dict[str, Any] = {
            "unique_id": f"fact-{fid}",
            "start_date": start,
            "display_date": p.get("date_display") or display(p.get("date_value"), p.get("date_end"),
                                                             p.get("date_qualifier")),
            "text": {"headline": _e(p.get("title") or fact_type), "text": "".join(body)},
            "group": _GROUPS[fact_type],
        }
        end = _tl_date(p.get("date_end"))
        if end is not None:
            slide["end_date"] = end
        events.append(slide)
    intro = [f"{len(events)} dated facts from {len(snap.articles)} article(s), each with the sentences that "
             "report it and a reliability score (0-100)."]
    if subtitle:
        intro.insert(0, subtitle)
    if left_out:
        intro.append(f"{left_out} fact(s) without a year (undated, or a day and month only) are left out.")
    return {
        "title": {"text": {"headline": _e(title), "text": "".join(f"<p>{_e(x)}</p>" for x in intro)}},
        "events": events,
    }
