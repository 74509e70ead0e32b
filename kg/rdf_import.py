"""`kg import FILE.ttl`: an RDF export (kg/export.py) read back into an empty graph.

The export is parsed into the same `Snapshot` the exporter reads from the graph, then written in one
transaction with the writer's own statements where they fit (kg/cypher.py: CREATE_ACTOR, UPSERT_FACT,
SET_FACT_SUMMARY_CYPHER, LINK_ROLE, UPSERT_EVIDENCE_CYPHER, LINK_CITES_CYPHER, CREATE_CONFLICTS_CYPHER) and
kg/cypher_export.py for the rest, so the nodes, labels, relationships and properties are those the writer
would have written: same ids, same counts. Derived properties the export leaves out are recomputed
(an actor's name_lower and search, an evidence's fact_id, article_id, doc_id and published).

A file is untrusted input. The graph is checked to be empty before the file is read; a JSON-LD file is
parsed from its text after a check that every @context in it is inline (a reference, or an @import, is
refused: rdflib would fetch it over the network or open it as a local file); and every value is checked
against the ontology (`validate_snapshot`: id forms, concept schemes, date forms, 0-100 scores, http(s)
URLs) before anything is written, with a one-line error naming the first offending subject.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import neo4j
from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg import cypher as q
from kg.cypher import export as cx
from kg.db import Graph as KGGraph
from kg.db import count_graph
from kg.errors import KGError
from kg.export import (
    ACTOR_TERMS,
    AIGP,
    AIGX,
    ARTICLE_TERMS,
    EVIDENCE_TERMS,
    FACT_TERMS,
    FACT_TYPES,
    ID,
    OUTLET_TERMS,
    Cite,
    ConflictLink,
    Mention,
    Role,
    Snapshot,
    Term,
    iri,
    key_of,
    safe_url,
)
from kg.schema import apply_schema
from ontology.models import ActorType, AttributionKind, TimeSpec, precision_of
from ontology.vocabulary import AIG, vocabulary

BATCH = 500
_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt"}
_ROLES = {vocabulary.relation(r).iri: r for r in q.ROLE_RELATIONS}


@dataclass
class ImportResult:
    path: Path
    counts: dict[str, int]
    relationships: int

    def line(self) -> str:
        c = self.counts
        return (f"imported {self.path}: {c['facts']} facts, {c['evidence']} evidence sentences, "
                f"{c['articles']} articles, {c['outlets']} outlets, {c['actors']} actors, "
                f"{self.relationships} relationships")


# ---------------------------------------------------------------- RDF -> snapshot


def _notations() -> dict[Node, str]:
    out: dict[Node, str] = {}
    for c in vocabulary.graph.subjects(SKOS.inScheme, None):
        value = vocabulary.graph.value(c, SKOS.notation) or vocabulary.graph.value(c, SKOS.prefLabel)
        out[c] = str(value)
    return out


_NOTATION = _notations()


def literal_value(lit: Literal) -> Any:
    """The graph value of an aigp: literal (see generic_literal in kg/export.py)."""
    dt = lit.datatype
    if dt == RDF.JSON:
        return json.loads(str(lit))
    if dt == XSD.boolean:
        return str(lit).strip().lower() in ("true", "1")
    if dt in (XSD.integer, XSD.int, XSD.long):
        return int(str(lit))
    if dt in (XSD.double, XSD.float, XSD.decimal):
        return float(str(lit))
    return str(lit)


def _decode(term: Term, objs: list[Node]) -> Any:
    c = term.codec
    if c in ("strs", "kinds"):
        if c == "kinds":
            return sorted(_NOTATION[o] for o in objs if o in _NOTATION)
        return sorted(str(o) for o in objs)
    o = objs[0]
    if c in ("kind", "status", "precision"):
        if o not in _NOTATION:
            raise KGError(f"{o} is not a concept of the ontology")
        return _NOTATION[o]
    if c == "int":
        return int(str(o))
    if c == "decimal":
        return float(str(o))
    if c == "bool":
        return str(o).strip().lower() in ("true", "1")
    return str(o)  # str, uri, date, when: the lexical form, never a parsed value (2026-06 stays 2026-06)


def node_props(g: Graph, s: Node, terms: tuple[Term, ...]) -> dict[str, Any]:
    """A node's graph properties from its ontology terms and its verbatim aigp: properties."""
    props: dict[str, Any] = {}
    prefix = str(AIGP)
    for p, o in g.predicate_objects(s):
        if isinstance(p, URIRef) and str(p).startswith(prefix) and isinstance(o, Literal):
            props[unquote(str(p)[len(prefix):])] = literal_value(o)
    for term in terms:
        objs = sorted(g.objects(s, term.predicate), key=str)
        if objs:
            props[term.prop] = _decode(term, objs)
        elif term.codec in ("strs", "kinds") and term.prop not in props:
            props[term.prop] = []
    return props


