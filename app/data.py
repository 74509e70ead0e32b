"""The app's only way to the graph: one cached driver and thin cached wrappers around kg.queries.

Pages never open sessions or hold Cypher; they call these functions, which return plain dicts (pydantic
dumps) so the cache can copy them safely. `_graph` is left out of each cache key (leading underscore);
there is one graph per process. Each key holds the graph's version instead (`versioned`): every write, from
this app, the CLI or anything else, advances it in its own transaction, so the next rerun after a write reads
afresh while repeated views of an unchanged graph come from the cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from kg import queries
from kg.db import Graph, connect
from kg.settings import get_settings

F = TypeVar("F", bound=Callable[..., Any])
_RUN_VERSION = "_kg_graph_version"  # session state: the version read at the start of this script run
MAX_ENTRIES = 512  # per function: bounds memory, since nothing expires by time any more


def note_version(graph: Graph) -> None:
    """Read the graph version once, at the start of a script run (app/main.py): every cached call of the run
    keys on it, instead of each asking the server again (a round trip each, five or more per page)."""
    st.session_state[_RUN_VERSION] = queries.graph_version(graph)


def _version(graph: Graph) -> int:
    noted = st.session_state.get(_RUN_VERSION)
    return noted if isinstance(noted, int) else queries.graph_version(graph)


def versioned(fn: F) -> F:
    """`fn(_graph, ...)` cached on its arguments and on the graph's version at the moment of the call (one
    small indexed read). Old versions' entries are never read again and age out of the bounded cache."""

    def keyed(_graph: Graph, version: int, *args: Any, **kwargs: Any) -> Any:
        return fn(_graph, *args, **kwargs)

    # st.cache_data tells functions apart by module and qualified name: give each wrapper its function's.
    keyed.__module__, keyed.__name__, keyed.__qualname__ = fn.__module__, fn.__name__, fn.__qualname__
    cached = st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)(keyed)

    @functools.wraps(fn)
    def call(_graph: Graph, *args: Any, **kwargs: Any) -> Any:
        return cached(_graph, _version(_graph), *args, **kwargs)

    return call  # type: ignore[return-value]


@st.cache_resource(show_spinner=False)
def get_graph() -> Graph:
    """The thread-safe driver, shared by every session. Raises GraphUnavailable (not cached) when down."""
    return connect(get_settings(), retry_s=2.0)


def clear_caches() -> None:
    """Not needed for freshness (the graph version sees to that); frees the memory of old versions' entries."""
    st.cache_data.clear()


def _dump(obj: Any) -> Any:
    if obj is None:
        return None
    if isinstance(obj, list):
        return [_dump(x) for x in obj]
    return obj.model_dump(mode="json")


@versioned
def timeline(_graph: Graph, actors: tuple[str, ...] = (), kinds: tuple[str, ...] = (), since: str | None = None,
             until: str | None = None, min_reliability: float | None = None, outlets: tuple[str, ...] = (),
             fact_types: tuple[str, ...] = (), limit: int = 1000,
             include_rejected: bool = False) -> list[dict[str, Any]]:
    return _dump(queries.timeline(_graph, actors=list(actors) or None, kinds=list(kinds) or None, since=since,
                                  until=until, min_reliability=min_reliability, outlets=list(outlets) or None,
                                  fact_types=list(fact_types) or None, limit=limit,
                                  include_rejected=include_rejected))


@versioned
def timeline_page(_graph: Graph, actors: tuple[str, ...] = (), kinds: tuple[str, ...] = (), since: str | None = None,
                  until: str | None = None, min_reliability: float | None = None, outlets: tuple[str, ...] = (),
                  fact_types: tuple[str, ...] = (), include_rejected: bool = False,
                  after: str | None = None) -> dict[str, Any]:
    """One page of the timeline (kg.queries.timeline_page, kg.queries.PAGE_SIZE facts): {items, next, total}."""
    result: dict[str, Any] = queries.timeline_page(
        _graph, actors=list(actors) or None, kinds=list(kinds) or None, since=since, until=until,
        min_reliability=min_reliability, outlets=list(outlets) or None, fact_types=list(fact_types) or None,
        include_rejected=include_rejected, after=after, size=queries.PAGE_SIZE).model_dump(mode="json")
    return result


