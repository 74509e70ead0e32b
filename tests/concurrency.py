"""Several graph connections doing the same work at the same instant (races the writer must survive)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from kg.db import Graph, connect
from kg.settings import Settings


def at_once(settings: Settings, n: int, work: Callable[[Graph, int], Iterable[str] | None]) -> list[str]:
    """Run `work(graph, k)` on `n` fresh connections released together; close them and return every
    problem: the strings `work` returns and the exceptions it raises."""
    graphs = [connect(settings) for _ in range(n)]
    start = threading.Barrier(n)
    errors: list[str] = []

    def run(g: Graph, k: int) -> None:
        start.wait()
        try:
            errors.extend(work(g, k) or [])
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")

    threads = [threading.Thread(target=run, args=(g, k)) for k, g in enumerate(graphs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for g in graphs:
        g.close()
    return errors
