"""A private graph server for one benchmark phase: temp data dir, free ports, always stopped."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg import server
from kg.db import Graph, connect
from kg.schema import apply_schema
from kg.server import env_for, free_port
from kg.settings import Settings

# Never touch a production server by accident.
for _var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(_var, None)

__all__ = ["bench_settings", "env_for", "free_port", "running_server", "wipe"]

DEFAULT_HEAP = os.environ.get("BENCH_SERVER_HEAP", "4g")


def bench_settings(data_dir: Path, heap: str = DEFAULT_HEAP) -> Settings:
    return server.private_settings(data_dir, heap)


@contextlib.contextmanager
def running_server(name: str, heap: str = DEFAULT_HEAP, schema: bool = True,
                   keep: Path | None = None) -> Iterator[Settings]:
    """Start a server in a fresh temp dir (or `keep`, reused), yield its settings, stop it even on error."""
    tmp = Path(tempfile.mkdtemp(prefix=f"kg-bench-{name}-")) if keep is None else keep
    tmp.mkdir(parents=True, exist_ok=True)
    settings = bench_settings(tmp, heap)
    try:
        server.start(settings)
        if schema:
            with connect(settings) as graph:
                apply_schema(graph)
        yield settings
    finally:
        with contextlib.suppress(Exception):
            server.stop(settings)
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def wipe(graph: Graph, batch: int = 20_000) -> None:
    """Delete every node and relationship (in batches, so the server's transaction stays small)."""
    from bench.cypher import WIPE_BATCH_CYPHER

    while True:
        rows = graph.write(WIPE_BATCH_CYPHER, {"limit": batch})
        if not rows or not rows[0]["deleted"]:
            return
