"""Writing an export: `export(graph, fmt, out_path, actor=None, since=None)` reads the graph once (or what an
actor and/or a start date select) and hands the snapshot to the writer the `FORMATS` table names for `fmt`."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from kg.db import Graph as KGGraph
from kg.errors import KGError
from kg.export.claimreview import claimreview
from kg.export.csv import csv_files
from kg.export.rdf import JSONLD_CONTEXT, to_rdf
from kg.export.safe import json_for_html
from kg.export.snapshot import Snapshot, parse_since, select
from kg.export.timelinejs import timelinejs


@dataclass
class ExportResult:
    fmt: str
    path: Path
    counts: dict[str, int]
    files: list[str] = field(default_factory=list)
    items: int = 0
    left_out: int = 0

    def line(self) -> str:
        c = self.counts
        base = (f"{self.fmt} export to {self.path}: {c['facts']} facts, {c['evidence']} evidence sentences, "
                f"{c['articles']} articles, {c['actors']} actors")
        return base + FORMATS[self.fmt].summary(self)


@dataclass(frozen=True)
class Request:
    """What the caller asked for besides the format: the filter (shown in a TimelineJS subtitle) and the text."""

    actor: str | None
    since: date | str | None
    include_text: bool


class Format(NamedTuple):
    write: Callable[[Snapshot, Path, Request, ExportResult], None]  # writes the file(s), sets result.items ...
    summary: Callable[[ExportResult], str]  # the tail of ExportResult.line()


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_turtle(snap: Snapshot, path: Path, request: Request, result: ExportResult) -> None:
    g = to_rdf(snap, include_text=request.include_text)
    result.items = len(g)
    _write_text(path, g.serialize(format="turtle"))


def _write_jsonld(snap: Snapshot, path: Path, request: Request, result: ExportResult) -> None:
    g = to_rdf(snap, include_text=request.include_text)
    result.items = len(g)
    _write_text(path, json_for_html(g.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2)))


def _write_csv(snap: Snapshot, path: Path, request: Request, result: ExportResult) -> None:
    files = csv_files(snap)
    result.files = list(files)
    if path.suffix.lower() == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text.encode("utf-8"))
    else:
        if path.exists() and not path.is_dir():
            raise KGError(f"{path} is a file: CSV export writes a directory (or give a .zip path)")
        path.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (path / name).write_text(text, encoding="utf-8", newline="")


def _write_timelinejs(snap: Snapshot, path: Path, request: Request, result: ExportResult) -> None:
    parts = [f"actor: {request.actor}" if request.actor else "",
             f"since {parse_since(request.since)}" if request.since else ""]
    doc = timelinejs(snap, subtitle="; ".join(x for x in parts if x) or None)
    result.items = len(doc["events"])
    result.left_out = len(snap.facts) - result.items
    _write_text(path, json.dumps(doc, indent=2, ensure_ascii=False))


def _write_claimreview(snap: Snapshot, path: Path, request: Request, result: ExportResult) -> None:
    doc = claimreview(snap)
    result.items = len(doc["@graph"])
    _write_text(path, json_for_html(doc))


def _triples(r: ExportResult) -> str:
    return f"; {r.items} triples"


# Format name -> its writer and the summary `kg export` prints (kg/export_cli.py lists the same names).
FORMATS: dict[str, Format] = {
    "turtle": Format(_write_turtle, _triples),
    "jsonld": Format(_write_jsonld, _triples),
    "csv": Format(_write_csv, lambda r: f"; files {', '.join(r.files)}"),
    "timelinejs": Format(_write_timelinejs,
                         lambda r: f"; {r.items} slides, {r.left_out} facts without a year left out"),
    "claimreview": Format(_write_claimreview, lambda r: f"; {r.items} ClaimReview items"),
}


def export(graph: KGGraph, fmt: str, out_path: Path | str, actor: str | None = None,
           since: date | str | None = None, include_text: bool = True,
           include_rejected: bool = False) -> ExportResult:
    """Write one export format of the graph (or of the facts an actor and/or start date select)."""
    if fmt not in FORMATS:
        raise KGError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path = Path(out_path)
    snap = select(graph, actor=actor, since=since, include_rejected=include_rejected)
    result = ExportResult(fmt=fmt, path=path, counts=snap.counts())
    FORMATS[fmt].write(snap, path, Request(actor=actor, since=since, include_text=include_text), result)
    return result
