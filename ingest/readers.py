"""Read articles from JSON Lines, plain text and HTML files (or directories of them).

`read_documents(paths)` streams `ArticleRecord`s and `DocumentError`s; it never raises for a bad
document, so one broken file does not stop a batch.

* JSON Lines: one object per line with `doc_id`, `text` and optional `title`, `outlet`, `published`
  (YYYY-MM-DD), `url`. A line that is not JSON, not an object, or lacks `text` is an error; a
  duplicate `doc_id` (within one `read_documents` call) is reported and only the first is kept.
* `.txt`: `doc_id` is the file stem.
* `.html` / `.htm`: text, title, date and site name come from trafilatura.
* a directory: every supported file in it, recursively, in sorted order; other files are skipped
  with a warning.

Text handling: bytes are decoded as UTF-8 (with or without BOM), UTF-16/32 with a BOM, then cp1252
only when the result looks like text; NUL-bearing (binary) files are rejected. C0 control characters
other than newline and tab are removed, CRLF/CR become LF. Lone UTF-16 surrogates (a JSON `"\\udfff"` escape)
become U+FFFD, with a warning; bidi embedding/override/isolate controls and zero-width characters are
removed from the text, title, outlet and doc_id (they make names display as something they are not). This
happens before extraction, so evidence offsets refer to the stored text. Empty or whitespace-only documents
and texts over `MAX_TEXT_CHARS` are errors.

Publication dates: an unparseable or future `published` is dropped (the article is kept with
`published=None`) and reported as a `DocumentError` with `level="warning"`, yielded just before the
article. When no date is given, a news dateline at the top of the text ("BRUSSELS, March 4, 2025 –",
"Published: June 25, 2026") supplies it.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ingest.dates import dateline
from ontology.models import ArticleRecord

MAX_TEXT_CHARS = 5_000_000

# Words that make up about a quarter of any English news text and are rare in other languages' text.
_ENGLISH_FUNCTION_WORDS = frozenset({
    "the", "of", "and", "to", "in", "is", "that", "for", "with", "was", "by", "it", "from", "at", "said", "has",
    "have", "are", "be", "this", "which", "an", "its", "not", "but", "were", "had", "been", "will", "would",
})
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS_FOR_LANGUAGE_CHECK = 15
MIN_ENGLISH_SHARE = 0.08


def looks_english(text: str) -> tuple[bool, float]:
    """(verdict, share of common English function words among the words); short texts pass."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(words) < MIN_WORDS_FOR_LANGUAGE_CHECK:
        return True, 1.0
    share = sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)
    return share >= MIN_ENGLISH_SHARE, share
MAX_FILE_BYTES = 4 * MAX_TEXT_CHARS + 1024  # worst case UTF-32; HTML is checked the same way
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A lone surrogate cannot be encoded as UTF-8, so spaCy, the Bolt driver and stdout all fail on it; a JSON
# line can carry one ("\\udfff"), and so can a file name that is not valid UTF-8 (surrogateescape).
_SURROGATE = re.compile("[\ud800-\udfff]")
# Invisible characters that change how a name displays without changing how it reads: bidi embeddings,
# overrides and isolates (U+202A-202E, U+2066-2069), zero-width space/joiners, word joiner and a BOM
# inside the text. "Anthrop\u202eic" would be a separate actor that looks like another.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


@dataclass(frozen=True)
class DocumentError:
    """A document that could not be read (level "error": it is skipped) or was read with a
    problem worth reporting (level "warning": the article is still yielded)."""

    doc_id_or_path: str
    reason: str
    level: Literal["error", "warning"] = "error"

    @property
    def doc_id(self) -> str:
        return self.doc_id_or_path

    @property
    def is_warning(self) -> bool:
        return self.level == "warning"

    def __str__(self) -> str:
        return f"{self.level}: {self.doc_id_or_path}: {self.reason}"


