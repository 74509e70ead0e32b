"""Bulk load: the rows GraphWriter would write, sent as big UNWIND batches (the raw reference and the
100k-article graph builder).

Rows come from the writer's own code (kg.facts.article_rows, kg.facts.summarise, the outlet registry), so
nodes, relationships and properties are those GraphWriter produces; the difference is only how they
travel: thousands of rows per statement instead of one article per transaction, and fact summaries
computed once from the evidence kept in memory instead of re-read from the graph after each article.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, LiteralString

from bench import cypher as qb
from kg import cypher as q
from kg import links
from kg.cypher import links as lq
from kg.db import Graph
from kg.facts import article_rows, summarise
from kg.names import MentionDelta, Named, counts_of, names_of, tops_of
from kg.reliability import ReliabilityWeights
from kg.writer import actor_rows, article_row, co_mention_statements, source_key
from ontology.models import Extraction
from ontology.vocabulary import vocabulary
from reference.outlets import OutletRegistry, load_registry


@dataclass
class BulkStats:
    articles: int = 0
    rows: int = 0
    statements: int = 0
    seconds_db: float = 0.0
    seconds_py: float = 0.0
    by_statement: dict[str, float] = field(default_factory=lambda: defaultdict(float))


class BulkLoader:
    """Accumulates articles' rows; flush() sends them, finish() writes fact summaries and conflicts.

    Assumes new articles (no re-ingest or replacement): this is a loader for a fresh graph.
    mode "merge": the writer's own UNWIND statements (kg/cypher/writes.py), the raw reference of the write benchmark;
    mode "create": create-only statements of bench/cypher.py and the writer's index-backed fact creation
    (same nodes, relationships, properties), used to build the 100k-article graph in minutes."""

    def __init__(self, graph: Graph, batch_rows: int = 5000, outlets: OutletRegistry | None = None,
                 weights: ReliabilityWeights | None = None, mode: str = "merge") -> None:
        assert mode in ("merge", "create")
        self.create = mode == "create"
        self.graph = graph
        self.batch_rows = batch_rows
        self.outlets = outlets or load_registry()
        self.weights = weights or ReliabilityWeights()
        self.stats = BulkStats()
        self._outlets_written: set[str] = set()
        self._outlet_prior: dict[str, float] = {}
        self._outlet_name: dict[str, str] = {}
        self._actor_type: dict[str, str] = {}
        self._actor_name: dict[str, str] = {}
        self._actor_aliases: dict[str, set[str]] = {}
        self._facts_written: set[str] = set()
        self._fact_meta: dict[str, tuple[str, bool]] = {}
        self._roles: dict[tuple[str, str, str], int] = {}
        self._role_articles: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # the articles giving it
        self._actor_wikidata: dict[str, str | None] = {}
        self._links: list[dict[str, Any]] = []  # LED_TO / RESPONDS_TO, as kg.links derives them
        self._evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._fact_mentions: dict[str, set[str]] = defaultdict(set)  # fact -> actors its sentences name
        self._mentions = MentionDelta()  # articles naming each actor and each pair (kg/names.py)
        self._reset_pending()

    def _reset_pending(self) -> None:
        self.p_outlets: list[dict[str, Any]] = []
        self.p_articles: list[dict[str, Any]] = []
        self.p_publishers: list[dict[str, Any]] = []
        self.p_new_actors: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.p_mentions: list[dict[str, Any]] = []
        self.p_facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.p_roles: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.p_evidence: list[dict[str, Any]] = []
        self.p_cites: list[dict[str, Any]] = []
        self.p_ev_mentions: list[dict[str, Any]] = []
        self.p_evidence_nested: list[dict[str, Any]] = []
        self.pending_rows = 0

    # ------------------------------------------------------------ rows

    def add(self, ex: Extraction) -> None:
        t0 = time.perf_counter()
        art = ex.article
        rows = article_rows(ex, self.outlets)
        publisher = self.outlets.resolve(art.outlet, art.url)
        outlet_rows = dict(rows.cited_outlets)
        if publisher:
            outlet_rows[publisher.id] = publisher.row()
        for oid, row in outlet_rows.items():
            if oid not in self._outlets_written:
                self._outlets_written.add(oid)
                self._outlet_prior[oid] = float(row["prior"])  # type: ignore[arg-type]
                self._outlet_name[oid] = str(row["name"])
                self.p_outlets.append(row)
        self.p_articles.append(article_row(ex, source_key(ex), publisher))
        if publisher:
            self.p_publishers.append({"article_id": art.id, "outlet_id": publisher.id})
        for a in actor_rows(ex):
            if a["id"] not in self._actor_type:
                self._actor_type[a["id"]] = a["type"]
                self._actor_name[a["id"]] = a["name"]
                self._actor_aliases[a["id"]] = set()
                self.p_new_actors[a["type"]].append(a)
            # as the writer keeps them: every form any article gave, sorted; the last QID given
            self._actor_aliases[a["id"]] |= set(a["aliases"])
            self._actor_wikidata[a["id"]] = a["wikidata"] or self._actor_wikidata.get(a["id"])
            self.p_mentions.append({"article_id": art.id, "actor_id": a["id"], "aliases": a["aliases"]})
        for label, fact_rows in rows.facts.items():
            for fr in fact_rows:
                if fr["id"] not in self._facts_written:
                    self._facts_written.add(fr["id"])
                    self._fact_meta[fr["id"]] = (fr["fact_type"], bool(fr["negated"]))
                    self.p_facts[label].append(fr)
        for relation, role_rows in rows.roles.items():
            for rr in role_rows:
                key = (rr["fact_id"], relation, rr["actor_id"])
                self._roles[key] = rr["position"]
                self._role_articles[key].add(rr["article_id"])
                if not self.create:  # the writer's statement, a row per article giving the role
                    self.p_roles[relation].append(rr)
        self._links += links.derive(ex)
        cited: dict[str, list[str]] = defaultdict(list)
        for c in rows.cites:
            cited[c["evidence_id"]].append(c["outlet_id"])
        for e in rows.evidence:
            self.p_evidence.append(e)
            summary_row = dict(e["props"])
            ids = cited.get(e["id"], [])
            # As kg.writer._refresh reads them back (FACT_EVIDENCE_CYPHER): outlets by name.
            summary_row.update(id=e["id"], outlet_id=publisher.name if publisher else None,
                               outlet_prior=publisher.prior if publisher else None,
                               cited_ids=[self._outlet_name.get(i) for i in ids],
                               cited_priors=[self._outlet_prior.get(i) for i in ids])
            self._evidence[e["fact_id"]].append(summary_row)
        self.p_cites += rows.cites
        self.p_ev_mentions += rows.mentions
        fact_of = {e["id"]: e["fact_id"] for e in rows.evidence}
        for m in rows.mentions:
            self._fact_mentions[fact_of[m["evidence_id"]]].add(m["actor_id"])
        self._mentions.add(a.id for a in ex.actors)
        if self.create:  # one row per article, its children nested
            self.p_articles[-1]["mentions"] = [
                {"actor_id": m["actor_id"], "aliases": m["aliases"]} for m in self.p_mentions[-len(ex.actors):]
            ] if ex.actors else []
            by_evidence: dict[str, list[str]] = defaultdict(list)
            for m in rows.mentions:
                by_evidence[m["evidence_id"]].append(m["actor_id"])
            self.p_evidence_nested.append({"article_id": art.id, "evidence": [
                {"id": e["id"], "fact_id": e["fact_id"], "props": e["props"], "mentions": by_evidence.get(e["id"], [])}
                for e in rows.evidence]})
        n_rows = (1 + (publisher is not None) + len(ex.actors) + len(rows.evidence) + len(rows.cites)
                  + len(rows.mentions) + sum(len(v) for v in rows.facts.values())
                  + sum(len(v) for v in rows.roles.values()))
        self.pending_rows += n_rows
        self.stats.rows += n_rows
        self.stats.articles += 1
        self.stats.seconds_py += time.perf_counter() - t0
        if self.pending_rows >= self.batch_rows * 4:
            self.flush()

    # ------------------------------------------------------------ sending

    def start_sender(self, depth: int = 8) -> None:
        """Send from a background thread, so building rows (Python) overlaps the server's work."""
        self._queue: queue.Queue[tuple[str, LiteralString, list[dict[str, Any]]] | None] = queue.Queue(depth)
        self._errors: list[BaseException] = []

        def run() -> None:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                if not self._errors:
                    try:
                        self._execute(*item)
                    except BaseException as exc:  # re-raised by the producer
                        self._errors.append(exc)

        self._sender: threading.Thread | None = threading.Thread(target=run, name="bulk-sender", daemon=True)
        self._sender.start()

    def stop_sender(self) -> None:
        sender = getattr(self, "_sender", None)
        if sender is not None:
            self._queue.put(None)
            sender.join()
            self._sender = None
            if self._errors:
                raise self._errors[0]

    def _execute(self, name: str, statement: LiteralString, chunk: list[dict[str, Any]]) -> None:
        t0 = time.perf_counter()
        self.graph.write(statement, {"rows": chunk})
        dt = time.perf_counter() - t0
        self.stats.seconds_db += dt
        self.stats.by_statement[name] += dt
        self.stats.statements += 1

    def _send(self, name: str, statement: LiteralString, rows: list[dict[str, Any]], size: int | None = None) -> None:
        size = size or self.batch_rows
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            if getattr(self, "_sender", None) is not None:
                if self._errors:
                    raise self._errors[0]
                self._queue.put((name, statement, chunk))
            else:
                self._execute(name, statement, chunk)

    def flush(self) -> None:
        if self.p_outlets:
            self._send("outlets", q.UPSERT_OUTLETS_CYPHER, self.p_outlets)
        if self.create:
            per_article = max(1, self.batch_rows // 10)  # a row carries an article and its ~10 children
            for actor_type, rows in self.p_new_actors.items():
                self._send("actors", q.CREATE_ACTOR[actor_type], rows)
            self._send("articles+mentions", qb.CREATE_ARTICLES_CYPHER, self.p_articles, size=per_article)
            self._send("publishers", qb.CREATE_PUBLISHED_BY_CYPHER, self.p_publishers)
            for label, rows in self.p_facts.items():
                self._send("facts", q.UPSERT_FACT[label], rows)
            self._send("evidence+mentions", qb.CREATE_EVIDENCE_CYPHER, self.p_evidence_nested, size=per_article)
            self._send("cites", qb.CREATE_CITES_CYPHER, self.p_cites)
        else:
            self._send("articles", q.UPSERT_ARTICLES_CYPHER, self.p_articles)
            self._send("publishers", q.LINK_PUBLISHERS_CYPHER, self.p_publishers)
            for actor_type, rows in self.p_new_actors.items():
                self._send("actors", q.CREATE_ACTOR[actor_type], rows)
            self._send("mentions", qb.LINK_MENTIONS_CYPHER, self.p_mentions)
            for label, rows in self.p_facts.items():
                self._send("facts", q.UPSERT_FACT[label], rows)
            for relation, rows in self.p_roles.items():
                self._send("roles", q.LINK_ROLE[relation], rows)
            self._send("evidence", q.UPSERT_EVIDENCE_CYPHER, self.p_evidence)
            self._send("evidence_mentions", q.LINK_EVIDENCE_MENTIONS_CYPHER, self.p_ev_mentions)
            self._send("cites", q.LINK_CITES_CYPHER, self.p_cites)
        self._reset_pending()

    def finish(self) -> None:
        """Flush, then actor aliases, fact summaries and conflicts, from what was kept in memory."""
        self.flush()
        t0 = time.perf_counter()
        actor_rows = []
        for aid, alias_set in self._actor_aliases.items():
            name, aliases = self._actor_name[aid], sorted(alias_set)
            actor_rows.append({"id": aid, "aliases": aliases, "wikidata": self._actor_wikidata.get(aid),
                               "search": (name + " | " + "".join(x + " | " for x in aliases)).lower()})
        names = defaultdict(lambda: defaultdict(list))  # type: ignore[var-annotated]
        role_actors = defaultdict(lambda: defaultdict(list))  # type: ignore[var-annotated]
        for (fact_id, relation, actor_id), position in self._roles.items():
            names[fact_id][vocabulary.rel_type(relation)].append((position, self._actor_name[actor_id]))
            role_actors[fact_id][vocabulary.rel_type(relation)].append(actor_id)
        summaries: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        named_edges: list[Named] = []
        for fact_id, rows in self._evidence.items():
            fact_type, negated = self._fact_meta[fact_id]
            named = {role: [n for _, n in sorted(v)] for role, v in names[fact_id].items()}
            props, pairs = summarise(fact_id, fact_type, negated, rows, named, self.weights)
            summaries.append({"id": fact_id, "props": props})
            conflicts += [p.row(fact_id) for p in pairs]
            # what GraphWriter._refresh keeps (kg/names.py), from the same function
            named_edges += names_of(fact_id, props, role_actors[fact_id], self._fact_mentions.get(fact_id, ()))
        counts = [{"id": a, "fact_counts": c} for a, c in sorted(counts_of(named_edges).items())]
        self.stats.seconds_py += time.perf_counter() - t0
        self.stats.rows += len(actor_rows) + len(summaries) + len(conflicts) + len(named_edges) + len(counts)
        self._send("actor_aliases", qb.SET_ACTOR_ALIASES_CYPHER, actor_rows)
        if self.create:  # each role once, with every article that gives it (sorted, as the writer keeps them)
            by_relation: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for (fact_id, relation, actor_id), position in self._roles.items():
                by_relation[relation].append({"fact_id": fact_id, "actor_id": actor_id, "position": position,
                                              "articles": sorted(self._role_articles[(fact_id, relation, actor_id)])})
            for relation, role_rows in by_relation.items():
                self.stats.rows += len(role_rows)
                self._send("roles", qb.CREATE_ROLE[relation], role_rows)
        for rel_type, typed in sorted(links.by_type(self._links).items()):
            self.stats.rows += len(typed)
            self._send("links", lq.LINK_DERIVED[rel_type], typed)
        self._send("summaries", q.SET_FACT_SUMMARY_CYPHER, summaries)
        self._send("conflicts", q.CREATE_CONFLICTS_CYPHER, conflicts)
        names_statement = qb.CREATE_NAMES_CYPHER if self.create else q.SET_NAMES_CYPHER
        self._send("names", names_statement, [n.row() for n in named_edges])
        self._send("fact_counts", q.SET_ACTOR_FACT_COUNTS_CYPHER, counts)
        self._send("actor_articles", q.ADD_ACTOR_ARTICLES_CYPHER, self._mentions.article_rows())
        if self.create:
            self._send("co_mentions", qb.CREATE_CO_MENTIONS_CYPHER, self._mentions.pair_rows())
        else:  # the writer's statements, each edge looked for from the end the writer would start from
            for statement, pair_rows in co_mention_statements(self._mentions.pair_rows(), self._mentions.articles):
                self._send("co_mentions", statement, pair_rows)
        tops = tops_of(self._mentions.pairs, {a: (n, self._actor_type[a]) for a, n in self._actor_name.items()})
        self.stats.rows += len(tops)
        self._send("co_top", q.SET_CO_TOP_CYPHER, [{"id": a, "top": t} for a, t in sorted(tops.items())])
        self._evidence.clear()
        self.stop_sender()
        self.graph.write(q.ADVANCE_GRAPH_VERSION_CYPHER)  # readers keyed on the version see the load


def bulk_load(graph: Graph, items: Iterable[Extraction], batch_rows: int = 5000, mode: str = "merge",
              threaded: bool = False) -> BulkStats:
    loader = BulkLoader(graph, batch_rows=batch_rows, mode=mode)
    if threaded:
        loader.start_sender()
    try:
        for ex in items:
            loader.add(ex)
        loader.finish()
    finally:
        loader.stop_sender()
    return loader.stats
