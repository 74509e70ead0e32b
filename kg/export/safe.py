"""Untrusted article text and URLs made safe to export: only http(s) URLs are exported as links (`safe_url`);
JSON meant for a <script type="application/ld+json"> block has `</` and `<!--` escaped (`json_for_html`)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit


def safe_url(value: object) -> str | None:
    """The URL when it is an absolute http(s) one, else None. An article's URL comes from the document as
    written; exported as a link (schema:url, a ClaimReview appearance) a `javascript:` or `data:` URL runs
    wherever the export is shown. urlsplit strips what browsers strip (leading blanks and C0 controls, tabs
    and newlines inside), so "java\tscript:" is seen as the javascript: URL it is."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def json_for_html(doc: Any) -> str:
    """JSON text that can be pasted into a <script type="application/ld+json"> block: a title holding
    "</script>" would otherwise end the block and let what follows run as HTML. `<` appears in JSON only
    inside strings, where `<\\/` still means `</` and `\\u003c` means `<`, so the text stays valid JSON with
    the same data; `<!--` is escaped too (it changes how the HTML parser reads the rest of the block)."""
    text = doc if isinstance(doc, str) else json.dumps(doc, indent=2, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
