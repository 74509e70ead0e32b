"""Extraction -> the JSON record ../shared/eval/score.py reads (one per article).

Names instead of ids (the canonical actor name), ActorType.Group reported as "Other" (with the
ontology type kept in `ontology_type`), dates as the TimeSpec value at its precision, except
month_day dates (no year given), which are reported as null. Extra fields are informative and are
ignored by the scorer.
"""

from __future__ import annotations

from typing import Any

from ontology.models import ActorType, DatePrecision, Extraction, TimeSpec


def _date(spec: TimeSpec | None) -> str | None:
    if spec is None or spec.precision is DatePrecision.month_day:
        return None
    return spec.value


def _end(spec: TimeSpec | None) -> str | None:
    if spec is None or spec.end is None or spec.end_precision is DatePrecision.month_day:
        return None
    return spec.end


def _spec(spec: TimeSpec | None) -> dict[str, Any] | None:
    return spec.model_dump(mode="json", exclude_none=True) if spec is not None else None


def to_score_record(extraction: Extraction) -> dict[str, Any]:
    art = extraction.article
    names = {a.id: a.name for a in extraction.actors}

    def name(actor_id: str) -> str:
        return names.get(actor_id, actor_id)

    actors = [
        {
            "name": a.name,
            "aliases": list(a.aliases),
            "type": "Other" if a.type is ActorType.Group else a.type.value,
            "ontology_type": a.type.value,
            "id": a.id,
            "source": a.source,
        }
        for a in extraction.actors
    ]
    allegations = [
        {
            "accuser": name(al.accuser),
            "accused": [name(x) for x in al.accused],
            "kind": al.kind.value,
            "date": _date(al.date),
            "evidence": al.evidence.sentence,
            "pattern": al.evidence.pattern,
            "start": al.evidence.start,
            "end": al.evidence.end,
            "period": _spec(al.period),
            "date_spec": _spec(al.date),
            "figures": [f.model_dump(mode="json", exclude_none=True) for f in al.figures],
            "status": al.status.value,
            "status_cues": list(al.status_cues),
            "hedges": list(al.evidence.hedges),
            "attributions": list(al.evidence.attributions),
            "attribution_kind": al.evidence.attribution_kind.value if al.evidence.attribution_kind else None,
        }
        for al in extraction.allegations
    ]
    actions = [
        {
            "issuer": name(ac.issuer),
            "targets": [name(x) for x in ac.targets],
            "kind": ac.kind.value,
            "date": _date(ac.date),
            "evidence": ac.evidence.sentence,
            "pattern": ac.evidence.pattern,
            "start": ac.evidence.start,
            "end": ac.evidence.end,
            "negated": ac.negated,
            "date_spec": _spec(ac.date),
        }
        for ac in extraction.actions
    ]
    events = [
        {
            "date": _date(ev.date),
            "end": _end(ev.date),
            "actors": [name(x) for x in ev.actors],
            "evidence": ev.evidence.sentence,
            "start": ev.evidence.start,
            "end_char": ev.evidence.end,
            "qualifier": ev.date.qualifier,
            "date_spec": _spec(ev.date),
        }
        for ev in extraction.events
    ]
    attributions = [
        {"source": at.source, "kind": at.kind.value, "evidence": at.evidence.sentence,
         "start": at.evidence.start, "end": at.evidence.end}
        for at in extraction.attributions
    ]
    return {
        "doc_id": art.doc_id,
        "title": art.title,
        "outlet": art.outlet,
        "published": art.published.isoformat() if art.published else None,
        "url": art.url,
        "article_id": art.id,
        "extractor_version": extraction.extractor_version,
        "actors": actors,
        "allegations": allegations,
        "actions": actions,
        "dated_events": events,
        "attributions": attributions,
    }
