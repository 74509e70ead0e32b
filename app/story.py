"""The story view: the project's TimelineJS export (kg.queries.story, the slides of kg/export/timelinejs.py)
drawn by Knight Lab's TimelineJS, vendored in app/vendor/timelinejs/ (see the README there).

The page is one self-contained HTML document in an iframe (`st.iframe` with an HTML string): the script, the
stylesheet and its icon font (a data: URL) are inlined, so nothing is fetched from a CDN or a static server,
and TimelineJS is told to load no web font, theme, language file or analytics. The slides' text is HTML the
export has escaped; the document is embedded as JSON with `</` and `<!--` escaped (kg.export.safe)."""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any

import streamlit as st

from kg.export.safe import json_for_html

VENDOR = Path(__file__).resolve().parent / "vendor" / "timelinejs"
HEIGHT_PX = 640

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.M)
_ICON_FACE = re.compile(r"@font-face\s*\{\s*font-family:\s*'tl-icons';.*?\}", re.S)

# TimelineJS options: nothing loaded from elsewhere (no font or theme stylesheet, English is built in, no
# analytics), no hash in the parent's URL, the first slide (the title) first.
OPTIONS: dict[str, Any] = {"font": None, "theme": None, "language": "en", "ga_measurement_id": None, "track_events": [],
           "hash_bookmark": False, "script_path": "./", "timenav_height_percentage": 32,
           "marker_height_min": 24, "scale_factor": 1, "start_at_slide": 0}


@functools.cache
def assets() -> tuple[str, str]:
    """(script, stylesheet) as the page inlines them: source-map comments dropped, the icon font a data: URL."""
    js = _SOURCE_MAP.sub("", (VENDOR / "timeline.js").read_text(encoding="utf-8"))
    font = base64.b64encode((VENDOR / "tl-icons.woff2").read_bytes()).decode("ascii")
    face = ("@font-face {\n  font-family: 'tl-icons';\n"
            f"  src: url(data:font/woff2;base64,{font}) format('woff2');\n"
            "  font-weight: normal;\n  font-style: normal;\n}")
    css, n = _ICON_FACE.subn(lambda _m: face, (VENDOR / "timeline.css").read_text(encoding="utf-8"), count=1)
    if n != 1:
        raise RuntimeError(f"{VENDOR / 'timeline.css'}: the tl-icons @font-face rule was not found")
    return js, _SOURCE_MAP.sub("", css)


def page(doc: dict[str, Any], height: int = HEIGHT_PX) -> str:
    """The HTML document that draws `doc` (a TimelineJS document) at `height` pixels."""
    js, css = assets()
    # </script> inside the inlined library or the data would end the script block early
    js = js.replace("</script", "<\\/script")
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<style>{css}</style>"
        f"<style>html, body {{ margin: 0; padding: 0; }} #story {{ width: 100%; height: {int(height)}px; }}</style>"
        "</head><body><div id=\"story\"></div>"
        f"<script>{js}</script>"
        "<script>\n"
        f"const doc = {json_for_html(doc)};\n"
        f"const options = {json_for_html(OPTIONS)};\n"
        "window.storyTimeline = new TL.Timeline('story', doc, options);\n"
        "</script></body></html>"
    )


def draw(doc: dict[str, Any], height: int = HEIGHT_PX) -> None:
    """The page in an iframe (st.iframe with an HTML string: a srcdoc frame, no request to any server). The HTML
    is ours: the library as vendored, and the document as JSON whose every text the export escaped."""
    st.iframe(page(doc, height), height=height + 8)
