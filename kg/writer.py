"""Writing extraction records into the graph: a batch of articles per transaction, idempotent, with provenance.

Re-ingesting an article changes nothing (its id is the hash of its text). A corrected version (same
URL, or same doc_id when there is no URL, but new text) replaces the old one's evidence. Forgetting an
article removes its evidence, the facts no other article supports, and actors no article mentions.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, LiteralString

import neo4j
from neo4j.exceptions import ConstraintError

from kg import cypher as q
from kg import links
from kg.cypher import curation as cq
from kg.db import Graph
from kg.errors import KGError
from kg.facts import ArticleRows, Canon, article_rows, summarise
from kg.history import FetchedArticle, end_versions, record_versions
from kg.judgements import canonical_map, explain_verdict, verdict_props, verdicts_of
from kg.names import (
    MentionDelta,
    Named,
    apply_counts,
    count_delta,
    encode_top,
    merged_top,
    names_of,
    page_bucket,
    sort_key,
)
from kg.reliability import ReliabilityWeights
from ontology.models import FACT_VERDICTS, ArticleRecord, Extraction, JudgementKind
from reference.outlets import Outlet, OutletRegistry, load_registry


class WriteStatus(StrEnum):
    new = "new"
    unchanged = "unchanged"
    replaced = "replaced"
    reextracted = "reextracted"  # same text, extracted again by another extractor: its evidence replaced


@dataclass
class ForgetResult:
    found: bool
    facts_removed: int = 0
    facts_kept: int = 0
    actors_removed: int = 0


def article_row(ex: Extraction, key: str, publisher: Outlet | None) -> dict[str, Any]:
    """The Article node's properties (UPSERT_ARTICLES_CYPHER's row), `publisher` its resolved outlet."""
    art = ex.article
    return {
        "id": art.id, "doc_id": art.doc_id, "url": art.url, "title": art.title,
        "published": art.published.isoformat() if art.published else None,
        "outlet": publisher.name if publisher else art.outlet, "outlet_id": publisher.id if publisher else None,
        "source_key": key, "source_path": art.source_path, "text": art.text,
        "extractor_version": ex.extractor_version, "extractor_fingerprint": ex.extractor_fingerprint,
        "outlet_given": art.outlet,
        # the record itself (less the article, stored above): a merge or split writes the article again
        # from it, with the new canonical actors, without extracting again
        "extraction": ex.model_dump_json(exclude={"article"}),
    }


def actor_rows(ex: Extraction) -> list[dict[str, Any]]:
    """The actors an article names, as CREATE_ACTOR's and UPSERT_ACTORS_CYPHER's rows."""
    return [{"id": a.id, "name": a.name, "type": a.type.value, "aliases": sorted(set(a.aliases)),
             "source": a.source, "wikidata": a.wikidata, "article_id": ex.article.id} for a in ex.actors]


def source_key(ex: Extraction) -> str:
    return f"url:{ex.article.url}" if ex.article.url else f"doc:{ex.article.doc_id}"


@dataclass
class _BatchRows:
    """The rows of several articles, concatenated for one UNWIND per statement. Facts are de-duplicated
    (the first article's kind family and flags create the node, as sequential writes would)."""

    outlets: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)
    publishers: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    roles: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    evidence: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    cites: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)  # LED_TO / RESPONDS_TO its records make clear
    fact_ids: set[str] = field(default_factory=set)

    def add(self, ex: Extraction, key: str, rows: ArticleRows, outlets: OutletRegistry) -> None:
        art = ex.article
        publisher = outlets.resolve(art.outlet, art.url)
        self.outlets.update(rows.cited_outlets)
        if publisher:
            self.outlets[publisher.id] = publisher.row()
            self.publishers.append({"article_id": art.id, "outlet_id": publisher.id})
        self.articles.append(article_row(ex, key, publisher))
        self.actors += actor_rows(ex)
        for label, fact_rows in rows.facts.items():
            for fact in fact_rows:
                self.facts[label].setdefault(fact["id"], fact)
        for relation, role_rows in rows.roles.items():
            self.roles[relation] += role_rows
        self.evidence += rows.evidence
        self.mentions += rows.mentions
        self.cites += rows.cites
        self.fact_ids |= set(rows.fact_ids)


