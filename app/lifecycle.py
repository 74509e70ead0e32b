"""An actor's allegations and what followed them, as a small ordered list: alleged → denied → investigated →
sanctioned, each step with its date and a link to the claim trace of the fact it comes from. The steps come from
kg.queries.lifecycle: the allegation's status, and the LED_TO / RESPONDS_TO links the writer derived from an
article or a curator set (kg/links.py)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, ui

MAX_SHOWN = 12


def _step(step: dict[str, Any]) -> str:
    when = f" · {ui.md(step['date'])}" if step.get("date") else ""
    what = ""
    if step.get("fact_id") and step["stage"] not in ("alleged",) and step.get("by") != "the allegation's reports":
        what = f" — [{ui.md(step.get('title') or step['fact_id'])}](trace?fact={step['fact_id']})"
    by = f" *({ui.md(step['by'])})*" if step.get("by") and step["by"].startswith("set by") else ""
    return f"**{ui.md(step['stage'])}**{when}{what}{by}"


def lifecycle_section(graph: Any, actor_name: str) -> None:
    """The lifecycle of each allegation against the actor that has more than its first step."""
    found = [x for x in data.lifecycle(graph, actor_name) if len(x["steps"]) > 1]
    st.subheader("What followed the allegations")
    if not found:
        st.caption("No allegation against this actor has a recorded denial, response, investigation or action "
                   "yet. A curator can link one on the Curate page, or with `kg curate link`.")
        return
    for life in found[:MAX_SHOWN]:
        fact = life["allegation"]
        st.markdown(f"[{ui.md(fact.get('title') or fact['id'])}](trace?fact={fact['id']})")
        st.markdown("\n".join(f"{i}. {_step(s)}" for i, s in enumerate(life["steps"], 1)))
    if len(found) > MAX_SHOWN:
        st.caption(f"…and {len(found) - MAX_SHOWN} more allegations with a follow-up.")
