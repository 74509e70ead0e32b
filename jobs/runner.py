"""Where extraction runs: the `Runner` protocol and the local runner (spaCy `nlp.pipe`, `n_process` workers)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ingest.readers import DocumentError
from ontology.models import ArticleRecord, Extraction

if TYPE_CHECKING:
    from ingest.pipeline import Extractor


class Runner(Protocol):
    """Turns a stream of articles (and reader errors, passed through) into a stream of records (and errors).
    Every article gives exactly one item out, so nothing is lost; the order may differ from the input's."""

    @property
    def fingerprint(self) -> str:
        """The extractor fingerprint every record of this runner carries."""
        ...

    def extract(self, articles: Iterable[ArticleRecord | DocumentError]) -> Iterator[Extraction | DocumentError]:
        ...


class LocalRunner:
    """Extraction in this process (and `processes` spaCy workers); the pipeline is loaded on first use."""

    def __init__(self, processes: int = 1, batch_size: int = 32, model: str | None = None,
                 cues_path: Path | None = None) -> None:
        self.processes = processes
        self.batch_size = batch_size
        self.model = model
        self.cues_path = cues_path

    @cached_property
    def extractor(self) -> Extractor:
        from ingest.pipeline import Extractor  # spaCy loads only when something is extracted

        return Extractor.load(self.model, cues_path=self.cues_path)

    @property
    def fingerprint(self) -> str:
        return self.extractor.fingerprint

    def extract(self, articles: Iterable[ArticleRecord | DocumentError]) -> Iterator[Extraction | DocumentError]:
        return self.extractor.extract_many(articles, batch_size=self.batch_size, n_process=self.processes)
