"""The extractor fingerprint: one hash of everything that decides what extraction finds.

The code of `ingest/`, `reference/` and `ontology/models.py`, the cue lists, the gazetteer and outlet names, the trained
relation weights and the spaCy model's name and version. Two extractors with the same fingerprint give the
same records for the same text; when it changes, `kg reextract` knows which stored articles are stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

from ontology.models import EXTRACTOR_VERSION

INGEST_ROOT = Path(__file__).resolve().parent
_REFERENCE_ROOT = INGEST_ROOT.parent / "reference"
_MODELS_FILE = INGEST_ROOT.parent / "ontology" / "models.py"
# What the extractor runs besides its data files: its own code, and the record models it fills.
_CODE_SUFFIXES = (".py", ".cfg")


def code_files() -> list[Path]:
    files = [p for root in (INGEST_ROOT, _REFERENCE_ROOT) for p in sorted(root.rglob("*"))
             if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts]
    return files + ([_MODELS_FILE] if _MODELS_FILE.exists() else [])


def fingerprint(nlp: Language, data_files: Iterable[Path], code: Iterable[Path] | None = None) -> str:
    """`<EXTRACTOR_VERSION>+<16 hex digits>` over the pipeline's model, code and data files (by content, not
    by path or date, so every clone of the same commit agrees)."""
    h = hashlib.sha256()
    meta = nlp.meta
    for part in (EXTRACTOR_VERSION, spacy.__version__, str(meta.get("name")), str(meta.get("version")),
                 ",".join(nlp.pipe_names)):
        h.update(part.encode("utf-8") + b"\x1f")
    for path in [*(code_files() if code is None else code), *data_files]:
        h.update(path.name.encode("utf-8") + b"\x1e")
        h.update(path.read_bytes() if path.exists() else b"(absent)")
        h.update(b"\x1d")
    return f"{EXTRACTOR_VERSION}+{h.hexdigest()[:16]}"
