"""Watchlists: saved filters that turn what changed in the graph into alerts, once each.

A watchlist names actors (names or aliases), optionally fact kinds and a minimum reliability, and which changes
it wants: a new matching fact, a new independent origin for one (an outlet not reporting it before: the cited
outlet, else the publisher, else the article), a new conflict between its reports, a changed status (alleged →
denied). Each run compares the matching facts with what the watchlist saw last time (kept in sqlite with the
watchlists), records each new alert once under a stable key, rewrites the watchlist's Atom file, and POSTs the
new alerts as JSON to its webhook when it has one. A fact whose counts and status did not change since the last
run is not traced again, so a run over an unchanged graph costs one timeline query per watchlist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import requests
from pydantic import BaseModel, ConfigDict, Field

from intake.atom import write_feed
from intake.fetch import USER_AGENT
from intake.sqlite import SqliteFile
from kg import queries
from kg.db import Graph
from kg.queries import FactItem, Trace
from ontology.models import stable_id
from ontology.vocabulary import vocabulary


def _status(status: str | None) -> str:
    """A status in words ("no comment"), as the ontology says it."""
    return vocabulary.words(status, "AllegationStatus") if status else "no status"

AlertKind = Literal["fact", "origin", "conflict", "status"]
ALERT_KINDS: tuple[AlertKind, ...] = ("fact", "origin", "conflict", "status")
# What each kind of alert is called where people read it (the app's Watchlists page).
ALERT_WORDS: dict[str, str] = {"fact": "new fact", "origin": "new independent origin", "conflict": "new conflict",
                               "status": "status changed"}
ATOM_LIMIT = 200  # the newest alerts a watchlist's Atom file carries

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watchlists (name TEXT PRIMARY KEY, spec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (
    watchlist TEXT NOT NULL, fact_id TEXT NOT NULL, signature TEXT NOT NULL, status TEXT, origins TEXT NOT NULL,
    PRIMARY KEY (watchlist, fact_id)
);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, watchlist TEXT NOT NULL, kind TEXT NOT NULL, fact_id TEXT NOT NULL, title TEXT NOT NULL,
    summary TEXT NOT NULL, url TEXT, at TEXT NOT NULL, seq INTEGER NOT NULL
);
"""


class Watchlist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # also the Atom file's name
    actors: list[str] = Field(min_length=1)
    kinds: list[str] = Field(default_factory=list)
    min_reliability: float | None = Field(default=None, ge=0, le=100)
    alerts: list[AlertKind] = Field(default_factory=lambda: list(ALERT_KINDS))
    webhook: str | None = Field(default=None, pattern=r"^https?://")


