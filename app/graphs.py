"""The graphs a reader can click: an actor's neighbourhood, a claim's trace and a console query's nodes, drawn
with streamlit-cytoscape (Cytoscape.js as a Streamlit component; docs/app-components.md says why this one).

Nodes are styled by what they are (an actor by its type, a fact by its fact type: shape and colour, from the
Okabe–Ito palette in app/charts.py), edges by role (colour and line style, labelled with the ontology's words).
Tapping a node opens what it stands for: an actor's page, a fact's claim trace, an article's view. Only the
tapped node's id comes back from the browser; where it leads is looked up here, in `Drawing.targets`, so a
page never navigates to anything the server did not put in the drawing. Under each graph the same nodes and
edges are a table (`Drawing.rows`): readable without the component, and what AppTest sees.

Every string sent to the component goes through ui.display (no bidi or zero-width characters); the component
draws labels on a canvas and fills its info panel with text nodes, never HTML (docs/app-components.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit_cytoscape import EdgeStyle, Event, NodeStyle, streamlit_cytoscape

from app import ui
from app.charts import ACTOR_STYLE, ARTICLE_STYLE, FACT_SHAPE, OTHER_STYLE, ROLE_STYLE, TYPE_COLOURS, short_label
from app.words import kind_word, type_word
from ontology.models import FACT_LABELS, NodeLabel
from ontology.vocabulary import vocabulary

TAP = "open"  # the component's value names the event: {"action": "open", "data": {"target_id": ...}, ...}
_FACT_TYPES = {lbl.value for lbl in FACT_LABELS}
_ROLE_OF = {vocabulary.rel_type(r): r for r in vocabulary.role_relations}  # ACCUSER -> accuser
# The graph's roles point from the fact to the actor; drawn, the accuser and the issuer point at the fact, so
# an arrow runs accuser → allegation → accused and issuer → action → target.
_TOWARDS_FACT = {"ACCUSER", "ISSUER"}
LAYOUT: dict[str, Any] = {"name": "fcose", "animate": False, "fit": True, "padding": 24, "randomize": True,
                          "nodeDimensionsIncludeLabels": True, "idealEdgeLength": 70, "nodeRepulsion": 9000,
                          "nodeSeparation": 60, "quality": "proof"}


@dataclass
class Drawing:
    """Cytoscape elements, where each tappable node leads (page, query parameters), and the text fallback."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)

    def node(self, node_id: str, group: str, name: str, *, centre: bool = False, target: tuple[str, dict[str, str]]
             | None = None, **info: Any) -> str:
        """A node: `group` picks its style, `name` is drawn under it, `info` shows in the info panel."""
        if node_id not in self.nodes:
            data = {"id": node_id, "label": group, "name": ui.display(name), "_border": 5 if centre else 1.5}
            data.update({k: ui.display_value(v) for k, v in info.items() if v not in (None, "", [])})
            if target is not None:
                data["opens"] = {ui.ACTOR: "the actor's page", ui.TRACE: "the claim trace",
                                 ui.SOURCES: "the article"}.get(target[0], "a page")
                self.targets[node_id] = target
            self.nodes[node_id] = {"data": data}
        return node_id

    def edge(self, source: str, target: str, group: str, words: str) -> None:
        edge_id = f"{source}|{group}|{target}"
        if edge_id not in self.edges and source in self.nodes and target in self.nodes:
            self.edges[edge_id] = {"data": {"id": edge_id, "source": source, "target": target, "label": group,
                                            "role": ui.display(words)}}

    def elements(self) -> dict[str, list[dict[str, Any]]]:
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges.values())}


def _label(text: str, width: int = 22, max_lines: int = 3) -> str:
    """A caption wrapped to lines of about `width` characters (Cytoscape wraps at the "\\n"s)."""
    lines: list[str] = []
    for word in " ".join(text.split()).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return "\n".join(lines)


def _fact_node(d: Drawing, f: dict[str, Any], centre: bool = False) -> str:
    fact_type = f.get("fact_type") or ""
    return d.node(f"fact:{f['id']}", fact_type if fact_type in _FACT_TYPES else "Fact",
                  _label(short_label(f, 60), 24), centre=centre,
                  target=None if centre else (ui.TRACE, {"fact": f["id"]}),
                  title=f.get("title"), what=" · ".join(x for x in (type_word(fact_type),
                                                                    kind_word(f.get("kind"), fact_type)) if x),
                  when=f.get("date_display") or "undated",
                  reliability=f"{f['reliability']:.0f}/100" if f.get("reliability") is not None else None)


def _actor_node(d: Drawing, actor_id: str, name: str, actor_type: str | None, centre: bool = False) -> str:
    return d.node(f"actor:{actor_id}", actor_type if actor_type in ACTOR_STYLE else "Actor", _label(name),
                  centre=centre, target=None if centre else (ui.ACTOR, {"actor": name}),
                  type=type_word(actor_type) or "actor")


