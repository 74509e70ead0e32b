"""Prototype (to port into kg/writer.py and kg/loader.py): several articles per transaction.

`BatchedGraphWriter.write_many(extractions)` writes a batch in ONE transaction with the writer's own
UNWIND statements, rows concatenated across the batch (the statements that took a single `$row` /
`$article_id` get a row-carrying twin in kg/cypher_bench.py), and the fact summaries refreshed once
per batch instead of once per article. The graph it leaves is the one GraphWriter leaves after writing
the same articles one by one, in order (bench checks this node by node):

* unchanged articles (same id) are skipped, corrected ones (same source key, new text) replace the old
  version inside the same transaction, as in GraphWriter._write;
* MERGE ... ON CREATE rows keep the first article's values, SET rows the last one's, as sequential writes do
  (fact rows are de-duplicated across the batch, first one kept);
* a batch that names the same article id or source key twice, or that fails, is written one article at a
  time with GraphWriter.write (so one bad article never costs the others, and each stays atomic).

`load_batched` is kg.loader.load with an adaptive batch: the writer thread takes whatever the extractor has
queued (up to `max_batch`), so batches grow only when writing lags behind extraction.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, LiteralString

import neo4j

from kg import cypher as q
from kg import cypher_bench as qb
from kg.db import count_graph
from kg.errors import GraphUnavailable
from kg.facts import ArticleRows, article_rows
from kg.loader import IngestSummary, failure_of
from kg.writer import GraphWriter, WriteStatus, source_key
from ontology.models import Extraction

FAST_FACTS: dict[str, LiteralString] = {
    "Allegation": qb.CREATE_ALLEGATIONS_CYPHER,
    "GovernmentAction": qb.CREATE_GOVERNMENT_ACTIONS_CYPHER,
    "Event": qb.CREATE_EVENTS_CYPHER,
}


class BatchedGraphWriter(GraphWriter):
    """GraphWriter plus write_many. fast_facts: create facts after an index-backed existence check instead of
    MERGE (f:Fact:<Label> {id}), which ArcadeDB runs as a scan of every node of that label."""

    fast_facts: bool = False

    def write_many(self, exs: list[Extraction]) -> list[WriteStatus]:
        if not exs:
            return []
        ids = [ex.article.id for ex in exs]
        keys = [source_key(ex) for ex in exs]
        if len(exs) == 1 or len(set(ids)) < len(ids) or len(set(keys)) < len(keys):
            return [self.write(ex) for ex in exs]
        try:
            return self.graph.write_transaction(lambda tx: self._write_many(tx, exs, ids, keys))
        except GraphUnavailable:
            raise
        except Exception:
            return [self.write(ex) for ex in exs]  # one by one: a failing article fails alone

    def _write_many(self, tx: neo4j.ManagedTransaction, exs: list[Extraction], ids: list[str],
                    keys: list[str]) -> list[WriteStatus]:
        found = tx.run(qb.FIND_ARTICLES_CYPHER,
                       keys=[{"id": i, "source_key": k} for i, k in zip(ids, keys, strict=True)]).data()
        existing: dict[str, list[str]] = defaultdict(list)
        for r in found:
            existing[r["key_id"]].append(r["id"])
        statuses: list[WriteStatus] = []
        todo: list[tuple[Extraction, str, ArticleRows]] = []
        touched_facts: set[str] = set()
        touched_actors: set[str] = set()
        for ex, art_id, key in zip(exs, ids, keys, strict=True):
            old_ids = existing.get(art_id, [])
            if art_id in old_ids:
                statuses.append(WriteStatus.unchanged)
                continue
            for old in old_ids:
                old_facts, old_actors = self._delete_article(tx, old)
                touched_facts |= old_facts
                touched_actors |= old_actors
            statuses.append(WriteStatus.replaced if old_ids else WriteStatus.new)
            todo.append((ex, key, article_rows(ex, self.outlets)))
        if not todo:
            return statuses

        outlets: dict[str, dict[str, Any]] = {}
        articles: list[dict[str, Any]] = []
        publishers: list[dict[str, Any]] = []
        actors: list[dict[str, Any]] = []
        facts: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        roles: dict[str, list[dict[str, Any]]] = defaultdict(list)
        evidence: list[dict[str, Any]] = []
        mentions: list[dict[str, Any]] = []
        cites: list[dict[str, Any]] = []
        fact_ids: set[str] = set()
        for ex, key, rows in todo:
            art = ex.article
            publisher = self.outlets.resolve(art.outlet, art.url)
            outlets.update(rows.cited_outlets)
            if publisher:
                outlets[publisher.id] = publisher.row()
            articles.append({
                "id": art.id, "doc_id": art.doc_id, "url": art.url, "title": art.title,
                "published": art.published.isoformat() if art.published else None,
                "outlet": publisher.name if publisher else art.outlet,
                "outlet_id": publisher.id if publisher else None,
                "source_key": key, "source_path": art.source_path, "text": art.text,
                "extractor_version": ex.extractor_version,
            })
            if publisher:
                publishers.append({"article_id": art.id, "outlet_id": publisher.id})
            actors += [{"id": a.id, "name": a.name, "type": a.type.value, "aliases": sorted(set(a.aliases)),
                        "source": a.source, "article_id": art.id} for a in ex.actors]
            for label, fact_rows in rows.facts.items():
                for fr in fact_rows:
                    facts[label].setdefault(fr["id"], fr)  # ON CREATE: the first article's values
            for relation, role_rows in rows.roles.items():
                roles[relation] += role_rows
            evidence += rows.evidence
            mentions += rows.mentions
            cites += rows.cites
            fact_ids |= set(rows.fact_ids)

        if outlets:
            tx.run(q.UPSERT_OUTLETS_CYPHER, rows=list(outlets.values())).consume()
        tx.run(qb.UPSERT_ARTICLES_CYPHER, rows=articles).consume()
        if publishers:
            tx.run(qb.LINK_PUBLISHERS_CYPHER, rows=publishers).consume()
        if actors:
            known = {r["id"] for r in tx.run(q.EXISTING_ACTORS_CYPHER,
                                             ids=sorted({a["id"] for a in actors})).data()}
            new_by_type: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
            for a in actors:
                if a["id"] not in known:
                    known.add(a["id"])  # the first article to name an actor gives its type
                    new_by_type[a["type"]][a["id"]] = a
            for actor_type, new_rows in new_by_type.items():
                tx.run(q.CREATE_ACTOR[actor_type], rows=list(new_rows.values())).consume()
            tx.run(qb.UPSERT_MENTIONS_CYPHER, rows=actors).consume()
        for label, by_id in facts.items():
            statement = FAST_FACTS[label] if self.fast_facts else q.UPSERT_FACT[label]
            tx.run(statement, rows=list(by_id.values())).consume()
        for relation, role_rows in roles.items():
            tx.run(q.LINK_ROLE[relation], rows=role_rows).consume()
        if evidence:
            tx.run(q.UPSERT_EVIDENCE_CYPHER, rows=evidence).consume()
        if mentions:
            tx.run(q.LINK_EVIDENCE_MENTIONS_CYPHER, rows=mentions).consume()
        if cites:
            tx.run(q.LINK_CITES_CYPHER, rows=cites).consume()
        self._refresh(tx, sorted(touched_facts | fact_ids))
        self._drop_orphans(tx, touched_facts, touched_actors)
        return statuses


_DONE = object()


def load_batched(writer: BatchedGraphWriter, items: Iterable[Extraction | Any], max_batch: int = 32,
                 queue_size: int = 256) -> IngestSummary:
    """kg.loader.load with batched writes (no progress bar): the writer thread drains up to max_batch queued
    articles per transaction."""
    summary = IngestSummary()
    before = count_graph(writer.graph)
    started = time.monotonic()
    pending: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
    fatal: list[BaseException] = []
    lock = threading.Lock()

    def drain() -> None:
        done = False
        while not done:
            batch = [pending.get()]
            while len(batch) < max_batch:
                try:
                    batch.append(pending.get_nowait())
                except queue.Empty:
                    break
            if batch[-1] is _DONE:
                batch.pop()
                done = True
            if not batch or fatal:
                continue
            try:
                statuses = writer.write_many(batch)
            except GraphUnavailable as exc:
                fatal.append(exc)
                continue
            except Exception as exc:
                with lock:
                    for ex in batch:
                        summary.failed += 1
                        summary.failures.append((ex.article.doc_id, str(exc).splitlines()[0][:300]))
                continue
            with lock:
                for st in statuses:
                    if st is WriteStatus.new:
                        summary.new += 1
                    elif st is WriteStatus.replaced:
                        summary.replaced += 1
                    else:
                        summary.unchanged += 1

    thread = threading.Thread(target=drain, name="graph-writer", daemon=True)
    thread.start()
    try:
        for item in items:
            if fatal:
                break
            if isinstance(item, Extraction):
                pending.put(item)
            else:
                with lock:
                    summary.failed += 1
                    summary.failures.append(failure_of(item))
    finally:
        pending.put(_DONE)
        thread.join()
    if fatal:
        raise fatal[0]
    after = count_graph(writer.graph)
    summary.nodes_added = after["nodes"] - before["nodes"]
    summary.relationships_added = after["relationships"] - before["relationships"]
    summary.seconds = time.monotonic() - started
    return summary
