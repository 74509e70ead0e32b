"""The stages as functions: read → extract → load, and the jobs made of them.

`ingest_paths` (read, extract and load in one process: `kg ingest`, the app's upload), `extract_records`
(read and extract to a record file: `kg extract --records`), `load_records` (record files into the graph:
`kg load`) and `reextract_stored` (stored articles a different extractor made, extracted again: `kg
reextract`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ingest.readers import DocumentError, read_documents
from jobs.records import read_records, write_record
from jobs.runner import LocalRunner, Runner
from kg.db import Graph, connect
from kg.loader import IngestSummary, load
from kg.schema import apply_schema
from kg.settings import Settings
from kg.writer import GraphWriter
from ontology.models import ArticleRecord, Extraction


def read(paths: Iterable[Path]) -> Iterator[ArticleRecord | DocumentError]:
    """Documents (JSON Lines, .txt, .html, directories) as ArticleRecords, with an error for each bad one."""
    return read_documents(paths)


def extractor_problem() -> Exception | None:
    """Why the extraction pipeline cannot be imported (while it is being edited, say), or None."""
    try:
        import ingest.pipeline  # noqa: F401
    except Exception as exc:
        return exc
    return None


def extract(articles: Iterable[ArticleRecord | DocumentError], runner: Runner | None = None
            ) -> Iterator[Extraction | DocumentError]:
    return (runner or LocalRunner()).extract(articles)


def _writer(graph: Graph) -> GraphWriter:
    apply_schema(graph)
    writer = GraphWriter(graph)
    writer.sync_outlets()
    return writer


def load_items(settings: Settings, items: Iterable[Extraction | DocumentError], reextract: bool = False,
               progress: TextIO | None = sys.stderr, errors: TextIO | None = sys.stderr) -> IngestSummary:
    with connect(settings) as graph:
        return load(_writer(graph), items, progress=progress, errors=errors, reextract=reextract)


def ingest_paths(settings: Settings, paths: list[Path], processes: int = 1, batch_size: int = 32,
                 progress: TextIO | None = sys.stderr, errors: TextIO | None = sys.stderr,
                 runner: Runner | None = None, reextract: bool = False) -> IngestSummary:
    """Read, extract and write documents: the one ingestion path, used by `kg ingest` and the app. With
    `reextract`, an article already stored with the same text but by another extractor is extracted again."""
    runner = runner or LocalRunner(processes=processes, batch_size=batch_size)
    return load_items(settings, extract(read(paths), runner), reextract=reextract, progress=progress, errors=errors)


def load_records(settings: Settings, paths: list[Path], reextract: bool = False,
                 progress: TextIO | None = sys.stderr, errors: TextIO | None = sys.stderr) -> IngestSummary:
    """Record files (`kg extract --records`) into the graph: what `kg ingest` of the same documents writes."""
    return load_items(settings, read_records(paths), reextract=reextract, progress=progress, errors=errors)


def extract_records(paths: list[Path], out: TextIO, runner: Runner | None = None,
                    errors: TextIO | None = sys.stderr) -> tuple[int, int]:
    """Read and extract documents, writing one record per line to `out`: (records written, documents failed)."""
    written = failed = 0
    for item in extract(read(paths), runner):
        if isinstance(item, Extraction):
            write_record(item, out)
            written += 1
            continue
        if not item.is_warning:
            failed += 1
        if errors is not None:
            errors.write(f"{'warning' if item.is_warning else 'failed'}: {item.doc_id}: {item.reason}\n")
    out.flush()
    return written, failed


def reextract_stored(settings: Settings, runner: Runner | None = None, page: int = 200,
                     progress: TextIO | None = sys.stderr, errors: TextIO | None = sys.stderr) -> IngestSummary:
    """Extract again every stored article whose extractor fingerprint is not the runner's, replacing its
    evidence; articles already extracted by this extractor are not read. Running it twice changes nothing."""
    runner = runner or LocalRunner()
    fingerprint = runner.fingerprint
    with connect(settings) as graph:
        writer = _writer(graph)

        def stale() -> Iterator[ArticleRecord]:
            after = ""
            while True:
                batch = writer.stale_articles(fingerprint, after=after, limit=page)
                if not batch:
                    return
                yield from batch
                after = batch[-1].id

        return load(writer, runner.extract(stale()), progress=progress, errors=errors, reextract=True)