def _role_edge(d: Drawing, fact_node: str, actor_node: str, rel_type: str) -> None:
    words = vocabulary.words(_ROLE_OF.get(rel_type, rel_type.lower()))
    if rel_type in _TOWARDS_FACT:
        d.edge(actor_node, fact_node, rel_type, words)
    else:
        d.edge(fact_node, actor_node, rel_type, words)


# ---------------------------------------------------------------- the three graphs


def neighbourhood(profile: dict[str, Any], edges: list[dict[str, Any]], max_facts: int = 60) -> Drawing:
    """The actor, the facts it shares with other actors, and those actors: accuser → allegation → accused,
    issuer → action → target, and the actors an event involves."""
    d = Drawing()
    centre = _actor_node(d, profile["id"], profile["name"], profile.get("type"), centre=True)
    facts = {f["id"]: f for f in profile.get("timeline") or []}
    for e in edges:
        f = facts.get(e["fact_id"]) or {"id": e["fact_id"], "fact_type": e["fact_type"], "kind": e.get("kind")}
        if f"fact:{f['id']}" not in d.nodes and sum(1 for n in d.nodes if n.startswith("fact:")) >= max_facts:
            continue
        fact = _fact_node(d, f)
        other = _actor_node(d, e["other_id"], e["other_name"], e.get("other_type"))
        _role_edge(d, fact, centre, e["role_of_actor"])
        _role_edge(d, fact, other, e["role_of_other"])
        d.rows.append({"actor": ui.display(profile["name"]),
                       "role": vocabulary.words(_ROLE_OF.get(e["role_of_actor"], "")),
                       "fact": ui.display(f.get("title") or kind_word(f.get("kind"), f.get("fact_type"))),
                       "other actor": ui.display(e["other_name"]),
                       "their role": vocabulary.words(_ROLE_OF.get(e["role_of_other"], ""))})
    return d


def trace(found: dict[str, Any]) -> Drawing:
    """A fact, its actors by role, and the articles that report it (with their outlets)."""
    d = Drawing()
    f = found["fact"]
    fact = _fact_node(d, f, centre=True)
    for r in found.get("roles") or []:
        actor = _actor_node(d, r["id"], r["name"], r.get("type"))
        _role_edge(d, fact, actor, r["role"])
        d.rows.append({"from": ui.display(f.get("title") or f["id"]),
                       "link": vocabulary.words(_ROLE_OF.get(r["role"], "")), "to": ui.display(r["name"]),
                       "opens": "the actor's page"})
    seen: set[str] = set()
    for e in found.get("evidence") or []:
        if e["article_id"] in seen:
            continue
        seen.add(e["article_id"])
        where = e.get("outlet") or "unknown outlet"
        # the outlet when known, else the article's title: "unknown outlet" on every node would tell nothing apart
        name = e.get("outlet") or e.get("title") or e.get("doc_id") or "article"
        name = name if len(name) <= 48 else name[:47] + "…"
        caption = f"{name} · {e.get('published')}" if e.get("published") else name
        target = (ui.SOURCES, {"article": e["doc_id"]}) if e.get("doc_id") else None
        article = d.node(f"article:{e['article_id']}", NodeLabel.Article.value, _label(caption, 26), target=target,
                         title=e.get("title"), outlet=where, published=e.get("published"))
        d.edge(fact, article, "REPORTED_IN", "reported in")
        d.rows.append({"from": ui.display(f.get("title") or f["id"]), "link": "reported in",
                       "to": ui.display(f"{where} · {e.get('published') or 'date unknown'}: "
                                        f"{e.get('title') or e.get('doc_id') or ''}"),
                       "opens": "the article" if target else ""})
    return d


def _console_group(labels: Iterable[str]) -> str:
    labels = set(labels)
    for group in (*ACTOR_STYLE, *(lbl.value for lbl in FACT_LABELS), NodeLabel.Article.value):
        if group in labels:
            return group
    return "Actor" if NodeLabel.Actor.value in labels else "Other"


def _console_caption(props: dict[str, Any], fallback: str) -> str:
    for key in ("name", "title", "doc_id", "sentence", "id"):
        if props.get(key):
            return str(props[key])
    return fallback


def results(nodes: list[dict[str, Any]], relationships: list[dict[str, Any]], max_nodes: int = 150) -> Drawing:
    """The nodes and relationships a console query returned; actors, facts and articles open their pages."""
    d = Drawing()
    for node in nodes[:max_nodes]:
        props = node.get("properties") or {}
        labels = [x for x in node.get("labels") or [] if x != NodeLabel.Fact.value] or list(node.get("labels") or [])
        group = _console_group(node.get("labels") or [])
        target: tuple[str, dict[str, str]] | None = None
        if NodeLabel.Actor.value in (node.get("labels") or []) and props.get("id"):
            target = (ui.ACTOR, {"actor": str(props["id"])})
        elif NodeLabel.Fact.value in (node.get("labels") or []) and props.get("id"):
            target = (ui.TRACE, {"fact": str(props["id"])})
        elif NodeLabel.Article.value in (node.get("labels") or []) and props.get("doc_id"):
            target = (ui.SOURCES, {"article": str(props["doc_id"])})
        caption = _console_caption(props, str(node["id"]))
        d.node(str(node["id"]), group, _label(caption if len(caption) <= 60 else caption[:59] + "…"),
               target=target, labels=":" + ":".join(labels), graph_id=props.get("id"))
        d.rows.append({"node": ui.display(caption), "labels": ":" + ":".join(labels),
                       "opens": d.nodes[str(node["id"])]["data"].get("opens", "")})
    for rel in relationships:
        start, end = str(rel.get("start")), str(rel.get("end"))
        if start in d.nodes and end in d.nodes:
            rel_type = str(rel.get("type"))
            d.edge(start, end, rel_type, rel_type)
    return d


