"""One poll: read the sources' leads, fetch each page (conditionally), turn pages into articles, extract and
load them through `jobs`.

A lead whose page answers 304, or 200 with the text already stored, costs one request and nothing else. A
page that cannot be fetched or read becomes a DocumentError naming its URL, which the loader reports and
counts; it never stops the poll. A page's fetch state is saved only once its article is in the graph, so a
write that fails is fetched and tried again on the next poll instead of being taken for "not modified".
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from pydantic import BaseModel, ConfigDict

from ingest.readers import DocumentError, decode_bytes, html_article
from intake.fetch import Fetched, Fetcher, FetchFailure
from intake.leads import Lead, LeadProblem, feed_leads, gdelt_leads, url_leads
from intake.state import FetchState, PageState
from jobs import stages
from jobs.runner import Runner
from kg.loader import IngestSummary
from kg.settings import Settings
from ontology.models import ArticleRecord

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class Source(BaseModel):
    """Where leads come from: a feed (URL or file), a file of URLs, or a GDELT GKG file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["feed", "urls", "gdelt"]
    where: str

    def __str__(self) -> str:
        return f"{self.kind} {self.where}"


@dataclass
class PollSummary:
    leads: int = 0
    fetched: int = 0  # 200 with new or changed text
    not_modified: int = 0  # 304
    unchanged: int = 0  # 200 with the text already stored
    problems: list[tuple[str, str]] = field(default_factory=list)  # feed entries and rows that are not leads
    ingest: IngestSummary = field(default_factory=IngestSummary)

    def line(self) -> str:
        skipped = f", {len(self.problems)} not leads" if self.problems else ""
        return (f"{self.leads} leads{skipped}: {self.fetched} fetched, {self.not_modified} not modified, "
                f"{self.unchanged} unchanged; {self.ingest.line()}")


def default_state_path(settings: Settings) -> Path:
    """Beside the graph's data directory, not inside it: that directory belongs to the graph server."""
    return settings.data_dir.parent / "intake" / "fetch-state.sqlite"


class Poller:
    """Polls sources with one fetcher (its politeness state) and one state store."""

    def __init__(self, fetcher: Fetcher, state: FetchState, errors: TextIO | None = sys.stderr) -> None:
        self.fetcher = fetcher
        self.state = state
        self.errors = errors

    def poll(self, settings: Settings, sources: Iterable[Source], runner: Runner | None = None,
             progress: TextIO | None = None) -> PollSummary:
        summary = PollSummary()
        pending: dict[str, PageState] = {}
        leads = self._leads(sources, summary)
        summary.ingest = stages.load_items(settings, stages.extract(self._articles(leads, summary, pending), runner),
                                           progress=progress, errors=self.errors)
        failed = {doc for doc, _ in summary.ingest.failures}
        for url, page in pending.items():
            if url not in failed:
                self.state.save_page(page)
        return summary

    # ------------------------------------------------------------ leads

    def _leads(self, sources: Iterable[Source], summary: PollSummary) -> list[Lead]:
        seen: dict[str, Lead] = {}
        for source in sources:
            for item in self._source_leads(source):
                if isinstance(item, LeadProblem):
                    summary.problems.append((item.where, item.reason))
                    self._say(f"skipped: {item.where}: {item.reason}")
                else:
                    seen.setdefault(item.url, item)  # the first source to name a URL gives its hints
        summary.leads = len(seen)
        return list(seen.values())

    def _source_leads(self, source: Source) -> Iterator[Lead | LeadProblem]:
        if source.kind == "urls":
            yield from url_leads(Path(source.where))
        elif source.kind == "gdelt":
            yield from gdelt_leads(Path(source.where))
        elif not source.where.startswith(("http://", "https://")):
            path = Path(source.where)
            try:
                content = path.read_bytes()
            except OSError as exc:
                yield LeadProblem(where=source.where, reason=f"cannot be read: {exc.strerror or exc}")
                return
            yield from feed_leads(content, source.where)
        else:
            yield from self._remote_feed(source.where)

    def _remote_feed(self, url: str) -> Iterator[Lead | LeadProblem]:
        """A feed URL, fetched conditionally. On 304 its stored leads are checked again: a corrected article
        rarely changes its feed, and each of those checks is itself a conditional GET."""
        known = self.state.feed(url)
        response = self.fetcher.get(url, known[0] if known else None)
        if isinstance(response, FetchFailure):
            yield LeadProblem(where=url, reason=f"feed could not be fetched: {response.reason}")
            return
        if response.not_modified and known:
            yield from known[1]
            return
        found = list(feed_leads(response.body or b"", url))
        leads = [x for x in found if isinstance(x, Lead)]
        if leads:
            self.state.save_feed(url, response.validators, leads, response.fetched_at)
        yield from found

    # ------------------------------------------------------------ pages

    def _articles(self, leads: list[Lead], summary: PollSummary,
                  pending: dict[str, PageState]) -> Iterator[ArticleRecord | DocumentError]:
        for lead in leads:
            prior = self.state.page(lead.url)
            response = self.fetcher.get(lead.url, prior.validators if prior else None)
            if isinstance(response, FetchFailure):
                yield DocumentError(lead.url, response.reason)
                continue
            if response.redirects:  # reported, and the page is still read where it now lives
                yield DocumentError(lead.url, f"redirected ({'; '.join(response.redirects)})", "warning")
            if response.not_modified:
                summary.not_modified += 1
                continue
            for item in self._read_page(lead, response):
                if isinstance(item, ArticleRecord):
                    page = PageState(url=lead.url, validators=response.validators, content_hash=item.id,
                                     final_url=response.final_url, fetched_at=response.fetched_at)
                    if prior is not None and prior.content_hash == item.id:
                        summary.unchanged += 1
                        self.state.save_page(page)  # new validators; nothing to write
                        continue
                    summary.fetched += 1
                    pending[lead.url] = page
                yield item

    def _read_page(self, lead: Lead, response: Fetched) -> Iterator[ArticleRecord | DocumentError]:
        mime, _, params = (response.content_type or "").partition(";")
        mime = mime.strip().lower()
        if mime and mime not in _HTML_TYPES:
            yield DocumentError(lead.url, f"not an HTML page (Content-Type {mime})")
            return
        try:
            html = _decode(response.body or b"", params)
        except Exception as exc:  # decode_bytes says why the bytes are not text
            yield DocumentError(lead.url, f"not readable text: {exc}")
            return
        for item in html_article(html, lead.url, lead.url, url=response.final_url, published=lead.published,
                                 outlet=lead.site):
            if isinstance(item, ArticleRecord):
                # Where it was fetched from, not a canonical link the page claims; and when.
                item = item.model_copy(update={"url": response.final_url, "fetched_at": response.fetched_at,
                                               "title": item.title or lead.title})
            yield item

    def _say(self, line: str) -> None:
        if self.errors is not None:
            self.errors.write(line + "\n")


def _decode(body: bytes, params: str) -> str:
    """The charset the server named, else what the bytes say (BOM, UTF-8, plausible cp1252)."""
    for part in params.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            try:
                return body.decode(value.strip().strip('"'), errors="replace")
            except LookupError:
                break  # an unknown charset name: guess instead
    return decode_bytes(body)
