"""Uploads for the Ingest page: a temporary file with the upload's own name and extension, run through
the one ingestion path (`jobs.stages.ingest_paths`), and the doc_ids to show afterwards.

The page adds new articles only (issue 13): anyone who can reach the app can upload, and an upload that
names an article already in the graph (same doc_id or URL, other text) would replace it, dropping its
evidence and the facts only it supported. Until replacing needs a curator, such articles are refused,
each with a message naming it, and the rest of the upload is written; `kg ingest` still replaces.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.db import Graph
from kg.settings import get_settings

SUFFIXES = ("txt", "html", "htm", "jsonl")


def safe_name(name: str) -> str:
    """The upload's own file name (its stem is the doc_id of a .txt/.html), without any directory part."""
    base = Path(name).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "upload"
    return f"{stem}{suffix}"


def doc_ids(path: Path) -> list[str]:
    """The doc_ids the readers give the articles in this file (for showing them after the ingest)."""
    if path.suffix.lower() != ".jsonl":
        return [path.stem]
    ids: list[str] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            doc_id = str(obj.get("doc_id") or "").strip() or f"{path.stem}-{lineno}"
            ids.append(doc_id)
    return ids


def pipeline_problem() -> str | None:
    from jobs.stages import extractor_problem

    exc = extractor_problem()
    if exc is not None:  # ImportError while it is being written, or a model that fails to load
        return (f"The extraction pipeline cannot be loaded ({exc}), so uploads cannot be ingested right now. "
                "The other pages keep working on what is already in the graph.")
    return None


@dataclass(frozen=True)
class Refusal:
    doc_id: str
    line: int | None  # the JSONL line it came from; None for a .txt/.html upload (one article)
    reason: str

    def message(self) -> str:
        return (f"Not written: “{self.doc_id}” {self.reason}. The app adds new articles only and never replaces "
                "one; ask a curator to replace it with `kg ingest`.")


def _line_of(source_path: str | None) -> int | None:
    """The line number the JSONL reader puts at the end of an article's source ("file.jsonl:12")."""
    tail = (source_path or "").rsplit(":", 1)
    return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else None


def find_replacements(graph: Graph, path: Path) -> list[Refusal]:
    """The articles of this file that would replace an article already in the graph: the writer's own test
    (same source key: URL, or doc_id when there is no URL; other text) plus the same doc_id under another URL.
    A second article of the same upload with the URL of an earlier one would replace that one too."""
    from jobs.stages import read
    from kg import queries
    from ontology.models import ArticleRecord

    records = [r for r in read([path]) if isinstance(r, ArticleRecord)]
    found, source_keys = queries.stored_versions(graph, records)
    refused: list[Refusal] = []
    seen_keys: dict[str, str] = {}
    for rec in records:
        line = _line_of(rec.source_path) if path.suffix.lower() == ".jsonl" else None
        same = found.get(rec.id, set())
        what = f"the URL {rec.url}" if rec.url else f"the doc_id {rec.doc_id}"
        if rec.id in same:  # this very text is stored already: unchanged, nothing is replaced
            continue
        if same:
            refused.append(Refusal(rec.doc_id, line, f"is already in the graph under {what}, with other text"))
            continue
        existing = queries.article(graph, rec.doc_id)
        if existing is not None and existing.id != rec.id and existing.doc_id == rec.doc_id:
            refused.append(Refusal(rec.doc_id, line, "is already in the graph (the same doc_id), with other text"))
            continue
        earlier = seen_keys.get(source_keys[rec.id])
        if earlier is not None:
            refused.append(Refusal(rec.doc_id, line, f"has {what}, like “{earlier}” earlier in this upload"))
            continue
        seen_keys[source_keys[rec.id]] = rec.doc_id
    return refused


def _blank_lines(path: Path, lines: set[int]) -> None:
    """Empty these lines of a JSONL file (the reader skips empty lines), keeping the numbering, so articles
    without a doc_id keep the `<stem>-<line>` doc_id they get from their line."""
    raw = path.read_bytes().split(b"\n")  # the reader iterates the binary file: lines end at b"\n"
    path.write_bytes(b"\n".join(b"" if i in lines else chunk for i, chunk in enumerate(raw, 1)))


def refuse_replacements(graph: Graph, path: Path) -> list[Refusal]:
    """Take the replacing articles out of the upload file (a .txt/.html one is the whole file: nothing is left)
    and return them. Repeated because taking out an article can let a later duplicate of its doc_id in."""
    refused: list[Refusal] = []
    for _ in range(20):
        found = find_replacements(graph, path)
        if not found:
            break
        refused += found
        if path.suffix.lower() != ".jsonl" or any(r.line is None for r in found):
            path.write_bytes(b"")
            break
        _blank_lines(path, {r.line for r in found if r.line is not None})
    else:  # the lines could not be taken out one by one: write nothing rather than replace something
        path.write_bytes(b"")
    return refused


@contextmanager
def _graph(graph: Graph | None) -> Iterator[Graph]:
    if graph is not None:
        yield graph
        return
    from kg.db import connect

    with connect(get_settings()) as fresh:
        yield fresh


def ingest_upload(name: str, payload: bytes, graph: Graph | None = None) -> dict[str, Any]:
    from jobs.stages import ingest_paths

    with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(payload)
        with _graph(graph) as g:
            refused = refuse_replacements(g, path)
        refused_ids = {r.doc_id for r in refused}
        outcome: dict[str, Any] = {"refused": [r.message() for r in refused]}
        if not path.read_bytes().strip():  # nothing left to write
            return {**outcome, "line": "Nothing written.", "new": 0, "unchanged": 0, "replaced": 0, "failed": 0,
                    "failures": [], "errors": "", "doc_ids": []}
        errors = io.StringIO()
        summary = ingest_paths(get_settings(), [path], progress=None, errors=errors)
        return {**outcome, "line": summary.line(), "new": summary.new, "unchanged": summary.unchanged,
                "replaced": summary.replaced, "failed": summary.failed, "failures": list(summary.failures),
                "errors": errors.getvalue(), "doc_ids": [d for d in doc_ids(path) if d not in refused_ids]}
