"""Rendering helpers shared by the pages: safe text, highlighting, fact details, links, query parameters.

Article text, titles, names and anything a user typed are shown as text: every such string goes through
`md()` (Markdown with every special character escaped, HTML disabled) or st.text/st.code/st.dataframe.
Nothing here uses unsafe_allow_html. Every displayed string first goes through `display()`, which drops the
invisible characters that can make a name look like another (bidi overrides, zero-width characters); tables,
pickers and charts use it too (`display_rows`, `display_value`, the format functions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlparse

import streamlit as st

from app.words import attribution_word, kind_word, precision_word, status_word, type_word
from kg.errors import GraphUnavailable, KGError
from ontology.models import JudgementKind
from ontology.vocabulary import vocabulary

# Page files, relative to app/main.py (st.page_link and st.switch_page take these).
TIMELINE = "screens/timeline.py"
ACTOR = "screens/actor.py"
TRACE = "screens/trace.py"
CONFLICTS = "screens/conflicts.py"
SOURCES = "screens/sources.py"
CYPHER = "screens/cypher.py"
INGEST = "screens/ingest.py"
CURATE = "screens/curate.py"
WATCHLISTS = "screens/watchlists.py"
STORY = "screens/story.py"

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones that can
# start Markdown, HTML, math ($), Streamlit directives (:red[...]) or entities (&amp;).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")
_WS = re.compile(r"[ \t\f\v]+")


# Unicode bidi formatting characters (embeddings, overrides, isolates and the implicit marks) and zero-width
# characters: invisible, yet they reorder or split what is drawn, so "Evil\u202eCorp" can read as another
# name, and "Anthropic\u200b" looks like the real actor. They are dropped from everything the app displays.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Streamlit's Markdown (remark-gfm) turns bare URLs, www. addresses and e-mail addresses into links after the
# Markdown is parsed, so backslash escapes do not stop it. A WORD JOINER (U+2060, invisible, no line break)
# put inside each trigger before escaping ("http\u2060://", "www\u2060.", "name\u2060@") leaves the text as
# it reads but no longer matches the autolink patterns: a URL quoted in an article is never a clickable link.
_AUTOLINK = re.compile(r"(?i)(?<=http)(?=s?://)|(?<=www)(?=\.)|(?<=[\w.+-])(?=@)")
_WORD_JOINER = "\u2060"


def display(text: object) -> str:
    """A name, title or any text as it may be shown: the invisible bidi and zero-width characters removed."""
    return _INVISIBLE.sub("", str(text if text is not None else ""))


def display_value(value: Any) -> Any:
    """`display()` applied to every string inside a value (lists and dicts too): for tables and JSON."""
    if isinstance(value, str):
        return display(value)
    if isinstance(value, list | tuple):
        return [display_value(v) for v in value]
    if isinstance(value, dict):
        return {k: display_value(v) for k, v in value.items()}
    return value


def display_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows for st.dataframe with every string cell passed through `display()`."""
    return [{k: display_value(v) for k, v in row.items()} for row in rows]


def md(text: object) -> str:
    """Text as inert Markdown: invisible characters dropped, every special character escaped, bare URLs
    and addresses kept from becoming links, runs of spaces collapsed, and line breaks kept as hard breaks."""
    lines = [_MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(_WORD_JOINER, _WS.sub(" ", line).strip()))
             for line in display(text).split("\n")]
    return "  \n".join(lines)


def mark(text: str) -> str:
    """Escaped text, highlighted (the sentence behind a fact)."""
    inner = md(" ".join(text.split()))
    return f":orange-background[**{inner}**]" if inner else ""