def _one_type(g: Graph, s: Node, allowed: dict[URIRef, str]) -> str | None:
    found = sorted(allowed[t] for t in g.objects(s, RDF.type) if isinstance(t, URIRef) and t in allowed)
    return found[0] if found else None


def _need(value: str | None, what: str, node: Node) -> str:
    if value is None:
        raise KGError(f"{node}: not an IRI of a kg export ({what}); was this file written by `kg export`?")
    return value


def snapshot_from_rdf(g: Graph) -> Snapshot:
    snap = Snapshot()
    actor_classes = {vocabulary.classes[t.value]: t.value for t in ActorType}
    fact_classes = {vocabulary.classes[t]: t for t in FACT_TYPES}
    for s in sorted(g.subjects(RDF.type, AIG.Outlet), key=str):
        oid = _need(key_of(s, "outlet"), "outlet", s)
        snap.outlets[oid] = {"id": oid, **node_props(g, s, OUTLET_TERMS)}
    for s in sorted(g.subjects(RDF.type, AIG.Article), key=str):
        aid = _need(key_of(s, "article"), "article", s)
        snap.articles[aid] = {"id": aid, **node_props(g, s, ARTICLE_TERMS)}
        outlets = sorted(x for o in g.objects(s, AIG.publishedBy) if (x := key_of(o, "outlet")))
        if outlets:
            snap.publishers[aid] = outlets[0]
    for s in sorted(g.subjects(RDF.type, AIG.Actor), key=str):
        actor_id = _need(key_of(s, "actor"), "actor", s)
        actor_type = _one_type(g, s, actor_classes)
        if actor_type is None:
            raise KGError(f"actor {actor_id!r} has no actor class ({', '.join(sorted(actor_classes.values()))})")
        snap.actors[actor_id] = {"id": actor_id, "type": actor_type, **node_props(g, s, ACTOR_TERMS)}
        snap.actor_types[actor_id] = actor_type
    for s in sorted(g.subjects(RDF.type, AIG.Fact), key=str):
        fid = _need(key_of(s, "fact"), "fact", s)
        fact_type = _one_type(g, s, fact_classes)
        if fact_type is None:
            raise KGError(f"fact {fid!r} is not an Allegation, GovernmentAction or Event")
        snap.facts[fid] = {"id": fid, "fact_type": fact_type, **node_props(g, s, FACT_TERMS)}
        snap.fact_types[fid] = fact_type
        positions: dict[tuple[str, str], int] = {}
        for qn in g.objects(s, AIGX.role):
            rel, actor, pos = g.value(qn, AIGX.relation), g.value(qn, AIGX.actor), g.value(qn, AIGX.position)
            if isinstance(rel, URIRef) and rel in _ROLES and actor is not None and pos is not None:
                positions[(_ROLES[rel], _need(key_of(actor, "actor"), "actor", actor))] = int(str(pos))
        for rel_iri, relation in _ROLES.items():
            for actor in sorted(g.objects(s, rel_iri), key=str):
                actor_id = _need(key_of(actor, "actor"), "actor", actor)
                snap.roles.append(Role(fid, relation, actor_id, positions.get((relation, actor_id), 0)))
    for s in sorted(g.subjects(RDF.type, AIG.Evidence), key=str):
        eid = _need(key_of(s, "evidence"), "evidence", s)
        facts = [x for f in g.subjects(AIG.hasEvidence, s) if (x := key_of(f, "fact"))]
        arts = [x for a in g.objects(s, AIG.reportedIn) if (x := key_of(a, "article"))]
        if len(facts) != 1 or len(arts) != 1:
            raise KGError(f"evidence {eid!r} needs one fact (aig:hasEvidence) and one article (aig:reportedIn)")
        fid, aid = facts[0], arts[0]
        if aid not in snap.articles:
            raise KGError(f"evidence {eid!r} is reported in article {aid!r}, which the file does not describe")
        art = snap.articles[aid]
        props = {"id": eid, "fact_id": fid, "article_id": aid, "doc_id": art.get("doc_id"),
                 "published": art.get("published"), **node_props(g, s, EVIDENCE_TERMS)}
        snap.evidence[eid] = {k: v for k, v in props.items() if v is not None}
        snap.evidence_fact[eid] = fid
        snap.evidence_article[eid] = aid
        written = {}
        for qn in g.objects(s, AIGX.citation):
            outlet, as_written = g.value(qn, AIGX.outlet), g.value(qn, AIGX.asWritten)
            if outlet is not None and as_written is not None:
                written[key_of(outlet, "outlet")] = str(as_written)
        for actor in sorted(g.objects(s, AIG.mentions), key=str):
            snap.evidence_mentions.append((eid, _need(key_of(actor, "actor"), "actor", actor)))
        for o in sorted(g.objects(s, AIG.cites), key=str):
            oid = _need(key_of(o, "outlet"), "outlet", o)
            snap.cites.append(Cite(eid, oid, written.get(oid)))
    for article_id in sorted(snap.articles):
        art_node = iri("article", article_id)
        aliases: dict[str, list[str]] = {}
        for qn in g.objects(art_node, AIGX.mention):
            actor = g.value(qn, AIGX.actor)
            if actor is not None:
                aliases[_need(key_of(actor, "actor"), "actor", actor)] = sorted(
                    str(x) for x in g.objects(qn, AIG.alias))
        for actor in sorted(g.objects(art_node, AIG.mentions), key=str):
            actor_id = _need(key_of(actor, "actor"), "actor", actor)
            snap.mentions.append(Mention(article_id, actor_id, tuple(aliases.get(actor_id, []))))
    for s in sorted(g.subjects(RDF.type, AIG.Conflict), key=str):
        cid = _need(key_of(s, "conflict"), "conflict", s)
        a, b = g.value(s, AIGX.evidenceA), g.value(s, AIGX.evidenceB)
        ea = key_of(a, "evidence") if a is not None else None
        eb = key_of(b, "evidence") if b is not None else None
        if ea is None or eb is None:
            raise KGError(f"conflict {cid!r} needs aigx:evidenceA and aigx:evidenceB")
        fact = g.value(s, AIG.concerns)
        props = node_props(g, s, ())
        fact_id = key_of(fact, "fact") if fact is not None else snap.evidence_fact.get(ea)
        if fact_id:
            props["fact_id"] = fact_id
        snap.conflicts.append(ConflictLink(cid, ea, eb, props))
    for a, b in g.subject_objects(AIG.sameAs):
        x, y = key_of(a, "actor"), key_of(b, "actor")
        if x and y:
            snap.same_as.append((x, y))
    return snap


