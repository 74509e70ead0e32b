"""The one way intake opens its sqlite files (the fetch state, the watchlists)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Self


class SqliteFile:
    """A sqlite file with its schema (created if missing), opened once; a context manager that closes it. The
    30 s timeout lets a `kg watch` and a one-off command share the file: the second writer waits its turn."""

    SCHEMA = ""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30)
        self.db.executescript(self.SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