def highlight_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """A whole article as inert Markdown with the given character spans highlighted."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(set(spans)):
        if start < pos or end > len(text):
            continue
        out.append(md(text[pos:start]))
        out.append(mark(text[start:end]))
        pos = end
    out.append(md(text[pos:]))
    joined = ""
    for piece in out:
        if joined and piece and not joined.endswith((" ", "\n")) and not piece.startswith((" ", "\n")):
            joined += " "  # a highlight directive needs a space before it to be recognised
        joined += piece
    return joined


def safe_url(url: str | None) -> str | None:
    """The URL when it is plain http(s); anything else (javascript:, data:) is not made a link."""
    if not url:
        return None
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def guard(render: Callable[[], None]) -> None:
    """Run a page; a graph error becomes one red banner, never a traceback."""
    try:
        render()
    except GraphUnavailable as exc:
        st.error(f"The graph server is unavailable: {md(exc)}. Start it with `kg server start`.")
    except KGError as exc:
        st.error(md(exc))


# ---------------------------------------------------------------- query parameters


def qp_one(name: str) -> str | None:
    value = st.query_params.get(name)
    return value or None


def qp_all(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


def qp_set(**values: str | list[str] | None) -> None:
    """Set (or remove, when empty) query parameters so the current view can be shared as a link."""
    for key, value in values.items():
        if value is None or value == [] or value == "":
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get_all(key) != ([value] if isinstance(value, str) else list(value)):
            st.query_params[key] = value


# ---------------------------------------------------------------- facts

def fact_label(f: dict[str, Any]) -> str:
    return display(f"{f.get('date_display') or 'undated'} · {f.get('title') or f['id']}")


def mark_rejected(f: dict[str, Any]) -> dict[str, Any]:
    """A fact a curator rejected (listed only when asked for) titled so it says so first, struck through."""
    if f.get("verdict") != JudgementKind.rejected:
        return f
    struck = "".join(ch + "\u0336" for ch in str(f.get("title") or f["id"]))
    return {**f, "title": f"{vocabulary.words(JudgementKind.rejected.value, 'JudgementKind')}: {struck}"}


def precision_text(f: dict[str, Any]) -> str:
    precision = f.get("date_precision")
    words = precision_word(precision)
    if precision in ("month", "year") and not f.get("date_end"):
        words += f" (drawn across the whole {precision})"
    if f.get("date_end"):
        words = f"range ({words})"
    if f.get("date_qualifier"):
        words += f", qualified as “{f['date_qualifier']}”"
    return words


def what_text(f: dict[str, Any]) -> str:
    bits = [type_word(f.get("fact_type")), kind_word(f.get("kind"), f.get("fact_type"))]
    if f.get("status"):
        bits.append(f"status: {status_word(f['status'])}")
    if f.get("negated"):
        bits.append("NOT taken (the government decided against it)")
    return " · ".join(b for b in bits if b)


def reliability_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}/100"


def actor_links(names: Iterable[str], key: str) -> None:
    names = list(names)
    if not names:
        st.caption("No actors recorded.")
        return
    cols = st.columns(min(len(names), 4))
    for i, name in enumerate(names):
        with cols[i % len(cols)]:
            st.page_link(ACTOR, label=md(name), icon=":material/person:", query_params={"actor": name})


def _evidence_caption(e: dict[str, Any]) -> str:
    facts = []
    attributed = ", ".join(e.get("attributions") or [])
    facts.append(f"attribution: {attribution_word(e.get('attribution_kind'))}"
                 + (f" ({attributed})" if attributed else ""))
    if e.get("cited"):
        facts.append("cites: " + ", ".join(e["cited"]))
    facts.append("hedging: " + (", ".join(e["hedges"]) if e.get("hedges") else "none"))
    if e.get("date_value"):
        facts.append(f"date as reported: {e['date_value']}" + (f" to {e['date_end']}" if e.get("date_end") else ""))
    if e.get("status"):
        facts.append(f"status: {status_word(e['status'])}")
    if e.get("pattern"):
        facts.append(f"found by: {e['pattern']}")
    if e.get("negated"):
        facts.append("reports a decision against it")
    if e.get("figures"):
        facts.append("figures: " + "; ".join(str(f.get("text")) for f in e["figures"]))
    return md(" · ".join(facts))


def _trim(text: str, limit: int, keep_end: bool) -> tuple[str, bool]:
    """Up to `limit` characters of context, cut at a word boundary; and whether anything was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    if keep_end:
        cut = text[-limit:]
        return cut[cut.find(" ") + 1:] if " " in cut else cut, True
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut, True


