"""From extraction records to graph rows, and from a fact's evidence to its summary.

A fact is identified by who did what to whom, not by the words of one article: the same allegation
reported by four outlets is one node with four evidence sentences. Its date, kind and reliability are
summaries of that evidence, recomputed whenever an article adds or removes some.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.conflicts import ConflictPair, detect
from kg.dates import PRECISION_RANK, bounds, display, spec_from_props
from kg.names import page_bucket, sort_key
from kg.reliability import ReliabilityWeights, Report, score
from ontology.models import (
    ActionRecord,
    AllegationRecord,
    EventRecord,
    Evidence,
    Extraction,
    TimeSpec,
    precision_of,
    stable_id,
)
from ontology.vocabulary import vocabulary
from reference.outlets import OutletRegistry

# Reported as denied by one article and alleged by another, a fact is denied: the ontology says which wins.
_STATUS_PRECEDENCE = vocabulary.precedence("AllegationStatus")


# Fact keys are computed from canonical actor ids: `canon` maps an actor a curator merged into another to that
# actor's id (kg/curation.py, from the standing `same` judgements); an actor missing from it is its own.
Canon = dict[str, str]


def _ids(actor_ids: list[str], canon: Canon | None) -> list[str]:
    """The canonical ids of `actor_ids`, in order, each once."""
    return list(dict.fromkeys(canon.get(a, a) for a in actor_ids)) if canon else list(dict.fromkeys(actor_ids))


def allegation_id(rec: AllegationRecord, canon: Canon | None = None) -> str:
    accuser = _ids([rec.accuser], canon)[0]
    return stable_id("Allegation", accuser, _ids(rec.accused, canon)[0], vocabulary.kind_family(rec.kind.value))


def action_id(rec: ActionRecord, canon: Canon | None = None) -> str:
    targets = _ids(rec.targets, canon)
    target = targets[0] if targets else ""
    return stable_id("GovernmentAction", _ids([rec.issuer], canon)[0], target,
                     vocabulary.kind_family(rec.kind.value), rec.negated)


def event_id(rec: EventRecord, canon: Canon | None = None) -> str:
    return stable_id("Event", rec.date.value, rec.date.end, *sorted(set(_ids(rec.actors, canon))))


@dataclass
class ArticleRows:
    """Everything one article writes, as parameter rows for the UNWIND statements."""

    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # label -> rows
    roles: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # relation -> rows
    evidence: list[dict[str, Any]] = field(default_factory=list)
    cites: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)  # actors named in an evidence sentence
    cited_outlets: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def fact_ids(self) -> list[str]:
        return sorted({row["id"] for rows in self.facts.values() for row in rows})


def _date_props(prefix: str, spec: TimeSpec | None) -> dict[str, Any]:
    if spec is None:
        return {f"{prefix}_value": None, f"{prefix}_end": None, f"{prefix}_precision": None,
                f"{prefix}_qualifier": None, f"{prefix}_text": None}
    return {
        f"{prefix}_value": spec.value,
        f"{prefix}_end": spec.end,
        f"{prefix}_precision": spec.precision.value,
        f"{prefix}_qualifier": spec.qualifier,
        f"{prefix}_text": spec.text,
    }


def _evidence_props(e: Evidence) -> dict[str, Any]:
    return {
        "sentence": e.sentence,
        "start": e.start,
        "end": e.end,
        "attributions": list(e.attributions),
        "attribution_kind": e.attribution_kind.value if e.attribution_kind else None,
        "hedges": list(e.hedges),
        "pattern": e.pattern,
    }


def _name_patterns(ex: Extraction) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for a in ex.actors:
        forms = sorted({f for f in [a.name, *a.aliases] if len(f) >= 2}, key=len, reverse=True)
        if forms:
            out.append((a.id, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")))
    return out


def article_rows(ex: Extraction, outlets: OutletRegistry, canon: Canon | None = None) -> ArticleRows:
    """The rows one article writes. Facts and their roles name canonical actors (`canon`); the evidence's
    mentions keep the actors the article itself named, so undoing a merge can give them back."""
    rows = ArticleRows()
    names = _name_patterns(ex)
    article_id = ex.article.id
    published = ex.article.published.isoformat() if ex.article.published else None

    def add(label: str, ids: tuple[str, str], family: str, negated: bool, roles: list[tuple[str, list[str]]],
            evidence: Evidence, props: dict[str, Any]) -> None:
        fact_id, extracted_id = ids  # the fact's key from canonical actors, and from the actors as extracted
        if fact_id not in {r["id"] for r in rows.facts.get(label, [])}:
            rows.facts.setdefault(label, []).append(
                {"id": fact_id, "fact_type": label, "kind_family": family, "negated": negated})
        for relation, actor_ids in roles:
            for position, actor_id in enumerate(_ids(actor_ids, canon)):
                rows.roles.setdefault(relation, []).append(
                    {"fact_id": fact_id, "actor_id": actor_id, "position": position, "article_id": article_id})
        evidence_id = stable_id(article_id, fact_id, evidence.start, evidence.end)
        if any(r["id"] == evidence_id for r in rows.evidence):
            return
        rows.evidence.append({
            "id": evidence_id,
            "fact_id": fact_id,
            "article_id": article_id,
            "props": {"fact_id": fact_id, "article_id": article_id, "doc_id": ex.article.doc_id,
                      "published": published, "extracted_fact_id": extracted_id, **_evidence_props(evidence),
                      **props},
        })
        for actor_id, pattern in names:
            if pattern.search(evidence.sentence):
                rows.mentions.append({"evidence_id": evidence_id, "actor_id": actor_id})
        if evidence.attribution_kind is None or evidence.attribution_kind.value == "outlet":
            for source in evidence.attributions:
                outlet = outlets.get(source)
                if outlet is None and evidence.attribution_kind is not None:
                    outlet = outlets.resolve(source)
                if outlet is None:
                    continue
                rows.cited_outlets[outlet.id] = outlet.row()
                rows.cites.append({"evidence_id": evidence_id, "outlet_id": outlet.id, "as_written": source})

    for al in ex.allegations:
        add("Allegation", (allegation_id(al, canon), allegation_id(al)), vocabulary.kind_family(al.kind.value), False,
            [("accuser", [al.accuser]), ("accused", al.accused)], al.evidence,
            {"kind": al.kind.value, "status": al.status.value, "status_cues": list(al.status_cues),
             "negated": False, "figures": json.dumps([f.model_dump() for f in al.figures]),
             **_date_props("date", al.date), **_date_props("period", al.period)})
    for ac in ex.actions:
        add("GovernmentAction", (action_id(ac, canon), action_id(ac)), vocabulary.kind_family(ac.kind.value),
            ac.negated,
            [("issuer", [ac.issuer]), ("target", ac.targets)], ac.evidence,
            {"kind": ac.kind.value, "negated": ac.negated, "figures": "[]",
             **_date_props("date", ac.date), **_date_props("period", None)})
    for ev in ex.events:
        add("Event", (event_id(ev, canon), event_id(ev)), "event", False, [("involves", ev.actors)], ev.evidence,
            {"kind": "event", "negated": False, "summary": ev.summary, "figures": "[]",
             **_date_props("date", ev.date), **_date_props("period", None)})
    return rows


# ---------------------------------------------------------------- summaries


def choose_date(evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The date most reports agree on at the finest precision that has a year; earliest on a tie."""
    dated = [e for e in evidence if e.get("date_value") and not str(e["date_value"]).startswith("--")]
    if not dated:
        dated = [e for e in evidence if e.get("date_value")]  # day and month only: still worth showing
    if not dated:
        return None
    best_rank = max(PRECISION_RANK[precision_of(e["date_value"])] for e in dated)
    finest = [e for e in dated if PRECISION_RANK[precision_of(e["date_value"])] == best_rank]
    counts = Counter((e["date_value"], e.get("date_end")) for e in finest)
    (value, end), _ = min(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))
    return next(e for e in finest if e["date_value"] == value and e.get("date_end") == end)


