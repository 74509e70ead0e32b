"""Watchlists: saved filters (actors, kinds, a minimum reliability, which changes alert) whose new facts, new
independent origins, new conflicts and status changes become alerts (intake/watchlists.py, the same store
`kg watchlist` uses). Each watchlist is listed with its filter, its Atom file and its alerts, newest first, each
linking to its fact's claim trace. Creating, removing and running one writes, so it follows the Curate page's
rule (app/access.py): a curator name, and beyond loopback the curator token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
from pydantic import ValidationError

from app import data, ui
from app.access import curator_form
from app.words import kind_word
from intake.poll import default_state_path
from intake.watchlists import ALERT_KINDS, ALERT_WORDS, Alert, Watchlist, WatchlistStore
from kg.settings import get_settings

SHOWN_ALERTS = 50


def store_path() -> Path:
    """Where `kg watchlist` keeps them by default: beside the graph's data directory."""
    return default_state_path(get_settings()).with_name("watchlists.sqlite")


def _filter_line(w: Watchlist) -> str:
    parts = [f"actors: {', '.join(w.actors)}",
             f"kinds: {', '.join(kind_word(k) for k in w.kinds)}" if w.kinds else "every kind",
             f"reliability at least {w.min_reliability:g}" if w.min_reliability is not None else "",
             "alerts on " + ", ".join(ALERT_WORDS[k] for k in w.alerts),
             f"webhook {w.webhook}" if w.webhook else ""]
    return "; ".join(p for p in parts if p)


def _alert_line(a: Alert) -> str:
    when = a.at.replace("T", " ").removesuffix("Z")
    source = ui.safe_url(a.url)
    tail = f" · [source]({source})" if source else ""
    return (f"**{ALERT_WORDS[a.kind]}** · {ui.md(when)} UTC · [{ui.md(a.title)}](trace?fact={a.fact_id})  \n"
            f"{ui.md(a.summary)}{tail}")


def _watchlist(graph: Any, store: WatchlistStore, w: Watchlist, can: bool) -> None:
    with st.container(border=True):
        head, run_col, remove_col = st.columns([6, 1, 1])
        head.markdown(f"**{ui.md(w.name)}**  \n{ui.md(_filter_line(w))}")
        if run_col.button("Run", key=f"wl_run_{w.name}", disabled=not can,
                          help="Compare the graph with what this watchlist saw last time; new changes become alerts."):
            result = store.run(graph, w)
            st.session_state["wl_outcome"] = (f"watchlist {w.name}: {len(result.alerts)} new alert(s)"
                                              + (f"; the webhook failed: {result.webhook_error}"
                                                 if result.webhook_error else ""))
            st.rerun()
        if remove_col.button("Remove", key=f"wl_remove_{w.name}", disabled=not can,
                             help="Forget this watchlist, what it saw and its alerts (its Atom file too)."):
            store.remove(w.name)
            st.session_state["wl_outcome"] = f"watchlist {w.name} removed"
            st.rerun()
        atom = store.atom_dir / f"{w.name}.atom"
        if atom.exists():
            left, right = st.columns([6, 2])
            left.caption(ui.md(f"Atom feed (follow it in any feed reader): {atom}"))
            right.download_button("Atom file", atom.read_bytes(), file_name=atom.name,
                                  mime="application/atom+xml", key=f"wl_atom_{w.name}")
        else:
            st.caption("No Atom file yet: run the watchlist (or ingest a feed) to write it.")
        alerts = store.alerts(w.name, limit=SHOWN_ALERTS)
        if not alerts:
            st.caption("No alerts yet.")
        for a in alerts:
            st.markdown(_alert_line(a))


def _create_form(graph: Any, store: WatchlistStore, can: bool) -> None:
    st.subheader("New watchlist")
    names = [a["name"] for a in data.actors(graph)]
    kinds = sorted({k["kind"] for k in data.kinds(graph) if k.get("kind")})
    with st.form("wl_new", clear_on_submit=False, border=True):
        name = st.text_input("Name", key="wl_name", placeholder="alibaba",
                             help="Letters, digits, '.', '_' and '-': also the Atom file's name.")
        actors = st.multiselect("Actors to follow", names, key="wl_actors", placeholder="type a name or alias")
        chosen_kinds = st.multiselect("Only these kinds", kinds, key="wl_kinds", placeholder="every kind",
                                      format_func=kind_word)
        min_rel = st.slider("Minimum reliability", 0, 100, 0, step=5, key="wl_minrel")
        alert_kinds = st.multiselect("Alert on", list(ALERT_KINDS), default=list(ALERT_KINDS), key="wl_alerts",
                                     format_func=lambda k: ALERT_WORDS[k])
        webhook = st.text_input("Webhook (optional)", key="wl_webhook", placeholder="https://hooks.example.org/kg",
                                help="New alerts are also POSTed there as JSON.")
        saved = st.form_submit_button("Save watchlist", disabled=not can, type="primary")
    if not saved:
        return
    try:
        watchlist = Watchlist(name=name.strip(), actors=list(actors), kinds=list(chosen_kinds),
                              min_reliability=float(min_rel) if min_rel else None,
                              alerts=list(alert_kinds) or list(ALERT_KINDS), webhook=webhook.strip() or None)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(map(str, first["loc"])) or "watchlist"
        st.error(ui.md(f"Not saved: {field}: {first['msg']}"))
        return
    store.add(watchlist)
    st.session_state["wl_outcome"] = (f"watchlist {watchlist.name} saved; run it to see its alerts "
                                      "(every feed ingest runs it too)")
    st.rerun()


def render() -> None:
    graph = data.get_graph()
    st.title("Watchlists")
    st.caption("A watchlist follows actors: each new fact about them, each new independent origin of one, each new "
               "conflict between its reports and each status change becomes an alert, once. `kg ingest --feed` and "
               "`kg watch` run every watchlist after each poll; `kg watchlist` manages the same list.")
    access, _curator = curator_form("watchlists")
    can = access.can_write
    if st.session_state.get("wl_outcome"):
        st.success(ui.md(st.session_state.pop("wl_outcome")))
    with WatchlistStore(store_path()) as store:
        watchlists = store.all()
        st.subheader(f"Watchlists ({len(watchlists)})")
        if not watchlists:
            st.caption("None yet: create one below, or with `kg watchlist add NAME --actor NAME`.")
        for w in watchlists:
            _watchlist(graph, store, w, can)
        _create_form(graph, store, can)


ui.guard(render)
