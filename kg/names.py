"""What the writer keeps so the views read a page, not the whole answer, at the hub actors (issue 18).

Three derived structures, each a function of the graph's own facts, roles, mentions and SAME_AS edges, so
writing the same articles in any order (or a merge and its split) leaves exactly the same values:

- **NAMES** (aig:names): one edge from a fact to each canonical actor it names, in a role or in one of its
  evidence sentences, with `roles` (the role types; empty: only mentioned), the fact's `key` (its timeline sort
  key) and its page `bucket` (`<actor id>|<start month>`, `|span` for a fact whose dates run into a later year,
  `|undated`), an indexed property: an actor's facts of one month are one index seek, not a walk of every edge
  of the actor. `rejected` is true on the edges of a fact a curator rejected. Kept by `GraphWriter._refresh`.
- **fact counts** (`Actor.fact_counts`, a JSON object): the facts no curator rejected that name the actor, by
  year (a fact counts in every year its dates overlap; `undated` without a year) and in `total`, each by role
  type, `MENTIONED` (named in a sentence only) and `ALL`. Kept from the changes of NAMES edges (exact deltas).
- **co-mentions** (`CO_MENTIONED {articles}` between two actors, from the smaller id; `Actor.n_articles`): how
  many articles name both, how many name the actor. Kept from the articles written and deleted.
- **top co-mentions** (`Actor.co_top`, a JSON list of `[id, name, type, articles]`): the actor's `CO_TOP`
  co-mentions with the most articles (ties by name, then id), so its page reads one property instead of sorting
  every CO_MENTIONED edge of a hub. Where counts only grow, the new list is the old one with the changed pairs
  (`merged_top`: nothing outside the old list can overtake it); where one falls, it is counted again from the
  actor's edges.

Every function here is pure: the writer, the bulk loader of the benchmark (bench/bulk.py) and `kg import`
compute the same values from the same inputs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

UNDATED = "~"  # a key's first part for a fact without a year: after every date
SPAN = "span"
UNDATED_BUCKET = "undated"
MENTIONED = "MENTIONED"
ALL = "ALL"
TOTAL = "total"


def sort_key(date_start: str | None, date_value: str | None, fact_id: str) -> str:
    """The timeline order as one string: start date (undated last), date value (the coarser first), id. A space
    separates the parts: it sorts before every character a date or an id holds, so a shorter value comes first,
    as in the tuple order (date_start is None, date_start, date_value, id)."""
    return f"{date_start or UNDATED} {date_value or ''} {fact_id}"


def page_bucket(date_start: str | None, date_stop: str | None) -> str:
    """The fact's page bucket: its start month, `span` when its dates run into a later year, `undated`."""
    if not date_start:
        return UNDATED_BUCKET
    if date_stop and date_stop[:4] > date_start[:4]:
        return SPAN
    return date_start[:7]


def years(date_start: str | None, date_stop: str | None) -> list[str]:
    """The years a fact's dates overlap (`undated` without a start)."""
    if not date_start:
        return [UNDATED_BUCKET]
    first = int(date_start[:4])
    last = int(date_stop[:4]) if date_stop and date_stop[:4] > date_start[:4] else first
    return [str(y) for y in range(first, last + 1)]


def month_buckets(actor_id: str, first_year: int, last_year: int) -> list[str]:
    return [f"{actor_id}|{y}-{m:02d}" for y in range(first_year, last_year + 1) for m in range(1, 13)]


@dataclass(frozen=True)
class Named:
    """One NAMES edge: fact -> actor, with what it carries (and the fact's dates, for the year counts)."""

    fact_id: str
    actor_id: str
    roles: tuple[str, ...]
    key: str
    bucket: str
    rejected: bool
    date_start: str | None
    date_stop: str | None

    def row(self) -> dict[str, Any]:
        return {"fact_id": self.fact_id, "actor_id": self.actor_id, "roles": list(self.roles), "key": self.key,
                "bucket": self.bucket, "rejected": True if self.rejected else None}

    def same_edge(self, other: Named) -> bool:
        return (self.roles, self.key, self.bucket, self.rejected) == (other.roles, other.key, other.bucket,
                                                                       other.rejected)


def names_of(fact_id: str, props: Mapping[str, Any], roles: Mapping[str, Iterable[str]],
             mentioned: Iterable[str], canon: Mapping[str, str] | None = None) -> list[Named]:
    """The NAMES edges of one fact: `props` its summary (date_start, date_stop, date_value, rejected), `roles`
    role type -> actor ids (canonical already), `mentioned` the actors its evidence sentences name (made
    canonical here with `canon`)."""
    by_actor: dict[str, set[str]] = {}
    for role, actor_ids in roles.items():
        for a in actor_ids:
            by_actor.setdefault(a, set()).add(role)
    for a in mentioned:
        by_actor.setdefault((canon or {}).get(a, a), set())
    start, stop = props.get("date_start"), props.get("date_stop")
    key = sort_key(start, props.get("date_value"), fact_id)
    bucket = page_bucket(start, stop)
    rejected = bool(props.get("rejected"))
    return [Named(fact_id, a, tuple(sorted(r)), key, f"{a}|{bucket}", rejected, start, stop)
            for a, r in sorted(by_actor.items())]


