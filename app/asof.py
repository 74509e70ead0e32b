"""The timeline's "as of" control: the graph as the fetched articles reported it at a chosen moment.

Live intake keeps every fetched version of an article (kg/history.py); as of a date and time (UTC), the timeline
shows the facts the versions holding then reported, with the dates they gave. The moment is kept in the URL
(`?asof=2026-06-25T12:00`) like the other filters. Documents ingested from files have no fetch time, so they are
in no earlier state; the control appears once the graph holds a fetched version (or a link names a moment).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import streamlit as st

from app import data, ui


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def as_of_control(graph: Any) -> str | None:
    """In the sidebar: a toggle, a date and a time (UTC). The chosen moment as the URL keeps it
    ("YYYY-MM-DDTHH:MM"), or None for the graph as it stands now."""
    first, last = data.fetch_span(graph)
    from_url = _parse(ui.qp_one("asof"))
    if first is None and from_url is None:
        return None
    if "tl_asof_on" not in st.session_state:
        default = from_url or _parse(last) or datetime.now(UTC).replace(tzinfo=None)
        st.session_state["tl_asof_on"] = from_url is not None
        st.session_state["tl_asof_date"] = default.date()
        st.session_state["tl_asof_time"] = time(default.hour, default.minute)
    on = st.toggle("As of an earlier time", key="tl_asof_on",
                   help="Show the facts as the fetched articles reported them at that moment (corrections since "
                        "then undone). Articles ingested from files have no fetch time and are left out.")
    if not on:
        return None
    day = st.date_input("As of (date, UTC)", key="tl_asof_date", format="YYYY-MM-DD")
    at = st.time_input("Time (UTC)", key="tl_asof_time", step=60)
    if first and last:
        st.caption(ui.md(f"Fetched articles span {first[:16].replace('T', ' ')} to {last[:16].replace('T', ' ')} "
                         "UTC."))
    return f"{day.isoformat()}T{at:%H:%M}"


def as_of_facts(graph: Any, moment: str, fact_types: tuple[str, ...]) -> list[dict[str, Any]]:
    """The timeline rows as of `moment` (the whole minute it names), with a line saying what is shown."""
    facts = [f for f in data.as_of(graph, f"{moment}:59.999999+00:00")
             if not fact_types or f["fact_type"] in fact_types]
    st.info(ui.md(f"As of {moment.replace('T', ' ')} UTC: the facts the fetched articles reported then, with the "
                  "dates they gave. Article versions keep no reliability, kind or actors, so those filters and "
                  "the outlet filter do not apply here; the fact types do."))
    return facts