class Alert(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # urn:aigeo-kg:alert:<hash of watchlist and change>
    watchlist: str
    kind: AlertKind
    fact_id: str
    title: str
    summary: str
    url: str | None = None  # the article behind the change
    at: str  # when the run saw it (RFC 3339, UTC)


@dataclass
class RunResult:
    watchlist: Watchlist
    alerts: list[Alert] = field(default_factory=list)  # new in this run
    atom: Path | None = None
    webhook_error: str | None = None

    def line(self) -> str:
        kinds = ", ".join(f"{sum(a.kind == k for a in self.alerts)} {k}" for k in ALERT_KINDS
                          if any(a.kind == k for a in self.alerts))
        hook = f"; webhook failed: {self.webhook_error}" if self.webhook_error else ""
        return f"watchlist {self.watchlist.name}: {len(self.alerts)} new alert(s){f' ({kinds})' if kinds else ''}" \
               f" → {self.atom}{hook}"


def _origins(trace: Trace) -> dict[str, str | None]:
    """Origin name → the first article (URL or doc_id) that gave it, in evidence order."""
    out: dict[str, str | None] = {}
    for e in trace.evidence:
        name = (e.cited[0] if e.cited else None) or e.outlet or f"article {e.doc_id or e.article_id}"
        out.setdefault(name, e.url or e.doc_id)
    return out


def _signature(fact: FactItem) -> str:
    return json.dumps([fact.n_evidence, fact.n_articles, fact.n_conflicts, fact.status, fact.reliability])


class WatchlistStore(SqliteFile):
    """The watchlists, what each saw, and its alerts (one sqlite file); the Atom files beside it."""

    SCHEMA = _SCHEMA

    def __init__(self, path: Path, atom_dir: Path | None = None) -> None:
        super().__init__(path)
        self.atom_dir = atom_dir or path.parent / "alerts"

    # ------------------------------------------------------------ watchlists

    def add(self, watchlist: Watchlist) -> None:
        with self.db:
            self.db.execute("INSERT INTO watchlists (name, spec) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                            "spec = excluded.spec", (watchlist.name, watchlist.model_dump_json()))

    def remove(self, name: str) -> bool:
        with self.db:
            found = self.db.execute("DELETE FROM watchlists WHERE name = ?", (name,)).rowcount
            self.db.execute("DELETE FROM seen WHERE watchlist = ?", (name,))
            self.db.execute("DELETE FROM alerts WHERE watchlist = ?", (name,))
        (self.atom_dir / f"{name}.atom").unlink(missing_ok=True)
        return bool(found)

    def all(self) -> list[Watchlist]:
        return [Watchlist.model_validate_json(spec) for (spec,) in
                self.db.execute("SELECT spec FROM watchlists ORDER BY name")]

    def alerts(self, name: str, limit: int = ATOM_LIMIT) -> list[Alert]:
        rows = self.db.execute("SELECT id, watchlist, kind, fact_id, title, summary, url, at FROM alerts "
                               "WHERE watchlist = ? ORDER BY seq DESC LIMIT ?", (name, limit)).fetchall()
        keys = ("id", "watchlist", "kind", "fact_id", "title", "summary", "url", "at")
        return [Alert.model_validate(dict(zip(keys, row, strict=True))) for row in rows]

    # ------------------------------------------------------------ running

    def run(self, graph: Graph, watchlist: Watchlist, now: datetime | None = None) -> RunResult:
        at = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        seen: list[tuple[str, str, str, str | None, str]] = []
        found = list(self._changes(graph, watchlist, at, seen))
        new: list[Alert] = []
        with self.db:  # the alerts and what was seen, together: a run that dies records neither
            self.db.executemany(
                "INSERT INTO seen (watchlist, fact_id, signature, status, origins) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(watchlist, fact_id) DO UPDATE SET signature = excluded.signature, "
                "status = excluded.status, origins = excluded.origins", seen)
            seq = self.db.execute("SELECT coalesce(max(seq), 0) FROM alerts").fetchone()[0]
            for alert in found:
                if alert.kind not in watchlist.alerts:
                    continue
                seq += 1
                inserted = self.db.execute(
                    "INSERT OR IGNORE INTO alerts (id, watchlist, kind, fact_id, title, summary, url, at, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (alert.id, alert.watchlist, alert.kind, alert.fact_id,
                                                           alert.title, alert.summary, alert.url, alert.at, seq))
                if inserted.rowcount:
                    new.append(alert)
        result = RunResult(watchlist, new, self.atom_dir / f"{watchlist.name}.atom")
        assert result.atom is not None
        write_feed(result.atom, f"urn:aigeo-kg:watchlist:{watchlist.name}", f"Watchlist {watchlist.name}: "
                   f"{', '.join(watchlist.actors)}", at, self.alerts(watchlist.name))
        if new and watchlist.webhook:
            result.webhook_error = _post(watchlist.webhook, watchlist.name, new)
        return result

    def run_all(self, graph: Graph, now: datetime | None = None) -> list[RunResult]:
        return [self.run(graph, w, now) for w in self.all()]

    def _changes(self, graph: Graph, wl: Watchlist, at: str,
                 seen_rows: list[tuple[str, str, str, str | None, str]]) -> Iterator[Alert]:
        """Every change since the last run, as alerts (already-recorded ones are dropped by their ids); what
        each changed fact now looks like is appended to `seen_rows`."""
        facts = queries.timeline(graph, actors=wl.actors, kinds=wl.kinds or None, min_reliability=wl.min_reliability,
                                 limit=100_000)

        def alert(kind: AlertKind, key: str, fact: FactItem, title: str, summary: str, url: str | None) -> Alert:
            return Alert(id=f"urn:aigeo-kg:alert:{stable_id(wl.name, kind, key)}", watchlist=wl.name, kind=kind,
                         fact_id=fact.id, title=title, summary=summary, url=url, at=at)

        for fact in facts:
            signature = _signature(fact)
            seen = self.db.execute("SELECT signature, status, origins FROM seen WHERE watchlist = ? AND fact_id = ?",
                                   (wl.name, fact.id)).fetchone()
            if seen is not None and seen[0] == signature:
                continue
            trace = queries.trace(graph, fact.id)
            if trace is None:  # removed between the two reads
                continue
            origins = _origins(trace)
            title = fact.title or fact.id
            if seen is None:
                first_url = next(iter(origins.values()), None)
                yield alert("fact", fact.id, fact, f"New: {title}",
                            f"{fact.date_display or 'undated'}; "
                            f"{_status(fact.status) if fact.status else vocabulary.words(fact.fact_type)}; reliability "
                            f"{fact.reliability or 0:.0f}/100; reported by {', '.join(origins) or 'nobody'}",
                            first_url)
            else:
                before = json.loads(seen[2])
                for name, url in origins.items():
                    if name not in before:
                        yield alert("origin", f"{fact.id}|{name}", fact, f"New origin for {title}: {name}",
                                    f"{name} now reports it ({len(origins)} independent origin(s))", url)
                if (seen[1] or "") != (fact.status or ""):
                    yield alert("status", f"{fact.id}|{seen[1]}|{fact.status}", fact,
                                f"{title}: {_status(seen[1])} → {_status(fact.status)}",
                                f"status changed from {_status(seen[1])} to {_status(fact.status)}", None)
            for c in trace.conflicts:
                yield alert("conflict", c.id, fact, f"Conflict on {title}: {c.field} {c.value_a} vs {c.value_b}",
                            f"{c.a.outlet or c.a.doc_id} says {c.value_a}; {c.b.outlet or c.b.doc_id} says "
                            f"{c.value_b}", c.b.url or c.a.url)
            seen_rows.append((wl.name, fact.id, signature, fact.status, json.dumps(sorted(origins))))


def _post(url: str, name: str, alerts: list[Alert]) -> str | None:
    """POST the new alerts as JSON; why it failed, or None. A webhook that is down never fails the run."""
    body: dict[str, Any] = {"watchlist": name, "alerts": [a.model_dump(mode="json") for a in alerts]}
    try:
        response = requests.post(url, json=body, timeout=(10, 30), headers={"User-Agent": USER_AGENT})
    except requests.RequestException as exc:
        return f"{type(exc).__name__} posting to {url}"
    return None if response.status_code < 300 else f"HTTP {response.status_code} from {url}"