def _title(fact_type: str, roles: dict[str, list[str]], kind: str, negated: bool, summary: str | None) -> str:
    def names(rel: str) -> str:
        return ", ".join(roles.get(rel, [])) or "?"

    # the kind in the ontology's reader words ("IP theft", "Entity List"); a general accusation reads
    # "X accuses Y", not "X accuses Y of other"
    if fact_type == "Allegation":
        accusation = f"{names('ACCUSER')} accuses {names('ACCUSED')}"
        return accusation if kind == "other" else f"{accusation} of {vocabulary.words(kind, 'AllegationKind')}"
    if fact_type == "GovernmentAction":
        target = f" on {names('TARGET')}" if roles.get("TARGET") else ""
        verb = "decides against" if negated else ""
        return f"{names('ISSUER')}: {verb + ' ' if verb else ''}{vocabulary.words(kind, 'ActionKind')}{target}"
    return summary or ", ".join(roles.get("INVOLVES", [])) or "event"


def sources_of(evidence: list[dict[str, Any]]) -> list[str]:
    """The outlets that published a fact's reports, named as readers know them; an article without a known
    outlet is named by its document id."""
    return sorted({e.get("outlet_id") or f"unknown outlet ({e.get('doc_id') or e.get('article_id')})"
                   for e in evidence})


