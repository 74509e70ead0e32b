"""Alerts as an Atom 1.0 feed (RFC 4287), so any feed reader can follow a watchlist. Written with the standard
library's ElementTree (it escapes text and attributes), atomically: a reader polling the file never sees half
of it."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

ATOM = "http://www.w3.org/2005/Atom"


class Entry(Protocol):
    id: str
    title: str
    summary: str
    at: str  # RFC 3339 time
    url: str | None


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def write_feed(path: Path, feed_id: str, title: str, updated: str, entries: Sequence[Entry]) -> None:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "aigeo-kg watchlists")
    _text(feed, "generator", "aigeo-kg")
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", entry.id)
        _text(item, "title", entry.title)
        _text(item, "updated", entry.at)
        if entry.url:
            ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "href": entry.url})
        _text(item, "summary", entry.summary, type="text")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    ET.ElementTree(feed).write(partial, encoding="utf-8", xml_declaration=True)
    os.replace(partial, path)
