"""The outlet registry (YAML, editable by users): names, aliases, domains and reliability priors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import yaml

from ontology.models import slug
from reference.names import name_key

DEFAULT_REGISTRY = Path(__file__).resolve().parent / "data" / "outlets.yaml"


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    prior: float
    note: str
    kind: str
    known: bool
    aliases: tuple[str, ...] = ()

    def row(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "prior": self.prior, "prior_note": self.note,
                "kind": self.kind, "known": self.known}


# An outlet written as a Markdown link, "[Reuters](https://reuters.com)": the text names it, the URL's host
# is its domain.
_MARKDOWN_LINK = re.compile(r"^\s*\[([^\[\]]*)\]\(\s*<?([^()<>\s]*)>?\s*\)\s*$")


def split_markdown_link(name: str) -> tuple[str, str | None]:
    """(link text, URL) for a Markdown link; (name, None) for anything else."""
    m = _MARKDOWN_LINK.match(name)
    return (m[1].strip(), m[2] or None) if m else (name, None)


def _host(name: str) -> str:
    """The lowercased host of a URL or bare domain; "" when there is none. urlparse raises ValueError on a
    bracketed netloc it takes for an IPv6 literal ("[Reuters](reuters.com)"), which once failed the article."""
    try:
        host = urlparse(name if "//" in name else f"//{name}").hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


class OutletRegistry:
    def __init__(self, data: dict[str, object]) -> None:
        default = data.get("default") or {}
        assert isinstance(default, dict)
        self.default_prior = float(default.get("prior", 50))
        self.default_note = str(default.get("note", "Unknown outlet: neutral prior."))
        self._by_key: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        outlets = data.get("outlets") or []
        assert isinstance(outlets, list)
        for row in outlets:
            outlet = Outlet(
                id=str(row["id"]), name=str(row["name"]), prior=float(row["prior"]),
                note=str(row.get("note", "")), kind=str(row.get("kind", "other")), known=True,
                aliases=tuple(str(a) for a in row.get("aliases") or ()),
            )
            for name in [row["name"], *(row.get("aliases") or [])]:
                self._by_key.setdefault(name_key(str(name)), outlet)
            for domain in row.get("domains") or []:
                self._by_domain[str(domain).lower().removeprefix("www.")] = outlet

    @property
    def outlets(self) -> list[Outlet]:
        return sorted({o.id: o for o in self._by_key.values()}.values(), key=lambda o: o.name)

    def get(self, name: str | None) -> Outlet | None:
        """The registered outlet for a name, alias, domain or URL; None when unknown."""
        if not name or not name.strip():
            return None
        text, link = split_markdown_link(name)
        if link is not None:
            return self.get(text) or self.get(link)
        found = self._by_key.get(name_key(name))
        if found:
            return found
        host = _host(name)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2] if "." in host else ""
        return None

    def resolve(self, name: str | None, url: str | None = None) -> Outlet | None:
        """The outlet for an article's outlet name or URL: registered, or a new unknown one."""
        found = self.get(name) or self.get(url)
        if found:
            return found
        if name:
            text, link = split_markdown_link(name)
            name = text or (_host(link) if link else "") or name
        if name and name.strip():
            return Outlet(id=slug(name), name=name.strip(), prior=self.default_prior, note=self.default_note,
                          kind="other", known=False)
        return None


def load_registry(path: Path | None = None) -> OutletRegistry:
    return _load(str(path or DEFAULT_REGISTRY))


@lru_cache(maxsize=4)
def _load(path: str) -> OutletRegistry:
    p = Path(path)
    data = yaml.safe_load(p.read_text(encoding="utf-8")) if p.exists() else {}
    return OutletRegistry(data or {})
