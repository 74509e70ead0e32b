"""Checks on an imported snapshot before anything is written (`validate_snapshot`).

An imported file is input like any article: every value must be one the writer could have stored, checked
against the ontology (concept schemes, date forms) and the ranges the project gives (reliability and priors
0-100, the id forms it generates); the first offence is reported in one line naming its subject.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from kg.export.rdf import iri
from kg.export.safe import safe_url
from kg.export.snapshot import KIND_SCHEMES, Snapshot
from ontology.models import QID, AttributionKind, TimeSpec, precision_of
from ontology.vocabulary import vocabulary

SLUG_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # ontology.models.slug: actors, outlets
HASH_ID = re.compile(r"^[0-9a-f]{24}$")  # content_hash / stable_id: articles, facts, evidence, conflicts
PROPERTY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ID_FORM = {"actor": SLUG_ID, "outlet": SLUG_ID, "article": HASH_ID, "fact": HASH_ID, "evidence": HASH_ID,
            "conflict": HASH_ID}
_MAX_ID = 200
# invisible or display-changing characters the readers strip from names (ingest/readers.py), and surrogates
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_INT64 = 2**63

_KINDS = {**{t: frozenset(vocabulary.concepts(scheme)) for t, scheme in KIND_SCHEMES.items()},
          "Event": frozenset({"event"})}
_FAMILIES = frozenset(vocabulary.kind_family(k) for kinds in _KINDS.values() for k in kinds)
_STATUSES = frozenset(vocabulary.concepts("AllegationStatus"))
_PRECISIONS = frozenset(vocabulary.concepts("DatePrecision"))
_ATTRIBUTION_KINDS = frozenset(k.value for k in AttributionKind)


class _Bad(ValueError):
    pass


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _count(v: Any) -> None:
    if not _is_int(v) or not 0 <= v < _INT64:
        raise _Bad(f"{v!r} is not a non-negative integer")


def _score(v: Any) -> None:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not 0 <= v <= 100:
        raise _Bad(f"{v!r} is outside 0-100")


def _flag(v: Any) -> None:
    if not isinstance(v, bool):
        raise _Bad(f"{v!r} is not true or false")


def _text(v: Any) -> None:
    if not isinstance(v, str):
        raise _Bad(f"{v!r} is not a string")


def _name(v: Any) -> None:
    _text(v)
    if not v.strip() or _HIDDEN.search(v):
        raise _Bad(f"{v[:80]!r} is empty or holds control, bidi or zero-width characters")


def _names(v: Any) -> None:
    if not isinstance(v, list):
        raise _Bad(f"{v!r} is not a list")
    for x in v:
        _name(x)


def _texts(v: Any) -> None:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _Bad(f"{v!r} is not a list of strings")


def _day(v: Any) -> None:
    try:
        ok = isinstance(v, str) and len(v) == 10 and date.fromisoformat(v).isoformat() == v
    except ValueError:
        ok = False
    if not ok:
        raise _Bad(f"{v!r} is not a YYYY-MM-DD date")


def _when(v: Any) -> None:
    """A date at its precision, as TimeSpec accepts it: 2026-06-12, 2026-06, 2026, --06-24."""
    try:
        TimeSpec(value=v, precision=precision_of(v))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _Bad(f"{v!r} is not a date of the form YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD") from None


def _one_of(allowed: frozenset[str], what: str) -> Any:
    def check(v: Any) -> None:
        if v not in allowed:
            raise _Bad(f"{v!r} is not {what} ({', '.join(sorted(allowed))})")
    return check


def _qid(v: Any) -> None:
    if not isinstance(v, str) or not QID.match(v):
        raise _Bad(f"{str(v)[:40]!r} is not a Wikidata QID (Q followed by digits)")


def _url(v: Any) -> None:
    if safe_url(v) is None:
        raise _Bad(f"{str(v)[:120]!r} is not an http(s) URL")


_precision = _one_of(_PRECISIONS, "a date precision of the ontology")
_status = _one_of(_STATUSES, "an allegation status of the ontology")
_COMMON = {"date_value": _when, "date_end": _when, "date_precision": _precision, "negated": _flag}
_CHECKS: dict[str, dict[str, Any]] = {
    "actor": {"name": _name, "aliases": _names, "source": _text, "wikidata": _qid},
    "outlet": {"name": _name, "prior": _score, "known": _flag, "kind": _text, "prior_note": _text},
    "article": {"doc_id": _name, "title": _text, "published": _day, "url": _url, "text": _text,
                "source_key": _text, "source_path": _text, "outlet": _text, "outlet_id": _text},
    "fact": {**_COMMON, "reliability": _score, "status": _status, "date_start": _day, "date_stop": _day,
             "n_articles": _count, "n_evidence": _count, "n_conflicts": _count, "independent_reports": _count,
             "disputed": _flag, "kind_family": _one_of(_FAMILIES, "a kind family of the ontology"),
             "title": _text, "date_display": _text, "reliability_explanation": _text, "actor_names": _texts,
             "sources": _texts},
    "evidence": {**_COMMON, "sentence": _text, "start": _count, "end": _count, "status": _status,
                 "attribution_kind": _one_of(_ATTRIBUTION_KINDS, "an attribution kind"), "attributions": _texts,
                 "hedges": _texts, "status_cues": _texts, "period_value": _when, "period_end": _when,
                 "period_precision": _precision, "figures": _text, "pattern": _text},
    "conflict": {"field": _text, "value_a": _text, "value_b": _text, "note": _text},
}


# structural properties the snapshot sets itself from ids, types and links (checked by their own rules)
_DERIVED: dict[str, frozenset[str]] = {
    "outlet": frozenset({"id"}), "article": frozenset({"id"}), "actor": frozenset({"id", "type"}),
    "fact": frozenset({"id", "fact_type"}),
    "evidence": frozenset({"id", "fact_id", "article_id", "doc_id", "published"}),
}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain(v: Any) -> bool:
    """A value a graph property can hold: a string, number or boolean, or a list of them."""
    if isinstance(v, list):
        return all(_plain(x) and not isinstance(x, list) for x in v)
    if isinstance(v, float):
        return math.isfinite(v)
    if _is_int(v):
        return -_INT64 <= v < _INT64
    return isinstance(v, str | bool) and not (isinstance(v, str) and _SURROGATE.search(v))


def _check_props(kind: str, props: dict[str, Any], fact_type: str | None = None) -> None:
    checks = _CHECKS[kind]
    for prop, value in props.items():
        if value is None:
            continue
        if not PROPERTY_NAME.match(prop):
            raise _Bad(f"property name {prop[:80]!r} is not one the graph uses")
        if not _plain(value):
            raise _Bad(f"{prop} {str(value)[:80]!r} is not a string, number, boolean or list of them")
        try:
            if prop in ("kind", "kinds") and fact_type is not None:
                allowed = _KINDS[fact_type]
                for k in value if prop == "kinds" and isinstance(value, list) else [value]:
                    if k not in allowed:
                        raise _Bad(f"{k!r} is not a kind of {fact_type} in the ontology "
                                   f"({', '.join(sorted(allowed))})")
            elif prop in checks:
                checks[prop](value)
        except _Bad as exc:
            raise _Bad(f"{prop} {exc}") from None


def _check_id(kind: str, key: str) -> None:
    if len(key) > _MAX_ID or not _ID_FORM[kind].match(key):
        form = "lowercase letters, digits and single hyphens" if _ID_FORM[kind] is SLUG_ID else "24 hex digits"
        raise _Bad(f"id {key[:80]!r} is not a {kind} id the project generates ({form})")


def validate_snapshot(snap: Snapshot) -> str | None:
    """The first value of an import that the writer could not have stored, as "<kind> <IRI>: problem";
    None when every value is in range."""
    subject = ("", "")

    def need(kind: str, key: str, known: dict[str, Any], what: str) -> None:
        _check_id(kind, key)
        if key not in known:
            raise _Bad(f"{what} {kind} {str(iri(kind, key))!r}, which the file does not describe")

    try:
        for kind, nodes in (("outlet", snap.outlets), ("article", snap.articles), ("actor", snap.actors),
                            ("fact", snap.facts), ("evidence", snap.evidence)):
            for key, props in nodes.items():
                subject = (kind, key)
                _check_id(kind, key)
                fact_type = snap.fact_types.get(key) if kind == "fact" else (
                    snap.fact_types.get(snap.evidence_fact.get(key, "")) if kind == "evidence" else None)
                _check_props(kind, {k: v for k, v in props.items() if k not in _DERIVED[kind]}, fact_type)
                if kind == "evidence":
                    need("fact", snap.evidence_fact[key], snap.facts, "belongs to")
                    start, end = props.get("start"), props.get("end")
                    text = snap.articles.get(snap.evidence_article[key], {}).get("text")
                    if isinstance(start, int) and isinstance(end, int) and (end < start or (
                            isinstance(text, str) and end > len(text))):
                        raise _Bad(f"offsets {start}-{end} do not fit its article's text")
        for key, outlet_id in snap.publishers.items():
            subject = ("article", key)
            need("outlet", outlet_id, snap.outlets, "is published by")
        for role in snap.roles:
            subject = ("fact", role.fact_id)
            need("actor", role.actor_id, snap.actors, f"names as {role.relation}")
            if role.position is not None and not 0 <= role.position < 1000:
                raise _Bad(f"role position {role.position} is outside 0-999")
        for m in snap.mentions:
            subject = ("article", m.article_id)
            need("actor", m.actor_id, snap.actors, "mentions")
            _names(list(m.aliases))
        for evidence_id, actor_id in snap.evidence_mentions:
            subject = ("evidence", evidence_id)
            need("actor", actor_id, snap.actors, "mentions")
        for cite in snap.cites:
            subject = ("evidence", cite.evidence_id)
            need("outlet", cite.outlet_id, snap.outlets, "cites")
            if cite.as_written is not None:
                _text(cite.as_written)
        for conflict in snap.conflicts:
            subject = ("conflict", conflict.id)
            _check_id("conflict", conflict.id)
            need("evidence", conflict.a, snap.evidence, "concerns")
            need("evidence", conflict.b, snap.evidence, "concerns")
            _check_props("conflict", {k: v for k, v in conflict.props.items() if k != "fact_id"})
        for a, b in snap.same_as:
            subject = ("actor", a)
            need("actor", a, snap.actors, "is")
            need("actor", b, snap.actors, "is the same as")
        for link in snap.links:
            subject = ("fact", link.a)
            need("fact", link.a, snap.facts, "links from")
            need("fact", link.b, snap.facts, "links to")
    except _Bad as exc:
        kind, key = subject
        return f"{kind} {iri(kind, key)!s}: {exc}"
    return None
