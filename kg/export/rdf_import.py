"""`kg import FILE.ttl`: an RDF export (kg/export/rdf.py) read back into an empty graph.

The export is parsed into the same `Snapshot` the exporter reads from the graph, then written in one
transaction with the writer's own statements where they fit (kg/cypher/writes.py: CREATE_ACTOR, UPSERT_FACT,
SET_FACT_SUMMARY_CYPHER, LINK_ROLE, UPSERT_EVIDENCE_CYPHER, LINK_CITES_CYPHER, CREATE_CONFLICTS_CYPHER) and
kg/cypher/export.py for the rest, so the nodes, labels, relationships and properties are those the writer
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
from collections import defaultdict
from dataclasses import dataclass
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
from kg.export.rdf import (
    ACTOR_TERMS,
    AIGP,
    AIGX,
    ARTICLE_TERMS,
    EVIDENCE_TERMS,
    FACT_TERMS,
    ID,
    LINK_NAMES,
    OUTLET_TERMS,
    WD,
    Term,
    iri,
    key_of,
)
from kg.export.snapshot import FACT_TYPES, Cite, ConflictLink, FactLink, Mention, Role, Snapshot
from kg.export.validate import validate_snapshot
from kg.schema import apply_schema
from kg.writer import rebuild_summaries
from ontology.models import QID, ActorType
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
    """The graph value of an aigp: literal (see generic_literal in kg/export/rdf.py)."""
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
    if c == "qid":
        qid = str(o).removeprefix(str(WD))
        if not QID.match(qid):
            raise KGError(f"{o} is not a Wikidata entity (owl:sameAs of an actor)")
        return qid
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
    links: dict[tuple[str, str, str], dict[str, Any]] = {}
    for s, qn in g.subject_objects(AIGX.link):  # a link with its properties
        rel, target = g.value(qn, AIGX.relation), g.value(qn, AIGX.target)
        name = str(rel).removeprefix(str(AIG)) if isinstance(rel, URIRef) else ""
        if name in LINK_NAMES.values() and target is not None:
            key = (vocabulary.rel_type(name), _need(key_of(s, "fact"), "fact", s),
                   _need(key_of(target, "fact"), "fact", target))
            links[key] = node_props(g, qn, ())
    for rel_type, name in LINK_NAMES.items():  # a bare aig:ledTo / aig:respondsTo triple (another tool's RDF)
        for s, o in g.subject_objects(AIG[name]):
            key = (rel_type, _need(key_of(s, "fact"), "fact", s), _need(key_of(o, "fact"), "fact", o))
            links.setdefault(key, {})
    snap.links = [FactLink(t, a, b, props) for (t, a, b), props in sorted(links.items())]
    snap.names = sorted((x, y) for f, a in g.subject_objects(AIG.names)
                        if (x := key_of(f, "fact")) and (y := key_of(a, "actor")))
    return snap


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
    for rel_type in sorted({x.type for x in snap.links}):
        _run(tx, cx.IMPORT_RELATIONSHIPS[(rel_type, "Fact", "Fact")],
             [{"a": x.a, "b": x.b, "props": x.props} for x in snap.links if x.type == rel_type])


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

    def write(tx: neo4j.ManagedTransaction) -> None:
        write_snapshot(tx, snap)
        # what the writer keeps for the pages (NAMES, counts, co-mentions), from what was imported
        rebuild_summaries(tx)
        tx.run(q.ADVANCE_GRAPH_VERSION_CYPHER).consume()  # readers' caches see the imported graph

    graph.write_transaction(write)
    return ImportResult(path=path, counts=snap.counts(), relationships=count_graph(graph)["relationships"])


__all__ = ["ImportResult", "import_rdf", "literal_value", "read_rdf", "snapshot_from_rdf", "validate_snapshot",
           "write_snapshot"]
