"""Actor profile: aliases, type, allegations made and received, actions issued and suffered, events, a
small graph of its neighbourhood, and its own timeline. Deep link: ?actor=NAME (a name or an alias)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import charts, data, graphs, ui
from app.lifecycle import lifecycle_section
from app.words import kind_word, status_word, type_word
from ontology.models import QID

SECTIONS = (
    ("allegations_made", "Allegations made", "ACCUSER"),
    ("allegations_received", "Allegations received", "ACCUSED"),
    ("actions_issued", "Actions issued", "ISSUER"),
    ("actions_suffered", "Actions suffered", "TARGET"),
    ("events", "Events", "INVOLVES"),
)


def _role_facts(graph: Any, profile: dict[str, Any], key: str, role: str) -> list[dict[str, Any]]:
    """The role's first page, then the further pages a "More" button asked for (kept per actor and role)."""
    facts = list(profile.get(key) or [])
    after = (profile.get("next") or {}).get(role)
    wanted = int(st.session_state.get(f"actor_pages_{profile['id']}_{role}", 1))
    for _ in range(wanted - 1):
        if not after:
            break
        page = data.actor_facts_page(graph, profile["id"], role, after=after)
        facts += page["items"]
        after = page["next"]
    if after and st.button("More", key=f"actor_more_{role}", icon=":material/expand_more:"):
        st.session_state[f"actor_pages_{profile['id']}_{role}"] = wanted + 1
        st.rerun()
    return facts


def _facts_table(facts: list[dict[str, Any]]) -> None:
    if not facts:
        st.caption("None.")
        return
    st.dataframe(
        ui.display_rows({"date": f.get("date_display"), "what": f.get("title"),
                         "kind": kind_word(f.get("kind"), f.get("fact_type")),
                         "status": status_word(f.get("status")) or ("not taken" if f.get("negated") else ""),
                         "reliability": f.get("reliability"), "articles": f.get("n_articles"),
                         "sources": ", ".join(f.get("sources") or []), "trace": f"trace?fact={f['id']}"}
                        for f in facts),
        hide_index=True, width="stretch",
        column_config={"reliability": st.column_config.NumberColumn(format="%.0f"),
                       "trace": st.column_config.LinkColumn(display_text="open trace")},
    )


def render() -> None:
    graph = data.get_graph()
    options = {a["id"]: a for a in data.actors(graph)}
    st.title("Actor")
    if not options:
        st.info("No actors in the graph yet.")
        return

    wanted = (ui.qp_one("actor") or "").strip()
    if wanted and wanted != st.session_state.get("_actor_url"):  # a link (search, share) names an actor
        picked = None
        for actor_id, a in options.items():
            if wanted.lower() in {actor_id.lower(), a["name"].lower(), *(x.lower() for x in a.get("aliases") or [])}:
                picked = actor_id
                break
        if picked is None:
            st.warning(f"No actor called “{ui.md(wanted)}”; pick one below.")
        else:
            st.session_state["actor_pick"] = picked
    if st.session_state.get("actor_pick") not in options:
        st.session_state["actor_pick"] = next(iter(options))

    actor_id = st.selectbox(
        "Actor", list(options), key="actor_pick",
        format_func=lambda i: ui.display(options[i]["name"] + (f" ({', '.join(options[i]['aliases'])})"
                                                               if options[i].get("aliases") else "")
                                         + f" · {options[i]['articles']} articles"),
        help="Type to search names and aliases.")
    profile = data.actor(graph, actor_id)
    if profile is None:
        st.warning("This actor is no longer in the graph.")
        return
    ui.qp_set(actor=profile["name"])
    st.session_state["_actor_url"] = profile["name"]

    st.header(ui.md(profile["name"]))
    c1, c2, c3 = st.columns([2, 4, 2])
    qids = [q for q in profile.get("wikidata") or [] if QID.match(q)]
    # Wikidata identifiers come from the reference data's gazetteer (QIDs only: the link is built here)
    same_as = "".join(f"  \n[Wikidata {q}](https://www.wikidata.org/wiki/{q})" for q in qids)
    c1.markdown(f"**Type**  \n{ui.md(type_word(profile.get('type')) or 'unknown')}{same_as}")
    c2.markdown("**Aliases**  \n" + (ui.md(", ".join(profile.get("aliases") or [])) or "*none recorded*"))
    c3.metric("Articles mentioning", profile.get("articles") or 0)

    totals = profile.get("totals") or {}
    counts = [totals.get(role) if totals.get(role) is not None else len(profile.get(key) or [])
              for key, _, role in SECTIONS]
    tabs = st.tabs([f"{title} ({n})" for (_, title, _), n in zip(SECTIONS, counts, strict=True)])
    for tab, (key, _, role) in zip(tabs, SECTIONS, strict=True):
        with tab:
            _facts_table(_role_facts(graph, profile, key, role))

    lifecycle_section(graph, profile["name"])  # alleged → denied → investigated → sanctioned (app/lifecycle.py)

    st.subheader("Neighbourhood")
    edges = profile.get("neighbourhood") or []
    if edges:
        drawing = graphs.neighbourhood(profile, edges)
        st.caption("Click an actor to open its page, a fact (a diamond) to open its claim trace; drag to move, "
                   "scroll to zoom. Arrows run from accuser to allegation to accused, from issuer to action to "
                   "target.")
        graphs.draw(drawing, key=f"actor-graph-{profile['id']}")
        st.caption(graphs.legend(n["data"]["label"] for n in drawing.nodes.values()))
        graphs.fallback(drawing, "The neighbourhood as a table")
    else:
        st.caption("No facts link this actor to another actor.")
    co = profile.get("co_mentioned") or []
    st.markdown("**Mentioned in the same articles**")
    if co:
        cols = st.columns(4)
        for i, other in enumerate(co[:16]):
            cols[i % 4].page_link(ui.ACTOR, label=ui.md(f"{other['name']} · {other['articles']}"),
                                  icon=":material/person:", query_params={"actor": other["name"]})
    else:
        st.caption("No other actor appears in the same articles.")

    st.subheader("Timeline")
    st.caption("The facts of the first page of each role above; the main timeline (link below) pages through all.")
    facts = profile.get("timeline") or []
    dated, no_year, undated = charts.split_dated(facts)
    dated, earlier = charts.focus(dated)
    undated = earlier + undated  # (the far-earlier ones are listed with the others off the chart)
    if dated:
        chosen = charts.draw_timeline(dated, key="actor_chart")
        if chosen:
            found = data.trace(graph, str(chosen))
            if found:
                with st.container(border=True):
                    ui.fact_detail(found, show_evidence=False, key="actor")
    if no_year or undated:
        st.caption(f"Not on the chart: {len(no_year)} with no year given, {len(undated)} undated.")
        _facts_table(no_year + undated)
    if not facts:
        st.caption("No facts name this actor.")
    st.page_link(ui.TIMELINE, label="This actor on the main timeline (with filters)", icon=":material/timeline:",
                 query_params={"actor": profile["name"]})


ui.guard(render)
