"""Where leads come from: RSS/Atom feeds (feedparser), a file of URLs, GDELT 2.1 GKG rows.

A lead is a URL worth fetching plus what its source already says about the document (title, date, site),
which fills in what the page itself does not. Reading a source never raises for a bad entry or row: each
becomes a `LeadProblem` naming where it is and why, and the others are still read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

import feedparser
from pydantic import BaseModel, ConfigDict

LeadSource = Literal["feed", "urls", "gdelt"]

# GDELT 2.1 GKG: the codebook's 27 tab-separated columns; the ones a lead needs, by index.
GKG_COLUMNS = 27
GKG_DATE, GKG_COLLECTION, GKG_SOURCE_NAME, GKG_DOCUMENT = 1, 2, 3, 4
GKG_WEB = "1"  # V2SOURCECOLLECTIONIDENTIFIER 1 = WEB: DocumentIdentifier is the article's URL


class Lead(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    source: LeadSource
    origin: str  # the feed URL or file it came from
    title: str | None = None
    published: date | None = None
    site: str | None = None


class LeadProblem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    where: str
    reason: str


def _is_web_url(value: str) -> bool:
    return value.startswith(("http://", "https://")) and len(value) > len("https://")


def feed_leads(content: bytes, origin: str) -> Iterator[Lead | LeadProblem]:
    """The entries of an RSS or Atom document. feedparser reads malformed feeds as far as it can (bozo) and
    says so; a document with no entries at all and a bozo flag is not a feed."""
    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        yield LeadProblem(where=origin, reason=f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
        return
    site = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, 1):
        link = (entry.get("link") or "").strip()
        if not _is_web_url(link):
            yield LeadProblem(where=f"{origin} entry {number}", reason=f"no http(s) link ({link or 'none'})")
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        yield Lead(url=link, source="feed", origin=origin, title=entry.get("title") or None,
                   published=date(*stamp[:3]) if stamp else None, site=site)


def url_leads(path: Path) -> Iterator[Lead | LeadProblem]:
    """One URL per line; blank lines and `#` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield LeadProblem(where=str(path), reason=f"cannot be read: {exc}")
        return
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = line.split()[0]  # anything after the URL (a note) is ignored
        if not _is_web_url(url):
            yield LeadProblem(where=f"{path}:{number}", reason=f"not an http(s) URL: {url[:200]}")
            continue
        yield Lead(url=url, source="urls", origin=str(path))


def _gkg_lines(path: Path) -> Iterator[str]:
    """The text lines of a GKG file: as published (`.gkg.csv.zip`, one member) or unzipped."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                with archive.open(name) as member:
                    yield from io.TextIOWrapper(member, encoding="utf-8", errors="replace")
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield from handle


def _gkg_date(value: str) -> date | None:
    """V2.1DATE is YYYYMMDDHHMMSS, when the document was published (as GDELT saw it)."""
    try:
        return date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except (ValueError, IndexError):
        return None


def gdelt_leads(path: Path) -> Iterator[Lead | LeadProblem]:
    """The web documents of a GDELT 2.1 GKG file. Rows of other collections (citation-only, JSTOR, …) name no
    fetchable URL and are reported; so is a row without the codebook's 27 columns."""
    try:
        lines = _gkg_lines(path)
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            where = f"{path}:{number}"
            cells = line.split("\t")
            if len(cells) != GKG_COLUMNS:
                yield LeadProblem(where=where, reason=f"{len(cells)} columns, a GKG 2.1 row has {GKG_COLUMNS}")
                continue
            url = cells[GKG_DOCUMENT].strip()
            if cells[GKG_COLLECTION].strip() != GKG_WEB or not _is_web_url(url):
                yield LeadProblem(where=where, reason=f"not a web document (collection {cells[GKG_COLLECTION]!r}, "
                                                      f"identifier {url[:120]!r})")
                continue
            yield Lead(url=url, source="gdelt", origin=str(path), published=_gkg_date(cells[GKG_DATE]),
                       site=cells[GKG_SOURCE_NAME].strip() or None)
    except (OSError, zipfile.BadZipFile) as exc:
        yield LeadProblem(where=str(path), reason=f"cannot be read: {exc}")
