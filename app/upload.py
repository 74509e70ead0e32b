"""Uploads for the Ingest page: a temporary file with the upload's own name and extension, run through
the one ingestion path (`kg.commands.ingest_paths`), and the doc_ids to show afterwards."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

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
    try:
        import ingest.pipeline  # noqa: F401
    except Exception as exc:  # ImportError while it is being written, or a model that fails to load
        return (f"The extraction pipeline cannot be loaded ({exc}), so uploads cannot be ingested right now. "
                "The other pages keep working on what is already in the graph.")
    return None


def ingest_upload(name: str, payload: bytes) -> dict[str, Any]:
    from kg.commands import ingest_paths

    with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(payload)
        errors = io.StringIO()
        summary = ingest_paths(get_settings(), [path], progress=None, errors=errors)
        return {"line": summary.line(), "new": summary.new, "unchanged": summary.unchanged,
                "replaced": summary.replaced, "failed": summary.failed, "failures": list(summary.failures),
                "errors": errors.getvalue(), "doc_ids": doc_ids(path)}