class _Unreadable(Exception):
    pass


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes to text, or raise _Unreadable with the reason."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError as e:
                raise _Unreadable(f"invalid {enc} after its byte-order mark ({e.reason} at byte {e.start})") from e
    if b"\x00" in data[:8192]:
        raise _Unreadable("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = f"{e.reason} at byte {e.start}"
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    raise _Unreadable(f"not valid UTF-8 ({utf8_error}) and not plausible cp1252/Latin-1 text")


def _plausible(text: str) -> bool:
    """Decoded single-byte text looks like prose: almost no control or unassigned characters."""
    if not text:
        return True
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cn", "Co") and ch not in "\n\r\t")
    return bad / len(text) < 0.001


def clean_text(text: str) -> str:
    """Repair lone surrogates (U+FFFD), drop bidi controls and zero-width characters, unify newlines and strip
    C0 control characters other than newline and tab."""
    text = _SURROGATE.sub("\ufffd", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _surrogates(*values: Any) -> int:
    return sum(len(_SURROGATE.findall(v)) for v in values if isinstance(v, str))


def _parse_published(value: Any) -> tuple[date | None, str | None]:
    """(date, problem) for a `published` value; problem is a warning message."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, f"published {value!r} is not a YYYY-MM-DD string; dropped"
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?\s*$", value)
    if not m:
        return None, f"published {value!r} is not a YYYY-MM-DD date; dropped"
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None, f"published {value!r} is not a valid date; dropped"
    if d > date.today():
        return None, f"published {value} is in the future; dropped"
    if d.year < 1900:
        return None, f"published {value} is before 1900; dropped"
    return d, None


def _article(doc_id: str, text: str, source: str, *, title: Any = None, outlet: Any = None,
             published: Any = None, url: Any = None, repaired: int = 0) -> Iterator[ArticleRecord | DocumentError]:
    """Validate one document and yield its warnings and then the article (or one error). `repaired`: lone
    surrogates the caller already replaced (in a JSON line's doc_id)."""
    repaired += _surrogates(doc_id, text, title, outlet, url)
    doc_id = clean_text(doc_id).strip() or clean_text(source)
    source = clean_text(source)
    if repaired:
        yield DocumentError(doc_id, f"{repaired} invalid Unicode character(s) (lone surrogates) replaced with "
                                    f"U+FFFD ({source})", "warning")
    text = clean_text(text)
    if not text.strip():
        yield DocumentError(doc_id, f"empty or whitespace-only text ({source})")
        return
    if len(text) > MAX_TEXT_CHARS:
        yield DocumentError(doc_id, f"text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit ({source})")
        return
    english, share = looks_english(text)
    if not english:
        yield DocumentError(doc_id, f"does not look like English ({share:.0%} common English words); extraction "
                                    "is built for English, so little or nothing may be found", "warning")
    pub, problem = _parse_published(published)
    if problem:
        yield DocumentError(doc_id, problem, "warning")
    if pub is None and not problem:
        found = dateline(text)
        if found is not None and found[0] <= date.today():
            pub = found[0]

    def opt(v: Any) -> str | None:
        if v is None:
            return None
        s = clean_text(str(v)).strip()
        return s or None

    try:
        yield ArticleRecord(doc_id=doc_id, text=text, title=opt(title), outlet=opt(outlet), published=pub,
                            url=opt(url), source_path=source)
    except ValueError as e:  # pydantic ValidationError is a ValueError
        yield DocumentError(doc_id, f"invalid article: {e}")


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _Unreadable(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} byte limit")
    return path.read_bytes()


def _read_txt(path: Path) -> Iterator[ArticleRecord | DocumentError]:
    try:
        text = decode_bytes(_read_bytes(path))
    except (_Unreadable, OSError) as e:
        yield DocumentError(str(path), str(e))
        return
    yield from _article(path.stem, text, str(path))


def _read_html(path: Path) -> Iterator[ArticleRecord | DocumentError]:
    try:
        html = decode_bytes(_read_bytes(path))
    except (_Unreadable, OSError) as e:
        yield DocumentError(str(path), str(e))
        return
    yield from html_article(html, path.stem, str(path))


def html_article(html: str, doc_id: str, source: str, *, url: str | None = None, published: Any = None,
                 outlet: Any = None) -> Iterator[ArticleRecord | DocumentError]:
    """One HTML page as an article: text, title, date and site name from trafilatura, then the checks every
    document gets. `url`, `published` and `outlet` fill in what the page itself does not say (a fetched page's
    address, the date and site its feed entry gave)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # trafilatura/lxml raise many kinds of errors on broken markup
        yield DocumentError(source, f"HTML could not be parsed: {e}")
        return
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not str(text).strip():
        yield DocumentError(doc_id, f"no article text found in the HTML ({source})")
        return
    yield from _article(doc_id, str(text), source, title=getattr(doc, "title", None),
                        outlet=getattr(doc, "sitename", None) or outlet,
                        published=getattr(doc, "date", None) or published, url=getattr(doc, "url", None) or url)


def _read_jsonl(path: Path, seen: set[str]) -> Iterator[ArticleRecord | DocumentError]:
    try:
        fh = path.open("rb")
    except OSError as e:
        yield DocumentError(str(path), str(e))
        return
    with fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > MAX_FILE_BYTES:
                yield DocumentError(where, f"line is {len(raw):,} bytes, over the {MAX_FILE_BYTES:,} byte limit")
                continue
            try:
                line = decode_bytes(raw)
            except _Unreadable as e:
                yield DocumentError(where, str(e))
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield DocumentError(where, f"not JSON: {e.msg} at column {e.colno}")
                continue
            if not isinstance(obj, dict):
                yield DocumentError(where, f"a JSON {type(obj).__name__}, not an object")
                continue
            doc_id = obj.get("doc_id")
            repaired = _surrogates(doc_id)
            if doc_id is not None:  # cleaned here too, so duplicates are found among the ids as stored
                doc_id = clean_text(str(doc_id))
            if doc_id is None or doc_id.strip() == "":
                doc_id = f"{path.stem}-{lineno}"
                yield DocumentError(doc_id, f"no doc_id on {where}; using {doc_id!r}", "warning")
            doc_id = str(doc_id).strip()
            text = obj.get("text")
            if not isinstance(text, str):
                what = "has no" if text is None else "has a non-string"
                yield DocumentError(doc_id, f"{what} `text` field ({where})")
                continue
            if doc_id in seen:
                yield DocumentError(doc_id, f"duplicate doc_id ({where}); the first one is kept")
                continue
            seen.add(doc_id)
            yield from _article(doc_id, text, where, title=obj.get("title"), outlet=obj.get("outlet"),
                                published=obj.get("published"), url=obj.get("url"), repaired=repaired)


def _files(path: Path) -> Iterator[Path | DocumentError]:
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_dir() or any(part.startswith(".") for part in p.relative_to(path).parts):
                continue
            if p.suffix.lower() in SUPPORTED:
                yield p
            else:
                yield DocumentError(str(p), f"skipped: unsupported file type {p.suffix or '(none)'!r}", "warning")
    elif path.exists():
        yield path
    else:
        yield DocumentError(str(path), "no such file or directory")


def read_documents(paths: Iterable[Path]) -> Iterator[ArticleRecord | DocumentError]:
    """Stream the articles in `paths` (files or directories), with a DocumentError for each
    document that cannot be read and each warning (see the module docstring)."""
    seen: set[str] = set()
    for given in paths:
        for item in _files(Path(given)):
            if isinstance(item, DocumentError):
                yield item
                continue
            suffix = item.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                stream: Iterator[ArticleRecord | DocumentError] = _read_jsonl(item, seen)
            elif suffix in HTML_SUFFIXES:
                stream = _read_html(item)
            elif suffix in TEXT_SUFFIXES:
                stream = _read_txt(item)
            else:
                yield DocumentError(str(item), f"unsupported file type {suffix or '(none)'!r}")
                continue
            for rec in stream:
                if isinstance(rec, ArticleRecord) and suffix not in JSONL_SUFFIXES:
                    if rec.doc_id in seen:
                        yield DocumentError(rec.doc_id, f"duplicate doc_id ({item}); the first one is kept")
                        continue
                    seen.add(rec.doc_id)
                yield rec