def count_delta(removed: Iterable[Named], added: Iterable[Named]) -> dict[str, Counter[tuple[str, str]]]:
    """actor id -> (period, role) -> change in its fact counts when these edges go and those come."""
    out: dict[str, Counter[tuple[str, str]]] = {}
    for sign, edges in ((-1, removed), (1, added)):
        for n in edges:
            if n.rejected:
                continue
            c = out.setdefault(n.actor_id, Counter())
            for period in (TOTAL, *years(n.date_start, n.date_stop)):
                for role in (ALL, *(n.roles or (MENTIONED,))):
                    c[(period, role)] += sign
    return {a: c for a, c in out.items() if any(c.values())}


def apply_counts(stored: str | None, delta: Counter[tuple[str, str]]) -> str | None:
    """An actor's `fact_counts` JSON after a change; None (the property removed) when nothing is left."""
    counts: dict[str, dict[str, int]] = json.loads(stored) if stored else {}
    for (period, role), d in delta.items():
        n = counts.setdefault(period, {}).get(role, 0) + d
        if n:
            counts[period][role] = n
        else:
            counts[period].pop(role, None)
        if not counts[period]:
            del counts[period]
    return encode_counts(counts)


def encode_counts(counts: Mapping[str, Mapping[str, int]]) -> str | None:
    clean = {p: {r: n for r, n in sorted(v.items()) if n} for p, v in counts.items()}
    clean = {p: v for p, v in clean.items() if v}
    return json.dumps(clean, sort_keys=True, separators=(",", ":")) if clean else None


def counts_of(edges: Iterable[Named]) -> dict[str, str | None]:
    """actor id -> fact_counts JSON, from scratch (the bulk loader, a rebuild)."""
    return {a: apply_counts(None, c) for a, c in count_delta((), edges).items()}


def decode_counts(stored: str | None) -> dict[str, dict[str, int]]:
    return json.loads(stored) if stored else {}


def pairs(actor_ids: Iterable[str]) -> list[tuple[str, str]]:
    """The co-mentioned pairs of one article's actors, each once, smaller id first."""
    ids = sorted(set(actor_ids))
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


@dataclass
class MentionDelta:
    """Articles' actor sets coming and going, as changes of `n_articles` and of CO_MENTIONED counts."""

    articles: Counter[str]
    pairs: Counter[tuple[str, str]]

    def __init__(self) -> None:
        self.articles = Counter()
        self.pairs = Counter()

    def add(self, actor_ids: Iterable[str], sign: int = 1) -> None:
        ids = sorted(set(actor_ids))
        for a in ids:
            self.articles[a] += sign
        for p in pairs(ids):
            self.pairs[p] += sign

    def article_rows(self) -> list[dict[str, Any]]:
        return [{"id": a, "delta": d} for a, d in sorted(self.articles.items()) if d]

    def pair_rows(self) -> list[dict[str, Any]]:
        return [{"a": a, "b": b, "delta": d} for (a, b), d in sorted(self.pairs.items()) if d]


# ---------------------------------------------------------------- top co-mentions

CO_TOP = 25  # the co-mentions each actor keeps (its page's "named with" list)


def encode_top(entries: Iterable[tuple[str, str, str, int]]) -> str | None:
    """`Actor.co_top` from (other id, name, type, articles) entries: the `CO_TOP` with the most articles, ties by
    name then id; None when there is none (an actor no article names with another)."""
    kept = sorted((e for e in entries if e[3] > 0), key=lambda e: (-e[3], e[1], e[0]))[:CO_TOP]
    # names as they are, not \u-escaped: what shows a name (the app's display(), a researcher's client) sees the
    # characters it must clean, as in `Actor.name` itself
    return json.dumps([list(e) for e in kept], separators=(",", ":"), ensure_ascii=False) if kept else None


def decode_top(stored: str | None) -> list[tuple[str, str, str, int]]:
    return [(str(i), str(n), str(t), int(a)) for i, n, t, a in json.loads(stored)] if stored else []


def merged_top(stored: str | None, grown: Mapping[str, tuple[str, str, int]]) -> str | None:
    """The top list after the co-mentions `grown` (other id -> (name, type, articles now)) rose and no other
    changed: an entry outside the old list ranked below its last one and still does."""
    entries = {e[0]: e for e in decode_top(stored)}
    for other, (name, actor_type, articles) in grown.items():
        entries[other] = (other, name, actor_type, articles)
    return encode_top(entries.values())


def tops_of(pair_counts: Mapping[tuple[str, str], int], names: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """actor id -> `co_top`, from scratch: every pair's count (a, b) and every actor's (name, type)."""
    entries: dict[str, list[tuple[str, str, str, int]]] = {}
    for (a, b), n in pair_counts.items():
        if n > 0:
            entries.setdefault(a, []).append((b, *names[b], n))
            entries.setdefault(b, []).append((a, *names[a], n))
    return {a: top for a, es in entries.items() if (top := encode_top(es)) is not None}