# ---------------------------------------------------------------- validation
#
# An imported file is input like any article: every value must be one the writer could have stored, checked
# against the ontology (concept schemes, date forms) and the ranges the project gives (reliability and priors
# 0-100, the id forms it generates), before anything is written.

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

_KINDS = {"Allegation": frozenset(vocabulary.concepts("AllegationKind")),
          "GovernmentAction": frozenset(vocabulary.concepts("ActionKind")), "Event": frozenset({"event"})}
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


def _url(v: Any) -> None:
    if safe_url(v) is None:
        raise _Bad(f"{str(v)[:120]!r} is not an http(s) URL")


_precision = _one_of(_PRECISIONS, "a date precision of the ontology")
_status = _one_of(_STATUSES, "an allegation status of the ontology")
_COMMON = {"date_value": _when, "date_end": _when, "date_precision": _precision, "negated": _flag}
_CHECKS: dict[str, dict[str, Any]] = {
    "actor": {"name": _name, "aliases": _names, "source": _text},
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
    except _Bad as exc:
        kind, key = subject
        return f"{kind} {iri(kind, key)!s}: {exc}"
    return None


# ---------------------------------------------------------------- snapshot -> graph


def _batches(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def _run(tx: neo4j.ManagedTransaction, statement: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in _batches(rows):
        tx.run(statement, rows=chunk).consume()


def _without(props: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in keys and v is not None}


def write_snapshot(tx: neo4j.ManagedTransaction, snap: Snapshot) -> None:
    """Write a snapshot as the writer would have: labels at creation, MERGE on ids, UNWIND batches."""
    _run(tx, cx.IMPORT_OUTLETS_CYPHER, [{"id": k, "props": _without(v, "id")} for k, v in snap.outlets.items()])
    _run(tx, cx.IMPORT_ARTICLES_CYPHER, [{"id": k, "props": _without(v, "id")} for k, v in snap.articles.items()])
    _run(tx, cx.IMPORT_PUBLISHERS_CYPHER, [{"article_id": a, "outlet_id": o} for a, o in snap.publishers.items()])

    existing = {r["id"] for chunk in _batches([{"id": k} for k in snap.actors])
                for r in tx.run(q.EXISTING_ACTORS_CYPHER, ids=[x["id"] for x in chunk]).data()}
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for actor_id, props in snap.actors.items():
        if actor_id not in existing:
            by_type[snap.actor_types[actor_id]].append(
                {"id": actor_id, "name": props.get("name") or actor_id, "type": snap.actor_types[actor_id],
                 "source": props.get("source")})
    for actor_type, rows in sorted(by_type.items()):
        _run(tx, q.CREATE_ACTOR[actor_type], rows)
    _run(tx, cx.IMPORT_ACTOR_PROPS_CYPHER,
         [{"id": k, "props": {"aliases": [], **_without(v, "id", "name", "type", "source", "name_lower", "search")}}
          for k, v in snap.actors.items()])
    _run(tx, cx.IMPORT_MENTIONS_CYPHER,
         [{"article_id": m.article_id, "actor_id": m.actor_id, "aliases": list(m.aliases)} for m in snap.mentions])
    _run(tx, cx.IMPORT_SAME_AS_CYPHER, [{"a": a, "b": b} for a, b in snap.same_as])

    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fid, props in snap.facts.items():
        by_label[snap.fact_types[fid]].append({"id": fid, "fact_type": snap.fact_types[fid],
                                               "kind_family": props.get("kind_family"),
                                               "negated": props.get("negated", False)})
    for label, rows in sorted(by_label.items()):
        _run(tx, q.UPSERT_FACT[label], rows)
    _run(tx, q.SET_FACT_SUMMARY_CYPHER, [{"id": k, "props": _without(v, "id")} for k, v in snap.facts.items()])
    by_relation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in snap.roles:
        by_relation[r.relation].append({"fact_id": r.fact_id, "actor_id": r.actor_id, "position": r.position})
    for relation, rows in sorted(by_relation.items()):
        _run(tx, q.LINK_ROLE[relation], rows)

    _run(tx, q.UPSERT_EVIDENCE_CYPHER,
         [{"id": k, "fact_id": snap.evidence_fact[k], "article_id": snap.evidence_article[k],
           "props": _without(v, "id")} for k, v in snap.evidence.items()])
    _run(tx, q.LINK_EVIDENCE_MENTIONS_CYPHER,
         [{"evidence_id": e, "actor_id": a} for e, a in snap.evidence_mentions])
    _run(tx, q.LINK_CITES_CYPHER,
         [{"evidence_id": c.evidence_id, "outlet_id": c.outlet_id, "as_written": c.as_written} for c in snap.cites])
    _run(tx, q.CREATE_CONFLICTS_CYPHER,
         [{"id": c.id, "a": c.a, "b": c.b, "props": _without(c.props, "id")} for c in snap.conflicts])


def _format(path: Path) -> str:
    if not path.is_file():
        raise KGError(f"no such file: {path}")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KGError(f"{path}: give a Turtle (.ttl) or JSON-LD (.jsonld) file written by `kg export`")
    return fmt


def _inline_contexts_only(node: Any, path: Path) -> None:
    """Refuse a JSON-LD document whose @context (anywhere: top level, a node, a scoped term definition) is a
    reference rather than inline, or @imports one. rdflib would load such a reference as a URL relative to
    the file: fetch it over the network, or open a local file. `kg export` writes its context inline, so a
    reference means the file is not ours, and nothing is fetched or opened to find out more."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    refs = [v for v in (value if isinstance(value, list) else [value])
                            if v is not None and not isinstance(v, dict)]
                    if key == "@import" or refs:
                        ref = value if key == "@import" else refs[0]
                        raise KGError(f"{path}: JSON-LD {key} {str(ref)[:200]!r} refers to a context elsewhere; "
                                      "kg import reads only the inline context `kg export` writes and never "
                                      "fetches or opens another (nothing was imported)")
                stack.append(value)


def _jsonld_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise KGError(f"{path}: cannot parse as json-ld: {str(exc).splitlines()[0][:300]}") from exc
    _inline_contexts_only(doc, path)
    return text


def read_rdf(path: Path) -> Graph:
    fmt = _format(path)
    g = Graph()
    try:
        if fmt == "json-ld":
            # parsed from the checked text, never from the path: no base URL to resolve a context against
            g.parse(data=_jsonld_text(path), format=fmt, base=ID)
        else:
            g.parse(path, format=fmt)
    except KGError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific types
        raise KGError(f"{path}: cannot parse as {fmt}: {str(exc).splitlines()[0][:300]}") from exc
    return g


def import_rdf(graph: KGGraph, path: Path | str) -> ImportResult:
    """Read an RDF export back into an EMPTY graph, in one transaction (all of it or nothing)."""
    path = Path(path)
    _format(path)
    # First, before the file is even parsed: a graph that is not empty is refused whatever the file holds.
    counts = count_graph(graph)
    if counts["nodes"]:
        raise KGError(f"the graph at {graph.where} is not empty ({counts['nodes']} nodes): `kg import` fills an "
                      "empty graph only (start a server with a new KG_DATA_DIR, or clear this one)")
    snap = snapshot_from_rdf(read_rdf(path))
    if not snap.facts and not snap.articles and not snap.actors:
        raise KGError(f"{path}: no actors, articles or facts of the kg ontology in this file")
    problem = validate_snapshot(snap)
    if problem is not None:
        raise KGError(f"{path}: {problem}; nothing was imported")
    apply_schema(graph)
    graph.write_transaction(lambda tx: write_snapshot(tx, snap))
    return ImportResult(path=path, counts=snap.counts(), relationships=count_graph(graph)["relationships"])


__all__ = ["ImportResult", "import_rdf", "literal_value", "read_rdf", "snapshot_from_rdf", "validate_snapshot",
           "write_snapshot"]
