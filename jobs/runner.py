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


RUNNERS = ("local", "ray")


def make_runner(kind: str = "local", processes: int = 1, batch_size: int = 32, workers: int = 2,
                address: str | None = None) -> Runner:
    """The runner `kg ingest --runner KIND` asks for: "local" (this process and `processes` spaCy workers, the
    default) or "ray" (`workers` Ray actors at `address`, or on a local Ray instance; jobs/ray_runner.py)."""
    if kind == "local":
        return LocalRunner(processes=processes, batch_size=batch_size)
    if kind == "ray":
        from jobs.ray_runner import RayRunner  # Ray is imported only when it is asked for

        return RayRunner(workers=workers, address=address)
    raise ValueError(f"unknown runner {kind!r}: choose one of {', '.join(RUNNERS)}")


def close_runner(runner: object) -> None:
    """Stop what a runner started (a local Ray instance); nothing for the local runner."""
    close = getattr(runner, "close", None)
    if callable(close):
        close()
