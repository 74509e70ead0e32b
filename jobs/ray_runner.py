"""Extraction on Ray: `RayRunner` is a `Runner` whose workers are Ray actors, on this machine or a cluster.

Each actor loads the pipeline once (`Extractor.load`) and extracts batches of articles sent to it as JSON; it
answers each article with its record as JSON (`Extraction.model_dump_json`, the interchange of jobs/records.py)
or with the reason it failed. The driver keeps every actor two batches deep, yields results as batches finish
(so the one writer of `kg.loader.load` writes while the workers extract) and reads the input lazily.

Failures: an actor that dies (killed, out of memory, its node gone) is restarted by Ray and reloads the pipeline;
the batch it held is sent again article by article, and an article that has taken down a worker `attempts` times
is reported as failed (a `DocumentError` naming it), never dropped. An exception inside extraction is already one
article's `DocumentError` (`Extractor.extract_many`). A killed run resumes without duplicates because the writer
is idempotent (articles are keyed by their text hash, facts and evidence by stable keys).

Without an address a local Ray instance is started: loopback only, a small object store, no dashboard, no usage
statistics, warnings only; it is shut down by `close()`. With an address (`ray://host:10001` or `host:6379`) the
actors run on that cluster, whose nodes need this project installed at the same version: every actor's extractor
fingerprint must be the same, or the run stops before extracting anything.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.readers import DocumentError
from kg.errors import KGError
from ontology.models import ArticleRecord, Extraction

# What one article gives back from a worker: ("ok", record JSON) or ("failed", reason).
Answer = tuple[str, str]
LOCAL_OBJECT_STORE_BYTES = 96 * 1024 * 1024  # records are a few KB each; Ray's minimum is 75 MiB
RESTART_POLL_S = 0.25  # a batch sent to an actor that is restarting is sent again this much later ...
RESTART_WAIT_S = 300.0  # ... for this long, after which it counts as one more dead worker


class RayRunnerError(KGError):
    """The Ray instance cannot be started or reached, or its workers disagree on the extractor."""


class _Worker:
    """One Ray actor: the pipeline loaded once, batches of articles (JSON) in, answers out."""

    def __init__(self, model: str | None, cues_path: str | None) -> None:
        from ingest.pipeline import Extractor

        self.extractor = Extractor.load(model, cues_path=Path(cues_path) if cues_path else None)

    def fingerprint(self) -> str:
        return self.extractor.fingerprint

    def pid(self) -> int:
        return os.getpid()

    def extract(self, batch: list[str]) -> list[Answer]:
        articles = [ArticleRecord.model_validate_json(line) for line in batch]
        # extract_many gives one item per article, in the input's order (one process, no n_process)
        items = list(self.extractor.extract_many(articles, batch_size=len(articles) or 1))
        if len(items) != len(articles):
            raise RuntimeError(f"{len(items)} results for {len(articles)} articles")
        return [("ok", item.model_dump_json()) if isinstance(item, Extraction) else ("failed", item.reason)
                for item in items]


@dataclass
class RayStats:
    batches: int = 0
    retried: int = 0  # articles sent again after their worker died (or while it was restarting)
    failed: int = 0  # articles given up on after `attempts` dead workers


@dataclass
class _Batch:
    articles: list[ArticleRecord]
    seqs: list[int]  # each article's place in the input
    attempt: int = 1
    not_before: float = 0.0  # sent again after its actor was restarting: not before this time
    waited: float = 0.0


class RayRunner:
    """Extraction on `workers` Ray actors (one CPU each), at `address` or on a local Ray instance."""

    def __init__(self, workers: int = 2, address: str | None = None, batch_size: int = 8, model: str | None = None,
                 cues_path: Path | None = None, attempts: int = 3, object_store_bytes: int = LOCAL_OBJECT_STORE_BYTES
                 ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.address = address
        self.batch_size = batch_size
        self.model = model
        self.cues_path = cues_path
        self.attempts = attempts
        self.object_store_bytes = object_store_bytes
        self.stats = RayStats()
        self._actors: list[Any] = []
        self._fingerprint: str | None = None
        self._started_ray = False

    # ------------------------------------------------------------ the Ray instance and the actors

    def _ray(self) -> Any:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report leaves the machine
        if not self.address:
            # Ray nices its workers to 15 by default; extraction is the work here, at the priority `kg ingest`
            # itself runs at (as the local runner's), unless the environment says otherwise
            os.environ.setdefault("RAY_worker_niceness", "0")
            # A private instance on loopback: with this, Ray takes 127.0.0.1 as the node's address and its servers
            # listen there only (read when ray is first imported; `_node_ip_address` alone is resolved away)
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        import ray

        if ray.is_initialized():
            return ray
        quiet: dict[str, Any] = {"log_to_driver": False, "configure_logging": True}
        try:
            if self.address:
                ray.init(address=self.address, logging_level=logging.WARNING, **quiet)
            else:  # errors only: the notes of a private instance (its auth token, ...) are nothing to act on
                ray.init(logging_level=logging.ERROR, num_cpus=self.workers, include_dashboard=False,
                         object_store_memory=self.object_store_bytes, _node_ip_address="127.0.0.1", **quiet)
                self._started_ray = True
        except Exception as exc:
            where = self.address or "a local Ray instance"
            raise RayRunnerError(f"cannot start or reach {where}: {str(exc).splitlines()[0][:300]}") from None
        return ray

    def start(self) -> list[Any]:
        """The actors, created (and their pipelines loaded) on first use; checks they share one fingerprint."""
        if self._actors:
            return self._actors
        ray = self._ray()
        env = {k: v for k, v in os.environ.items() if k.startswith("KG_")}
        # max_restarts=-1: a dead actor comes back (reloading the pipeline); its task is not retried by Ray,
        # the runner sends the batch again article by article and counts the attempts itself.
        actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=0,
                           runtime_env={"env_vars": env} if env else None)(_Worker)
        cues = str(self.cues_path) if self.cues_path else None
        self._actors = [actor.remote(self.model, cues) for _ in range(self.workers)]
        prints = set(ray.get([a.fingerprint.remote() for a in self._actors]))
        if len(prints) != 1:
            self.close()
            raise RayRunnerError(f"the Ray workers run different extractors (fingerprints {sorted(prints)}): "
                                 "install the same version of the project on every node")
        self._fingerprint = prints.pop()
        return self._actors

    def node_addresses(self) -> list[str]:
        """The addresses of the Ray nodes the actors may run on (127.0.0.1 for a local instance)."""
        self.start()
        import ray

        return sorted({str(n["NodeManagerAddress"]) for n in ray.nodes() if n.get("Alive")})

    def worker_pids(self) -> list[int]:
        ray = self._ray()
        return list(ray.get([a.pid.remote() for a in self.start()]))

    def close(self) -> None:
        if self._actors:
            import ray

            for a in self._actors:
                ray.kill(a, no_restart=True)
            self._actors = []
        if self._started_ray:
            import ray

            ray.shutdown()
            self._started_ray = False

    def __enter__(self) -> RayRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ the Runner protocol

    @property
    def fingerprint(self) -> str:
        self.start()
        assert self._fingerprint is not None
        return self._fingerprint

    def extract(self, articles: Iterable[ArticleRecord | DocumentError]) -> Iterator[Extraction | DocumentError]:
        """One item out per item in, in the input's order (so the writer sees what the local runner gives it,
        and the graph is the same), while the workers run ahead of the item being yielded."""
        actors = self.start()
        import ray
        from ray.exceptions import ActorUnavailableError, RayActorError, RayTaskError, WorkerCrashedError

        lost = (RayActorError, WorkerCrashedError, RayTaskError)
        source = enumerate(articles)
        done: dict[int, Extraction | DocumentError] = {}  # finished items not yet yielded, by input position
        retry: deque[_Batch] = deque()  # articles whose worker died, each to be sent again on its own
        in_flight: dict[Any, tuple[int, _Batch]] = {}  # object ref -> (actor index, batch)
        busy = [0] * len(actors)
        ahead = 4 * self.batch_size * len(actors)  # how far past the oldest unfinished article reading may go
        exhausted = False
        read = head = 0  # items read; the next position to yield

        def next_batch() -> _Batch | None:
            nonlocal exhausted, read
            if retry and retry[0].not_before <= time.monotonic():
                return retry.popleft()
            batch = _Batch([], [])
            while not exhausted and len(batch.articles) < self.batch_size and read - head < ahead:
                try:
                    seq, item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                read += 1
                if isinstance(item, DocumentError):
                    done[seq] = item  # a reader's error passes through, in its place
                else:
                    batch.articles.append(item)
                    batch.seqs.append(seq)
            return batch if batch.articles else None

        def submit() -> None:
            for i, actor in enumerate(actors):
                while busy[i] < 2:
                    batch = next_batch()
                    if batch is None:
                        return
                    ref = actor.extract.remote([a.model_dump_json() for a in batch.articles])
                    in_flight[ref] = (i, batch)
                    busy[i] += 1

        while True:
            submit()
            while head in done:
                yield done.pop(head)
                head += 1
            if not in_flight:
                if exhausted and not retry:
                    assert not done, "an item was neither yielded nor in flight"
                    return
                if retry:
                    time.sleep(RESTART_POLL_S)  # waiting for restarting actors
                continue  # or only reader errors were read so far: read on
            ready, _ = ray.wait(list(in_flight), num_returns=1)
            i, batch = in_flight.pop(ready[0])
            busy[i] -= 1
            self.stats.batches += 1
            try:
                answers: list[Answer] = ray.get(ready[0])
            except ActorUnavailableError as exc:  # the actor is restarting: not this batch's fault, send it again
                if batch.waited < RESTART_WAIT_S:
                    if not batch.waited:
                        self.stats.retried += len(batch.articles)
                    batch.waited += RESTART_POLL_S
                    batch.not_before = time.monotonic() + RESTART_POLL_S
                    retry.append(batch)
                    continue
                for seq, item in self._lost(batch, exc, retry):
                    done[seq] = item
                continue
            except lost as exc:
                for seq, item in self._lost(batch, exc, retry):
                    done[seq] = item
                continue
            for article, seq, (status, payload) in zip(batch.articles, batch.seqs, answers, strict=True):
                done[seq] = (Extraction.model_validate_json(payload) if status == "ok"
                             else DocumentError(article.doc_id, payload))

    def _lost(self, batch: _Batch, exc: BaseException, retry: deque[_Batch]) -> Iterator[tuple[int, DocumentError]]:
        """A batch whose worker died: each article is sent again on its own, until `attempts` workers died on it."""
        if batch.attempt >= self.attempts and len(batch.articles) == 1:
            self.stats.failed += 1
            why = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            yield batch.seqs[0], DocumentError(batch.articles[0].doc_id,
                                               f"extraction failed: its Ray worker died {batch.attempt} times ({why})")
            return
        for article, seq in zip(batch.articles, batch.seqs, strict=True):
            self.stats.retried += 1
            retry.append(_Batch([article], [seq], batch.attempt + 1))