def sentence_in_context(e: dict[str, Any], context: int = 180) -> str:
    before, cut_before = _trim(e.get("context_before") or "", context, keep_end=True)
    after, cut_after = _trim(e.get("context_after") or "", context, keep_end=False)
    left, right = md(before), md(after)
    if left and (cut_before or len(e.get("context_before") or "") >= 240):
        left = "…" + left
    if right and (cut_after or len(e.get("context_after") or "") >= 240):
        right += "…"
    return " ".join(x for x in (left, mark(e.get("sentence") or ""), right) if x)


def evidence_by_article(evidence: list[dict[str, Any]]) -> None:
    """The sentences behind a fact, grouped by article: outlet, publication date, title, links; then each
    sentence highlighted in its context with its attribution, hedging and what it says about the date."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in evidence:
        groups.setdefault(e.get("article_id") or e.get("doc_id") or "?", []).append(e)
    n = 0
    for items in groups.values():
        first = items[0]
        with st.container(border=True):
            where = first.get("outlet") or "unknown outlet"
            prior = f" (prior {first['outlet_prior']:.0f})" if first.get("outlet_prior") is not None else ""
            st.markdown(f"**{md(where)}**{prior} · {md(first.get('published') or 'date unknown')} · "
                        f"{md(first.get('title') or first.get('doc_id') or '')}")
            for e in items:
                n += 1
                st.markdown(f"{n}\\. " + sentence_in_context(e))
                st.caption(_evidence_caption(e))
            url = safe_url(first.get("url"))
            links = st.columns(4)
            slot = 0
            if url:
                links[slot].link_button("Open the original", url, icon=":material/open_in_new:")
                slot += 1
            if first.get("doc_id"):
                links[slot].page_link(SOURCES, label="Article view", icon=":material/article:",
                                      query_params={"article": first["doc_id"]})


def fact_detail(trace: dict[str, Any], *, show_evidence: bool = True, key: str = "detail", explain_open: bool = False,
                trace_link: bool = True, before_evidence: Callable[[], None] | None = None) -> None:
    """What, who, when (with precision), how reliable, and the sentences behind a fact."""
    f = trace["fact"]
    st.subheader(md(f.get("title") or f["id"]))
    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    c1.markdown(f"**What**  \n{md(what_text(f))}")
    c2.markdown(f"**When**  \n{md(f.get('date_display') or 'undated')}  \n*{md(precision_text(f))}*")
    c3.metric("Reliability", reliability_text(f.get("reliability")))
    c4.metric("Articles", f.get("n_articles") or 0, help="independent origins: "
              f"{f.get('independent_reports') if f.get('independent_reports') is not None else '–'}")
    st.markdown("**Who**")
    actor_links(f.get("actor_names") or [], key=f"{key}-actors")
    if f.get("sources"):
        st.caption("Reported by: " + md(", ".join(f["sources"])))
    with st.expander("Why this reliability score", expanded=explain_open):
        for line in trace.get("reliability_explanation") or ["no explanation recorded"]:
            st.markdown("- " + md(line))
    if trace.get("conflicts"):
        st.warning(f"{len(trace['conflicts'])} conflict(s) between the sources of this fact.")
        st.page_link(CONFLICTS, label="See the conflicts side by side", icon=":material/compare_arrows:",
                     query_params={"fact": f["id"]})
    if before_evidence is not None:
        before_evidence()
    if show_evidence:
        evidence = trace.get("evidence") or []
        n_articles = len({e.get("article_id") for e in evidence})
        st.markdown(f"**The sentences behind it** ({len(evidence)} in {n_articles} article(s))")
        evidence_by_article(evidence)
    if trace_link:
        st.page_link(TRACE, label="Open the full claim trace", icon=":material/manage_search:",
                     query_params={"fact": f["id"]})
