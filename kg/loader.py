"""The ingest loop: extraction results in, graph writes out, overlapped, with progress and a summary.

Extraction (CPU-bound, in the caller's thread or its worker processes) feeds a bounded queue; one
writer thread drains it, one transaction per batch of whatever is queued (up to max_batch articles). One
writer, because ArcadeDB answers concurrent MERGE on a unique key with a ConstraintError where Neo4j would
wait.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from neo4j.exceptions import ConstraintError

from kg.db import count_graph
from kg.errors import GraphUnavailable
from kg.writer import GraphWriter, WriteStatus, retry_pause
from ontology.models import Extraction

_DONE = object()


@dataclass
class IngestSummary:
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    reextracted: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    nodes_added: int = 0
    relationships_added: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.new + self.unchanged + self.replaced + self.reextracted + self.failed

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        again = f"{self.reextracted} re-extracted, " if self.reextracted else ""
        return (f"articles: {self.new} new, {self.unchanged} unchanged, {self.replaced} replaced, {again}"
                f"{self.failed} failed, {len(self.warnings)} warnings; "
                f"nodes {self.nodes_added:+d}, relationships {self.relationships_added:+d} "
                f"({self.articles} in {self.seconds:.1f}s, {rate:.1f} articles/s)")


def failure_of(item: Any) -> tuple[str, str]:
    doc = getattr(item, "doc_id", None) or getattr(item, "source", None) or "?"
    reason = getattr(item, "reason", None) or str(item)
    return str(doc), str(reason)


class Progress:
    def __init__(self, stream: TextIO | None, total: int | None = None) -> None:
        self.stream = stream
        self.total = total
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, done: int, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        rate = done / (now - self.started) if now > self.started else 0.0
        of = f"/{self.total}" if self.total else ""
        self.stream.write(f"\ringesting: {done}{of} articles, {rate:.1f} articles/s")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def load(writer: GraphWriter, items: Iterable[Extraction | Any], progress: TextIO | None = sys.stderr,
         errors: TextIO | None = sys.stderr, total: int | None = None, queue_size: int = 64,
         max_batch: int = 32, reextract: bool = False) -> IngestSummary:
    """Write every Extraction; report every other item (a document error) with its id and reason. With
    `reextract`, an article stored with the same text by another extractor has its evidence replaced."""
    summary = IngestSummary()
    before = count_graph(writer.graph)
    started = time.monotonic()
    bar = Progress(progress, total)
    pending: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
    fatal: list[BaseException] = []
    lock = threading.Lock()

    def report(doc: str, reason: str) -> None:
        with lock:
            summary.failed += 1
            summary.failures.append((doc, reason))
            if errors is not None:
                if progress is not None:
                    progress.write("\n")
                errors.write(f"failed: {doc}: {reason}\n")
                errors.flush()

    def record(status: WriteStatus) -> None:
        with lock:
            if status is WriteStatus.new:
                summary.new += 1
            elif status is WriteStatus.replaced:
                summary.replaced += 1
            elif status is WriteStatus.reextracted:
                summary.reextracted += 1
            else:
                summary.unchanged += 1
            bar.update(summary.articles)

    def write_one(ex: Extraction, attempts: int = 5) -> WriteStatus:
        for attempt in range(attempts):
            try:
                return writer.write(ex, reextract)
            except ConstraintError:
                # another ingest created the same actor, fact or outlet a moment ago (ArcadeDB refuses the
                # second MERGE instead of waiting); written again, the MERGE finds that node
                if attempt == attempts - 1:
                    raise
                retry_pause(attempt)
        raise AssertionError("unreachable")

    def write_one_by_one(batch: list[Extraction]) -> None:
        for ex in batch:
            try:
                record(write_one(ex))
            except GraphUnavailable:
                raise
            except Exception as exc:  # one article's failure must not stop the batch
                report(ex.article.doc_id, f"could not be written: {str(exc).splitlines()[0][:300]}")

    def drain() -> None:
        done = False
        while not done:
            # Whatever extraction has queued, up to max_batch: batches grow only when writing lags behind.
            batch = [pending.get()]
            while len(batch) < max_batch and batch[-1] is not _DONE:
                try:
                    batch.append(pending.get_nowait())
                except queue.Empty:
                    break
            if batch[-1] is _DONE:
                batch.pop()
                done = True
            if not batch or fatal:
                continue  # keep draining so the producer never blocks; nothing more is written
            try:
                try:
                    statuses = writer.write_many(batch, reextract)
                except GraphUnavailable:
                    raise
                except Exception as exc:  # nothing of the batch was stored: find the article that fails
                    if errors is not None:
                        with lock:
                            errors.write(f"note: a batch of {len(batch)} articles could not be written together "
                                         f"({str(exc).splitlines()[0][:200]}); writing them one by one\n")
                    write_one_by_one(batch)
                    continue
                for status in statuses:
                    record(status)
            except GraphUnavailable as exc:
                fatal.append(exc)

    thread = threading.Thread(target=drain, name="graph-writer", daemon=True)
    thread.start()
    try:
        for item in items:
            if fatal:
                break
            if isinstance(item, Extraction):
                pending.put(item)
            elif getattr(item, "is_warning", False):
                doc, reason = failure_of(item)
                summary.warnings.append((doc, reason))
                if errors is not None:
                    errors.write(f"warning: {doc}: {reason}\n")
            else:
                report(*failure_of(item))
    finally:
        pending.put(_DONE)
        thread.join()
        bar.update(summary.articles, force=True)
        bar.close()
    if fatal:
        raise fatal[0]
    after = count_graph(writer.graph)
    summary.nodes_added = after["nodes"] - before["nodes"]
    summary.relationships_added = after["relationships"] - before["relationships"]
    summary.seconds = time.monotonic() - started
    return summary
