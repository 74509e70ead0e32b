"""The gazetteer (reference/data/gazetteer.yaml): the actors of AI geopolitics and every sovereign state,
with their types, aliases, country and parent, and the names of the outlets of the registry.

One loader (`Gazetteer.load`, cached per file) and one normaliser (`reference.names`) for every lookup.
Finding these names in text is the extraction's job (`ingest/gazetteer.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ontology.models import QID, ActorType
from reference.names import loose_key, name_key
from reference.outlets import DEFAULT_REGISTRY, Outlet, load_registry

GAZETTEER_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.yaml"
OUTLETS_PATH = DEFAULT_REGISTRY


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    wikidata: str | None = None  # the entity's Wikidata QID, where one is known (kept offline, reference data)

    @property
    def generic(self) -> bool:
        """An unnamed collective ("Chinese AI labs"), as opposed to a named group ("Salt Typhoon")."""
        return self.type is ActorType.Group and self.name.split()[-1].islower()


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    outlets: dict[str, Outlet]
    _norm: dict[str, str] = field(default_factory=dict)
    _loose: dict[str, str] = field(default_factory=dict)
    _outlet_norm: dict[str, str] = field(default_factory=dict)
    _states: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for e in self.entries.values():
            for form in (e.name, *e.aliases):
                self._norm.setdefault(name_key(form), e.id)
                if loose_key(form):
                    self._loose.setdefault(loose_key(form), e.id)
        for o in self.outlets.values():
            for form in (o.name, *o.aliases):
                self._outlet_norm.setdefault(name_key(form), o.id)

    @classmethod
    def load(cls, path: Path = GAZETTEER_PATH, outlets_path: Path = OUTLETS_PATH) -> Gazetteer:
        return _load(str(path), str(outlets_path))

    def lookup(self, name: str) -> Entry | None:
        """The entry a name (or a variant differing in case, punctuation or corporate suffix) denotes."""
        key = self._norm.get(name_key(name))
        if key is None:
            loose = loose_key(name)
            key = self._loose.get(loose) if loose else None
        return self.entries.get(key) if key else None

    def lookup_outlet(self, name: str) -> Outlet | None:
        key = self._outlet_norm.get(name_key(name))
        return self.outlets.get(key) if key else None

    def country_entry(self, code: str | None) -> Entry | None:
        """The state with ISO code `code` (the first Country entry with it: China, not Hong Kong)."""
        if not code:
            return None
        if not self._states:
            for e in self.entries.values():
                if e.type is ActorType.Country and e.country:
                    self._states.setdefault(e.country, e)
        return self._states.get(code)

    def country_id(self, code: str | None) -> str | None:
        e = self.country_entry(code)
        return e.id if e is not None else None


def _qid(row: dict[str, object]) -> str | None:
    value = row.get("wikidata")
    if value is None:
        return None
    if not isinstance(value, str) or not QID.match(value):
        raise ValueError(f"gazetteer entry {row.get('id')!r}: wikidata {value!r} is not a Wikidata QID (Q123)")
    return value


@cache
def _load(path: str, outlets_path: str) -> Gazetteer:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or []
    entries: dict[str, Entry] = {}
    for row in raw:
        e = Entry(
            id=str(row["id"]),
            name=str(row["name"]),
            type=ActorType(row["type"]),
            aliases=tuple(str(a) for a in row.get("aliases") or ()),
            country=row.get("country"),
            parent=row.get("parent"),
            wikidata=_qid(row),
        )
        entries.setdefault(e.id, e)
    outlets = {o.id: o for o in load_registry(Path(outlets_path)).outlets}
    return Gazetteer(entries=entries, outlets=outlets)
