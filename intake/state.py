"""The fetch state store: what was fetched, so a feed can be polled again cheaply.

sqlite (the standard library's), not a JSON file: each page's state is committed the moment its article is
stored, so a `kg watch` that is interrupted mid-poll keeps what it did; an update rewrites one row, not the
whole file, which matters once a watch has seen tens of thousands of URLs; and two processes (a watch and a
one-off `kg ingest --feed`) can share the file without losing each other's writes.

Per URL it keeps the server's validators (ETag, Last-Modified, sent back for a conditional GET), the hash of
the article text last stored (a 200 with the same text is not extracted again), when it was fetched and where
it ended up; per feed, the leads of its last successful read, so the entries of a feed that answers 304 are
still checked for corrections.
"""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from intake.fetch import Validators
from intake.leads import Lead
from intake.sqlite import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, content_hash TEXT, final_url TEXT, fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, leads TEXT NOT NULL, fetched_at TEXT
);
"""


class PageState(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    validators: Validators
    content_hash: str | None = None
    final_url: str | None = None
    fetched_at: datetime | None = None


class FetchState(SqliteFile):
    SCHEMA = _SCHEMA

    def page(self, url: str) -> PageState | None:
        row = self.db.execute("SELECT etag, last_modified, content_hash, final_url, fetched_at FROM pages "
                              "WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        return PageState(url=url, validators=Validators(etag=row[0], last_modified=row[1]), content_hash=row[2],
                         final_url=row[3], fetched_at=datetime.fromisoformat(row[4]) if row[4] else None)

    def save_page(self, state: PageState) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO pages (url, etag, last_modified, content_hash, final_url, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, content_hash = excluded.content_hash, "
                "final_url = excluded.final_url, fetched_at = excluded.fetched_at",
                (state.url, state.validators.etag, state.validators.last_modified, state.content_hash,
                 state.final_url, state.fetched_at.isoformat() if state.fetched_at else None))

    def feed(self, url: str) -> tuple[Validators, list[Lead]] | None:
        row = self.db.execute("SELECT etag, last_modified, leads FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        return Validators(etag=row[0], last_modified=row[1]), [Lead.model_validate(x) for x in json.loads(row[2])]

    def save_feed(self, url: str, validators: Validators, leads: list[Lead], fetched_at: datetime) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO feeds (url, etag, last_modified, leads, fetched_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "leads = excluded.leads, fetched_at = excluded.fetched_at",
                (url, validators.etag, validators.last_modified,
                 json.dumps([lead.model_dump(mode="json") for lead in leads]), fetched_at.isoformat()))