def summarise(
    fact_id: str,
    fact_type: str,
    negated: bool,
    evidence: list[dict[str, Any]],
    roles: dict[str, list[str]],
    weights: ReliabilityWeights | None = None,
) -> tuple[dict[str, Any], list[ConflictPair]]:
    """Fact properties computed from its evidence rows (each: evidence props + outlet and citation info)."""
    kinds = Counter(e.get("kind") or "" for e in evidence)
    kind = min(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[0] if kinds else ""
    chosen = choose_date(evidence)
    spec = spec_from_props(chosen.get("date_value"), chosen.get("date_end"), chosen.get("date_qualifier")) \
        if chosen else None
    start, stop = bounds(spec)
    statuses = {e.get("status") for e in evidence}
    status = next((s for s in _STATUS_PRECEDENCE if s in statuses), "alleged")
    reports = [
        Report(
            evidence_id=e["id"], article_id=e["article_id"], outlet_id=e.get("outlet_id"),
            outlet_prior=e.get("outlet_prior"), cited=list(zip(e.get("cited_ids") or [], e.get("cited_priors") or [],
                                                               strict=False)),
            attribution_kind=e.get("attribution_kind"), hedges=list(e.get("hedges") or []),
            denied=e.get("status") == "denied",
        )
        for e in evidence
    ]
    rel = score(reports, weights)
    conflicts = detect(evidence)
    summary = next((e.get("summary") for e in evidence if e.get("summary")), None)
    if fact_type == "Event" and not summary and evidence:
        summary = min(evidence, key=lambda e: e["id"])["sentence"][:160]
    props: dict[str, Any] = {
        "kind": kind if fact_type != "Event" else "event",
        "kinds": sorted(k for k in kinds if k),
        "status": status if fact_type == "Allegation" else None,
        "date_value": spec.value if spec else None,
        "date_end": spec.end if spec else None,
        "date_precision": spec.precision.value if spec else None,
        "date_qualifier": spec.qualifier if spec else None,
        "date_start": start,
        "date_stop": stop,
        "date_display": display(spec.value, spec.end, spec.qualifier) if spec else "undated",
        # the timeline's order as one string, and the page bucket (start month) the global timeline reads
        "sort_key": sort_key(start, spec.value if spec else None, fact_id),
        "page_bucket": page_bucket(start, stop),
        "title": _title(fact_type, roles, kind, negated, summary),
        "actor_names": sorted({n for names in roles.values() for n in names}),
        "n_evidence": len(evidence),
        "n_articles": len({e["article_id"] for e in evidence}),
        "n_conflicts": len(conflicts),
        "disputed": True if conflicts else None,  # absent unless true: see kg/cypher/reads.py CONFLICTED_FACTS_CYPHER
        # the conflicts list's page bucket: the first hex digit of the id (a sixteenth of the disputed facts)
        "dispute_bucket": fact_id[:1] if conflicts else None,
        "sources": sources_of(evidence),
        **rel.props(),
    }
    props["reliability_explanation"] = json.dumps(props["reliability_explanation"])
    return props, conflicts