# ---------------------------------------------------------------- drawing and clicks


def _styles() -> tuple[list[NodeStyle], list[EdgeStyle]]:
    common = {"font-size": 11, "min-zoomed-font-size": 0, "text-wrap": "wrap", "text-max-width": 150,
              "text-valign": "bottom", "text-margin-y": 4, "color": "#1a1a1a", "border-width": "data(_border)",
              "border-color": "#1a1a1a", "text-background-color": "#ffffff", "text-background-opacity": 0.75,
              "text-background-padding": 1, "width": 26, "height": 26}
    node_styles = [NodeStyle(t, colour, "name", custom_styles={**common, "shape": shape})
                   for t, (colour, shape) in ACTOR_STYLE.items()]
    node_styles += [NodeStyle(t, colour, "name", custom_styles={**common, "shape": FACT_SHAPE, "width": 22,
                                                                "height": 22})
                    for t, colour in TYPE_COLOURS.items()]
    for group, (colour, shape) in (("Article", ARTICLE_STYLE), ("Actor", OTHER_STYLE), ("Other", OTHER_STYLE),
                                   ("Fact", OTHER_STYLE)):
        node_styles.append(NodeStyle(group, colour, "name", custom_styles={**common, "shape": shape}))
    edge_common = {"font-size": 9, "min-zoomed-font-size": 0, "width": 2, "arrow-scale": 1.1, "color": "#1a1a1a",
                   "text-background-color": "#ffffff", "text-background-opacity": 0.85, "curve-style": "bezier"}
    edge_styles = [EdgeStyle(rel, colour, "role", directed=directed,
                             custom_styles={**edge_common, "line-style": line})
                   for rel, (colour, line, directed) in ROLE_STYLE.items()]
    return node_styles, edge_styles


def draw(drawing: Drawing, key: str, height: int = 520, console: bool = False) -> None:
    """The graph; a tap on a node with a target opens it (once per tap: the component keeps its last value)."""
    node_styles, edge_styles = _styles()
    if console:  # any relationship type: the roles keep their style, the rest are plain grey arrows
        known = {s.label for s in edge_styles}
        edge_styles += [EdgeStyle(t, "#7a7a7a", "role", directed=True,
                                  custom_styles={"font-size": 9, "min-zoomed-font-size": 0, "width": 1.5})
                        for t in sorted({e["data"]["label"] for e in drawing.edges.values()} - known)]
    value = streamlit_cytoscape(drawing.elements(), layout=LAYOUT, node_styles=node_styles,
                                edge_styles=edge_styles, height=height, key=key,
                                events=[Event(TAP, "tap", "node")])
    _follow(value, drawing, key)


def _follow(value: Any, drawing: Drawing, key: str) -> None:
    if not isinstance(value, dict) or value.get("action") != TAP:
        return
    handled = st.session_state.setdefault("_graph_taps", {})
    stamp = value.get("timestamp")
    if handled.get(key) == stamp:
        return
    handled[key] = stamp
    target = drawing.targets.get(str((value.get("data") or {}).get("target_id")))
    if target is not None:
        page, params = target
        st.switch_page(page, query_params=params)


def fallback(drawing: Drawing, title: str) -> None:
    """The same nodes and edges as a table, under the graph."""
    with st.expander(f"{title} ({len(drawing.rows)})"):
        if drawing.rows:
            st.dataframe(drawing.rows, hide_index=True, width="stretch")
        else:
            st.caption("Nothing to list.")


def legend(groups: Iterable[str]) -> str:
    """What the shapes, colours and lines mean, for the groups drawn (inert Markdown)."""
    from app.charts import COLOUR_NAMES, LINE_NAMES

    parts = []
    for g in dict.fromkeys(groups):
        if g in ACTOR_STYLE:
            colour, shape = ACTOR_STYLE[g]
            parts.append(f"{type_word(g)}: {COLOUR_NAMES[colour]} {shape.replace('-', ' ')}")
        elif g in TYPE_COLOURS:
            parts.append(f"{type_word(g)}: {COLOUR_NAMES[TYPE_COLOURS[g]]} diamond")
    roles = [f"{vocabulary.words(r)}: {COLOUR_NAMES[ROLE_STYLE[vocabulary.rel_type(r)][0]]} "
             f"{LINE_NAMES[ROLE_STYLE[vocabulary.rel_type(r)][1]]}" for r in vocabulary.role_relations]
    return ui.md("Nodes: " + "; ".join(parts) + ". Lines: " + "; ".join(roles) + ".")