class GraphWriter:
    def __init__(self, graph: Graph, outlets: OutletRegistry | None = None,
                 weights: ReliabilityWeights | None = None) -> None:
        self.graph = graph
        self.outlets = outlets or load_registry()
        # the weights of the settings the graph was connected with (environment and .env), unless given
        self.weights = weights or (graph.settings.reliability if graph.settings is not None else ReliabilityWeights())

    # ------------------------------------------------------------ public

    def write(self, ex: Extraction, reextract: bool = False) -> WriteStatus:
        """Write one article and everything extracted from it, atomically. With `reextract`, an article already
        stored with the same text but another extractor fingerprint has its evidence replaced."""
        return self.graph.write_transaction(lambda tx: self._write_batch(tx, [ex], reextract))[0]

    def write_many(self, exs: list[Extraction], reextract: bool = False) -> list[WriteStatus]:
        """Write several articles in one transaction, leaving the graph that writing them one by one, in order,
        would leave. All or nothing: when it raises, nothing of the batch is stored (the loader then writes the
        articles one at a time, so a bad article fails alone). A batch that names one article (id or source
        key) twice is written one article at a time."""
        if not exs:
            return []
        ids = [ex.article.id for ex in exs]
        keys = [source_key(ex) for ex in exs]
        if len(set(ids)) < len(ids) or len(set(keys)) < len(keys):
            return [self.write(ex, reextract) for ex in exs]
        return self.graph.write_transaction(lambda tx: self._write_batch(tx, exs, reextract))

    def rewrite(self, tx: neo4j.ManagedTransaction, actor_ids: list[str]) -> int:
        """Inside a curation's transaction: write again, from their stored records, the articles naming these
        actors, so their facts are keyed on the canonical actors the judgements now give; keep the SAME_AS
        edges of those actors in step. Returns the number of articles written again."""
        rows = tx.run(cq.ARTICLES_MENTIONING_CYPHER, ids=sorted(set(actor_ids))).data()
        exs = [stored_extraction(r) for r in rows]
        for start in range(0, len(exs), 32):
            self._write_batch(tx, exs[start : start + 32], force=True)
        if not exs:
            tx.run(q.ADVANCE_GRAPH_VERSION_CYPHER).consume()
        canon = self._canon(tx, [])
        tx.run(cq.DELETE_SAME_AS_CYPHER, ids=sorted(set(actor_ids) | set(canon))).consume()
        tx.run(cq.LINK_SAME_AS_CYPHER, rows=[{"id": a, "canonical": c} for a, c in sorted(canon.items())]).consume()
        return len(exs)

    def refresh_facts(self, tx: neo4j.ManagedTransaction, fact_ids: list[str]) -> None:
        """Inside a curation's transaction: recompute these facts' summaries (a verdict given or undone)."""
        self._refresh(tx, fact_ids)

    def rebuild_summaries(self) -> int:
        """Recompute from scratch what kg/names.py describes (for a graph written before it was kept): every
        fact's NAMES edges and sort key, every actor's fact counts, article counts and CO_MENTIONED counts. Fact
        summaries are left as they are. Returns the number of facts."""
        return self.graph.write_transaction(rebuild_summaries)

    def stale_articles(self, fingerprint: str, after: str = "", limit: int = 200) -> list[ArticleRecord]:
        """The next page (in id order, after `after`) of stored articles not extracted by `fingerprint`, as the
        ArticleRecords they were read from."""
        rows = self.graph.read(q.STALE_ARTICLES_CYPHER, {"fingerprint": fingerprint, "after": after, "limit": limit})
        out = []
        for r in rows:
            record = ArticleRecord(doc_id=r["doc_id"], text=r["text"], title=r["title"],
                                   outlet=r["outlet_given"] if r["outlet_given"] is not None else r["outlet"],
                                   published=r["published"] or None, url=r["url"], source_path=r["source_path"])
            if record.id != r["id"]:  # the text was edited in the graph: extracting it would make another article
                raise KGError(f"stored article {r['doc_id']} ({r['id']}): its text no longer hashes to its id")
            out.append(record)
        return out

    def forget(self, article_id: str) -> ForgetResult:
        return self.graph.write_transaction(lambda tx: self._forget(tx, article_id))

    def refresh_all(self) -> int:
        """Recompute every fact's summary (after editing outlet priors or reliability weights)."""
        ids = [r["id"] for r in self.graph.read(q.ALL_FACT_IDS_CYPHER)]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.graph.write_transaction(lambda tx, c=chunk: self._refresh(tx, c))  # type: ignore[misc]
        return len(ids)

    def sync_outlets(self, attempts: int = 8) -> int:
        """Write the registry's outlets (names, priors, notes) to the graph."""
        rows = [o.row() for o in self.outlets.outlets]
        for attempt in range(attempts):
            try:
                self.graph.write(q.UPSERT_OUTLETS_CYPHER, {"rows": rows})
                break
            except ConstraintError:
                # Two ingests starting on an empty graph MERGE the same outlets at once, and ArcadeDB answers
                # the second with a ConstraintError where Neo4j would wait. Once the first has committed the
                # MERGE finds its nodes, so running it again is all that is needed.
                if attempt == attempts - 1:
                    raise
                retry_pause(attempt)
        return len(rows)

    # ------------------------------------------------------------ transaction functions

    def _canon(self, tx: neo4j.ManagedTransaction, batch_actors: list[str]) -> Canon:
        """The canonical actor of every actor the standing `same` judgements merged, restricted to canonical
        actors the graph (or this batch) holds: a role cannot point at an actor that is not there."""
        same = tx.run(cq.STANDING_ACTOR_JUDGEMENTS_CYPHER, kinds=[JudgementKind.same.value]).data()
        if not same:
            return {}
        canon = canonical_map(same)
        targets = sorted(set(canon.values()) - set(batch_actors))
        present = {r["id"] for r in tx.run(q.EXISTING_ACTORS_CYPHER, ids=targets).data()} | set(batch_actors)
        return {a: c for a, c in canon.items() if c in present}

    def _write_batch(self, tx: neo4j.ManagedTransaction, exs: list[Extraction],
                     reextract: bool = False, force: bool = False) -> list[WriteStatus]:
        """Articles with distinct ids and source keys: skip the unchanged, replace the corrected, add the new
        (and with `reextract`, replace what another extractor found in the same text; with `force`, write
        the same text again: a curation's re-keying). Facts are keyed on canonical actors."""
        keys = [{"id": ex.article.id, "source_key": source_key(ex)} for ex in exs]
        existing: dict[str, list[str]] = defaultdict(list)
        stored_fingerprint: dict[str, str | None] = {}
        for r in tx.run(q.FIND_ARTICLES_CYPHER, keys=keys).data():
            if r["id"] not in existing[r["key_id"]]:  # found by id and by source key: one article
                existing[r["key_id"]].append(r["id"])
            stored_fingerprint[r["id"]] = r["fingerprint"]
        statuses: list[WriteStatus] = []
        mentions = MentionDelta()  # articles naming each actor, and each pair, as this batch changes them
        rows = _BatchRows()
        touched_facts: set[str] = set()
        touched_actors: set[str] = set()
        fetched: list[FetchedArticle] = []
        canon = self._canon(tx, sorted({a.id for ex in exs for a in ex.actors}))
        for ex, key in zip(exs, keys, strict=True):
            old_ids = existing.get(ex.article.id, [])
            same_text = ex.article.id in old_ids
            if same_text and not force and not (
                    reextract and stored_fingerprint.get(ex.article.id) != ex.extractor_fingerprint):
                statuses.append(WriteStatus.unchanged)
                continue
            for old in old_ids:
                facts, actors = self._delete_article(tx, old)
                touched_facts |= facts
                touched_actors |= actors
                mentions.add(actors, -1)
            mentions.add(a.id for a in ex.actors)
            statuses.append(WriteStatus.reextracted if same_text else
                            WriteStatus.replaced if old_ids else WriteStatus.new)
            art_rows = article_rows(ex, self.outlets, canon)
            rows.add(ex, key["source_key"], art_rows, self.outlets)
            rows.links += links.derive(ex, canon)
            if ex.article.fetched_at is not None and not same_text:  # a new fetched version: kept in the history
                publisher = self.outlets.resolve(ex.article.outlet, ex.article.url)
                fetched.append(FetchedArticle(ex, key["source_key"], art_rows,
                                              publisher.name if publisher else ex.article.outlet))
        if not rows.articles:
            return statuses

        if rows.outlets:
            tx.run(q.UPSERT_OUTLETS_CYPHER, rows=list(rows.outlets.values())).consume()
        tx.run(q.UPSERT_ARTICLES_CYPHER, rows=rows.articles).consume()
        if rows.publishers:
            tx.run(q.LINK_PUBLISHERS_CYPHER, rows=rows.publishers).consume()
        if rows.actors:
            ids = sorted({a["id"] for a in rows.actors})
            stored = {r["id"]: r["aliases"] or [] for r in tx.run(q.EXISTING_ACTORS_CYPHER, ids=ids).data()}
            known = set(stored)
            # an actor's aliases are every form any article gave it, sorted: the same whatever the order the
            # articles were written in
            aliases: dict[str, set[str]] = defaultdict(set)
            for a in rows.actors:
                aliases[a["id"]] |= set(a["aliases"])
            for a in rows.actors:
                a["all_aliases"] = sorted(aliases[a["id"]] | set(stored.get(a["id"], [])))
            new_by_type: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
            for a in rows.actors:
                if a["id"] not in known:
                    known.add(a["id"])  # the first article to name an actor gives its type
                    new_by_type[a["type"]][a["id"]] = a
            for actor_type, new_rows in new_by_type.items():
                tx.run(q.CREATE_ACTOR[actor_type], rows=list(new_rows.values())).consume()
            tx.run(q.UPSERT_ACTORS_CYPHER, rows=rows.actors).consume()
            merged = [{"id": a, "canonical": canon[a]} for a in ids if a in canon]
            if merged:  # an actor a curator merged, written again after it was forgotten: it joins again
                tx.run(cq.LINK_SAME_AS_CYPHER, rows=merged).consume()
        for label, by_id in rows.facts.items():
            tx.run(q.UPSERT_FACT[label], rows=list(by_id.values())).consume()
        for relation, role_rows in rows.roles.items():
            tx.run(q.LINK_ROLE[relation], rows=role_rows).consume()
        if rows.evidence:
            tx.run(q.UPSERT_EVIDENCE_CYPHER, rows=rows.evidence).consume()
        if rows.mentions:
            tx.run(q.LINK_EVIDENCE_MENTIONS_CYPHER, rows=rows.mentions).consume()
        if rows.cites:
            tx.run(q.LINK_CITES_CYPHER, rows=rows.cites).consume()
        if rows.links:
            links.write_derived(tx, rows.links)
        _apply_mentions(tx, mentions)
        self._refresh(tx, sorted(touched_facts | rows.fact_ids), canon)
        self._drop_orphans(tx, touched_facts, touched_actors)
        if fetched:  # after the refresh: a version lists its facts with the titles they now have
            record_versions(tx, fetched)
        return statuses

    def _delete_article(self, tx: neo4j.ManagedTransaction, article_id: str) -> tuple[set[str], set[str]]:
        facts = {r["fact_id"] for r in tx.run(q.ARTICLE_FACTS_CYPHER, article_id=article_id).data()}
        actors = {r["actor_id"] for r in tx.run(q.ARTICLE_ACTORS_CYPHER, article_id=article_id).data()}
        tx.run(q.RELEASE_ARTICLE_ROLES_CYPHER, article_id=article_id).consume()
        links.release_article(tx, article_id)
        tx.run(q.DELETE_ARTICLE_EVIDENCE_CYPHER, article_id=article_id).consume()
        tx.run(q.DELETE_ARTICLE_CYPHER, article_id=article_id).consume()
        return facts, actors

    def _drop_orphans(self, tx: neo4j.ManagedTransaction, facts: set[str], actors: set[str]) -> tuple[int, int]:
        removed_facts = removed_actors = 0
        if facts:
            removed_facts = _single_int(tx.run(q.DELETE_UNSUPPORTED_FACTS_CYPHER, ids=sorted(facts)), "deleted")
        if actors:
            removed_actors = _single_int(tx.run(q.DELETE_UNMENTIONED_ACTORS_CYPHER, ids=sorted(actors)), "deleted")
        return int(removed_facts), int(removed_actors)

    def _forget(self, tx: neo4j.ManagedTransaction, article_id: str) -> ForgetResult:
        exists = tx.run(q.FIND_ARTICLE_CYPHER, id=article_id).data()
        if not exists:
            return ForgetResult(found=False)
        facts, actors = self._delete_article(tx, article_id)
        end_versions(tx, article_id)
        delta = MentionDelta()
        delta.add(actors, -1)
        _apply_mentions(tx, delta)
        # before the orphans go: a fact left without evidence gives back its NAMES edges (and their counts)
        self._refresh(tx, sorted(facts))
        removed_facts, removed_actors = self._drop_orphans(tx, facts, actors)
        return ForgetResult(found=True, facts_removed=removed_facts, facts_kept=len(facts) - removed_facts,
                            actors_removed=removed_actors)

    def _refresh(self, tx: neo4j.ManagedTransaction, fact_ids: list[str], canon: Canon | None = None) -> None:
        # Every transaction that changes the graph (a batch, a forget, a rescore) passes here once: readers'
        # caches are keyed on this version, so the change is visible on their next read.
        tx.run(q.ADVANCE_GRAPH_VERSION_CYPHER).consume()
        if not fact_ids:
            return
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        meta: dict[str, tuple[str, bool]] = {}
        for r in tx.run(q.FACT_EVIDENCE_CYPHER, ids=fact_ids).data():
            row = dict(r["evidence"])
            row.update(id=r["evidence_id"], outlet_id=r["outlet_id"], outlet_prior=r["outlet_prior"],
                       cited_ids=r["cited_ids"], cited_priors=r["cited_priors"])
            evidence[r["fact_id"]].append(row)
            meta[r["fact_id"]] = (r["fact_type"], bool(r["negated"]))
        roles: dict[str, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
        role_actors: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for r in tx.run(q.FACT_ROLES_CYPHER, ids=fact_ids).data():
            roles[r["fact_id"]][r["role"]].append((r["position"] or 0, r["name"]))
            role_actors[r["fact_id"]][r["role"]].append(r["actor_id"])
        mentioned = {r["fact_id"]: r["actor_ids"]
                     for r in tx.run(q.FACT_MENTIONED_ACTORS_CYPHER, ids=fact_ids).data()}
        if canon is None:
            canon = self._canon(tx, [])
        old_names = [Named(r["fact_id"], r["actor_id"], tuple(r["roles"] or ()), r["key"], r["bucket"],
                           bool(r["rejected"]), r["date_start"], r["date_stop"])
                     for r in tx.run(q.FACT_NAMES_CYPHER, ids=fact_ids).data()]
        new_names: list[Named] = []
        standing = tx.run(cq.STANDING_VERDICTS_CYPHER, kinds=[k.value for k in FACT_VERDICTS]).data()
        summaries: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        for fact_id, rows in evidence.items():
            fact_type, negated = meta[fact_id]
            named = {role: [n for _, n in sorted(v)] for role, v in roles[fact_id].items()}
            props, pairs = summarise(fact_id, fact_type, negated, rows, named, self.weights)
            extracted = {r.get("extracted_fact_id") or fact_id for r in rows}
            # a curator's verdict, applied on every write, following the fact through merges and splits
            props.update(verdict_props(verdicts_of(fact_id, extracted, standing) if standing else []))
            explain_verdict(props)
            summaries.append({"id": fact_id, "props": props})
            conflicts += [p.row(fact_id) for p in pairs]
            new_names += names_of(fact_id, props, role_actors[fact_id], mentioned.get(fact_id, []), canon)
        if summaries:
            tx.run(q.SET_FACT_SUMMARY_CYPHER, rows=summaries).consume()
        _sync_names(tx, old_names, new_names)
        tx.run(q.DELETE_FACT_CONFLICTS_CYPHER, ids=fact_ids).consume()
        if conflicts:
            tx.run(q.CREATE_CONFLICTS_CYPHER, rows=conflicts).consume()
        links.sync(tx, fact_ids)  # the standing link judgements, applied on every write


def rebuild_summaries(tx: neo4j.ManagedTransaction, chunk: int = 500) -> int:
    """Inside a transaction (`kg import` calls it in its own): kg/names.py's structures from scratch, from the
    facts, roles, mentions and SAME_AS edges as stored."""
    tx.run(q.DELETE_CO_MENTIONS_CYPHER).consume()
    tx.run(q.CLEAR_ACTOR_ARTICLES_CYPHER).consume()
    tx.run(q.CLEAR_FACT_COUNTS_CYPHER).consume()
    tx.run(q.DELETE_ALL_NAMES_CYPHER).consume()
    delta = MentionDelta()
    for r in tx.run(q.ARTICLE_ACTOR_SETS_CYPHER).data():
        delta.add(r["actor_ids"])
    _apply_mentions(tx, delta)
    canon = {r["id"]: r["canonical"] for r in tx.run(q.SAME_AS_CANON_CYPHER).data()}
    ids = sorted(r["id"] for r in tx.run(q.ALL_FACT_IDS_CYPHER).data())
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for r in tx.run(q.FACT_ROLES_CYPHER, ids=part).data():
            roles[r["fact_id"]][r["role"]].append(r["actor_id"])
        mentioned = {r["fact_id"]: r["actor_ids"] for r in tx.run(q.FACT_MENTIONED_ACTORS_CYPHER, ids=part).data()}
        new: list[Named] = []
        order = []
        for r in tx.run(q.FACT_ORDER_INPUTS_CYPHER, ids=part).data():
            new += names_of(r["id"], r, roles[r["id"]], mentioned.get(r["id"], []), canon)
            order.append({"id": r["id"], "sort_key": sort_key(r["date_start"], r["date_value"], r["id"]),
                          "page_bucket": page_bucket(r["date_start"], r["date_stop"])})
        tx.run(q.SET_FACT_ORDER_CYPHER, rows=order).consume()
        _sync_names(tx, [], new)
    return len(ids)


def _apply_mentions(tx: neo4j.ManagedTransaction, delta: MentionDelta) -> None:
    """The articles' actor sets as they changed: each actor's article count, each pair's CO_MENTIONED count, the
    top co-mentions of every actor in a changed pair (kg/names.py)."""
    pair_rows = delta.pair_rows()
    in_pairs = {x for r in pair_rows for x in (r["a"], r["b"])}
    rows = delta.article_rows()  # with the actors of changed pairs whose own count did not change: their lists
    rows += [{"id": x, "delta": 0} for x in sorted(in_pairs - {r["id"] for r in rows})]
    articles: dict[str, int] = {}
    tops: dict[str, str | None] = {}
    who: dict[str, tuple[str, str]] = {}  # as stored: the name and type the top lists keep
    for r in tx.run(q.ADD_ACTOR_ARTICLES_CYPHER, rows=rows).data() if rows else []:
        articles[r["id"]], tops[r["id"]], who[r["id"]] = r["articles"], r["co_top"], (r["name"], r["type"])
    counted: list[dict[str, Any]] = []
    for statement, part in co_mention_statements(pair_rows, articles):
        counted += tx.run(statement, rows=part).data()
    if gone := [r for r in counted if r["articles"] <= 0]:
        tx.run(q.DELETE_EMPTY_CO_MENTIONS_CYPHER, rows=gone).consume()
    fell = sorted({x for r in pair_rows if r["delta"] < 0 for x in (r["a"], r["b"])})
    grown: dict[str, dict[str, tuple[str, str, int]]] = defaultdict(dict)
    for r in counted:
        grown[r["a"]][r["b"]] = (*who[r["b"]], r["articles"])
        grown[r["b"]][r["a"]] = (*who[r["a"]], r["articles"])
    new_tops = {x: merged_top(tops.get(x), g) for x, g in grown.items() if x not in fell}
    if fell:  # a count fell: what was below the list may be in it now, so from the actor's edges
        edges: dict[str, list[tuple[str, str, str, int]]] = {x: [] for x in fell}
        for r in tx.run(q.CO_MENTIONS_OF_CYPHER, ids=fell).data():
            edges[r["id"]].append((r["other"], r["name"], r["type"], r["articles"]))
        new_tops.update({x: encode_top(e) for x, e in edges.items()})
    if changed := [{"id": x, "top": t} for x, t in sorted(new_tops.items()) if t != tops.get(x)]:
        tx.run(q.SET_CO_TOP_CYPHER, rows=changed).consume()


def co_mention_statements(rows: list[dict[str, Any]], articles: dict[str, int]
                          ) -> list[tuple[LiteralString, list[dict[str, Any]]]]:
    """ADD_CO_MENTIONS' rows split by the end each edge is looked for from: the actor in fewer articles
    (`articles`, as ADD_ACTOR_ARTICLES left them: a proxy for its number of CO_MENTIONED edges)."""
    from_a = [r for r in rows if articles.get(r["a"], 0) <= articles.get(r["b"], 0)]
    from_b = [r for r in rows if articles.get(r["a"], 0) > articles.get(r["b"], 0)]
    return [(st, part) for st, part in ((q.ADD_CO_MENTIONS_CYPHER, from_a), (q.ADD_CO_MENTIONS_FROM_B_CYPHER, from_b))
            if part]


def _sync_names(tx: neo4j.ManagedTransaction, old: list[Named], new: list[Named]) -> None:
    """Bring the facts' NAMES edges from `old` (as stored) to `new` (as computed now), writing only what
    changed, and their actors' fact counts by the difference."""
    old_by = {(n.fact_id, n.actor_id): n for n in old}
    new_by = {(n.fact_id, n.actor_id): n for n in new}
    gone = [o for k, o in old_by.items() if k not in new_by]
    changed = [n for k, n in new_by.items() if k not in old_by or not n.same_edge(old_by[k])]
    if gone:
        tx.run(q.DELETE_NAMES_CYPHER, rows=[n.row() for n in gone]).consume()
    if changed:
        tx.run(q.SET_NAMES_CYPHER, rows=[n.row() for n in changed]).consume()
    delta = count_delta([o for k, o in old_by.items() if new_by.get(k) != o],
                        [n for k, n in new_by.items() if old_by.get(k) != n])
    if not delta:
        return
    stored = {r["id"]: r["fact_counts"] for r in tx.run(q.ACTOR_FACT_COUNTS_CYPHER, ids=sorted(delta)).data()}
    rows = [{"id": a, "fact_counts": apply_counts(stored[a], c)} for a, c in sorted(delta.items()) if a in stored]
    if rows:
        tx.run(q.SET_ACTOR_FACT_COUNTS_CYPHER, rows=rows).consume()


def retry_pause(attempt: int) -> None:
    """Back off before retrying a write that lost a race on a unique key: growing, jittered, under 2 s."""
    time.sleep(min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random()))


def _single_int(result: neo4j.Result, key: str) -> int:
    record = result.single()
    return int(record[key]) if record is not None and record[key] is not None else 0


def stored_extraction(row: dict[str, Any]) -> Extraction:
    """The Extraction an article was written from: its stored record, with the article read back from the node's
    properties (as `stale_articles` reads it)."""
    if not row.get("extraction"):
        raise KGError(f"article {row['doc_id']} has no stored extraction record (imported from an export, or "
                      "written before records were stored): ingest it again, then curate")
    article = ArticleRecord(doc_id=row["doc_id"], text=row["text"], title=row["title"],
                            outlet=row["outlet_given"] if row["outlet_given"] is not None else row["outlet"],
                            published=row["published"] or None, url=row["url"], source_path=row["source_path"])
    return Extraction.model_validate({**json.loads(row["extraction"]), "article": article.model_dump()})