def pages(fetch: Callable[[str | None], dict[str, Any]], n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The first `n` pages of a paged answer (each cached on its own cursor), their items in order, and the last
    page read (its `next` cursor: None when there is no more; its `total`)."""
    items: list[dict[str, Any]] = []
    last: dict[str, Any] = {"next": None, "total": None}
    after: str | None = None
    for _ in range(max(1, n)):
        last = fetch(after)
        items += last["items"]
        after = last["next"]
        if after is None:
            break
    return items, last


@versioned
def story(_graph: Graph, actors: tuple[str, ...] = (), kinds: tuple[str, ...] = (), since: str | None = None,
          until: str | None = None, min_reliability: float | None = None, outlets: tuple[str, ...] = (),
          fact_types: tuple[str, ...] = (), subtitle: str | None = None) -> dict[str, Any]:
    """The TimelineJS document of the timeline these filters give (kg.queries.story). Like the timeline's
    chart, it leaves out the few facts dated long before the rest (charts.focus): on TimelineJS's time bar they
    would squeeze every other slide into a sliver; the title slide says how many."""
    from app.charts import focus, split_dated

    facts = _dump(queries.timeline(_graph, actors=list(actors) or None, kinds=list(kinds) or None, since=since,
                                   until=until, min_reliability=min_reliability, outlets=list(outlets) or None,
                                   fact_types=list(fact_types) or None, limit=1000))
    dated, no_year, undated = split_dated(facts)
    kept, earlier = focus(dated)
    if earlier:
        note = f"{len(earlier)} fact(s) dated long before the rest are left out (the timeline lists them)"
        subtitle = f"{subtitle}; {note}" if subtitle else note
    order = {f["id"]: i for i, f in enumerate(facts)}
    return queries.story(_graph, sorted(kept + no_year + undated, key=lambda f: order[f["id"]]), subtitle=subtitle)


@versioned
def actors(_graph: Graph, text: str = "", limit: int = 5000) -> list[dict[str, Any]]:
    return _dump(queries.find_actors(_graph, text, limit=limit))


@versioned
def actor(_graph: Graph, name_or_alias: str) -> dict[str, Any] | None:
    """The actor page: each role's first page (kg.queries.ACTOR_PAGE_SIZE facts; `next` and `totals` per role
    type), who it is named with, the neighbourhood of the facts shown."""
    profile = queries.actor(_graph, name_or_alias, per_role=queries.ACTOR_PAGE_SIZE)
    if profile is None:
        return None
    out: dict[str, Any] = profile.model_dump(mode="json")
    out["timeline"] = _dump(profile.timeline)
    return out


@versioned
def actor_facts_page(_graph: Graph, name_or_alias: str, role: str, after: str | None = None) -> dict[str, Any]:
    """A further page of an actor's facts in one role (kg.queries.actor_facts_page): {items, next, total}."""
    result: dict[str, Any] = queries.actor_facts_page(_graph, name_or_alias, role, after=after,
                                                      size=queries.ACTOR_PAGE_SIZE).model_dump(mode="json")
    return result


@versioned
def trace(_graph: Graph, fact_id: str) -> dict[str, Any] | None:
    return _dump(queries.trace(_graph, fact_id))


@versioned
def conflicts(_graph: Graph, fact_id: str | None = None) -> list[dict[str, Any]]:
    return _dump(queries.conflicts(_graph, fact_id=fact_id))


@versioned
def conflicts_page(_graph: Graph, after: str | None = None) -> dict[str, Any]:
    """One page of the conflicts list (kg.queries.conflicts_page): {items, next, total}."""
    result: dict[str, Any] = queries.conflicts_page(_graph, after=after,
                                                    size=queries.CONFLICTS_PAGE_SIZE).model_dump(mode="json")
    return result


@versioned
def sources(_graph: Graph) -> list[dict[str, Any]]:
    return _dump(queries.sources(_graph))


@versioned
def publishing_outlets(_graph: Graph) -> list[dict[str, Any]]:
    return queries.publishing_outlets(_graph)


@versioned
def outlet_articles(_graph: Graph, outlet_id: str | None) -> list[dict[str, Any]]:
    return _dump(queries.outlet_articles(_graph, outlet_id))


@versioned
def article(_graph: Graph, key: str) -> dict[str, Any] | None:
    """An article with its text, facts, actors, and the evidence spans found in it (for highlighting)."""
    view = queries.article(_graph, key)
    if view is None:
        return None
    out: dict[str, Any] = view.model_dump(mode="json")
    spans: list[dict[str, Any]] = []
    for fact in view.facts:
        found = queries.trace(_graph, fact.id)
        for e in found.evidence if found else []:
            if e.article_id == view.id:
                spans.append({"start": e.start, "end": e.end, "fact_id": fact.id, "sentence": e.sentence})
    out["spans"] = sorted(spans, key=lambda s: (s["start"], s["end"]))
    return out


@versioned
def search_evidence(_graph: Graph, text: str, limit: int = 20) -> list[dict[str, Any]]:
    return _dump(queries.search_evidence(_graph, text, limit=limit))


@versioned
def kinds(_graph: Graph) -> list[dict[str, Any]]:
    return queries.kinds(_graph)


@versioned
def date_range(_graph: Graph) -> tuple[str | None, str | None]:
    return queries.date_range(_graph)


@versioned
def suggestions(_graph: Graph, limit: int = 20) -> list[dict[str, Any]]:
    from kg.suggest import suggest

    return _dump(suggest(_graph, limit=limit))


@versioned
def judgements(_graph: Graph) -> list[dict[str, Any]]:
    """The curation log, newest first, each with a line a reader understands."""
    from kg.curation import Curator

    cur = Curator(_graph)
    return [{**j.model_dump(mode="json"), "summary": cur.summary(j)} for j in reversed(cur.log())]


def run_cypher(graph: Graph, query: str, params: dict[str, Any], timeout_s: float | None,
               row_limit: int | None) -> dict[str, Any]:
    """A researcher's query: never cached (the answer may depend on the moment), read-only in kg."""
    result: dict[str, Any] = queries.cypher(graph, query, params, timeout_s=timeout_s,
                                            row_limit=row_limit).model_dump(mode="json")
    return result


@versioned
def lifecycle(_graph: Graph, name_or_alias: str) -> list[dict[str, Any]]:
    """What followed each allegation against an actor (kg.queries.lifecycle)."""
    return _dump(queries.lifecycle(_graph, name_or_alias))


@versioned
def as_of(_graph: Graph, when: str) -> list[dict[str, Any]]:
    """The facts as the fetched articles reported them at `when` (kg.queries.as_of_timeline)."""
    return _dump(queries.as_of_timeline(_graph, when))


@versioned
def fetch_span(_graph: Graph) -> tuple[str | None, str | None]:
    """The first and last fetch of a fetched article version (None, None without live intake)."""
    return queries.fetch_span(_graph)
