"""The record interchange: one `Extraction` per line of JSON (JSON Lines), full fidelity.

What `kg extract --records` writes and `kg load` reads: extraction can run on one machine and be loaded on
another, later. A line that is not a valid record becomes a DocumentError naming the file, the line and the
problem; the other lines still load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from ingest.readers import DocumentError
from ontology.models import Extraction

RECORD_SUFFIXES = (".jsonl", ".ndjson")


def write_record(record: Extraction, out: TextIO) -> None:
    out.write(record.model_dump_json())
    out.write("\n")


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES)
    else:
        yield path


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "record"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def read_records(paths: Iterable[Path]) -> Iterator[Extraction | DocumentError]:
    """Every record in `paths` (record files or directories of them), in order, with a DocumentError for each
    file that cannot be read and each line that is not a valid record."""
    for given in paths:
        if not given.exists():
            yield DocumentError(str(given), "no such file or directory")
            continue
        for path in _files(given):
            try:
                handle = path.open(encoding="utf-8")
            except OSError as exc:
                yield DocumentError(str(path), f"cannot be read: {exc.strerror or exc}")
                continue
            with handle:
                try:
                    for number, line in enumerate(handle, 1):
                        if not line.strip():
                            continue
                        where = f"{path}:{number}"
                        try:
                            record = Extraction.model_validate_json(line)
                        except ValidationError as exc:
                            doc = _doc_id(line)
                            yield DocumentError(f"{where}{f' ({doc})' if doc else ''}",
                                                f"not a valid record: {_problem(exc)}")
                            continue
                        yield record
                except UnicodeDecodeError as exc:
                    yield DocumentError(str(path), f"not UTF-8 text (byte {exc.start}); the rest is skipped")


def _doc_id(line: str) -> str | None:
    """The record's doc_id when the line is JSON enough to have one: the error then names the document."""
    try:
        doc = json.loads(line).get("article", {}).get("doc_id")
    except (ValueError, AttributeError, RecursionError):
        return None
    return doc if isinstance(doc, str) else None
