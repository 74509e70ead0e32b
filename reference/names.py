"""The one name normaliser of the reference data: how two spellings of a name are found to be the same.

`normality` (from the OpenSanctions family, maintained) does the Unicode work: it transliterates any
script to ASCII, folds case and turns punctuation into spaces. Before it: a possessive 's goes, "&" reads
"and" and dots close up (U.S. = US); after it, a leading "the" goes.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from pathlib import Path

import yaml
from normality import normalize
from normality.transliteration import ICUWarning

# Without PyICU, normality falls back to text-unidecode and says so once per process; that fallback is what we
# want. Filtered once here, not with catch_warnings per call: that swaps the process-wide filters on every
# lookup, which is slow on a hot path and not thread-safe (the graph writer's thread resolves outlets too).
warnings.filterwarnings("ignore", category=ICUWarning)

_POSSESSIVE = re.compile(r"['’]s\b")
_CORP_SUFFIXES = frozenset({"inc", "incorporated", "corp", "corporation", "co", "ltd", "limited", "plc", "pbc",
                            "llc", "group", "holding", "holdings", "sa", "ag", "gmbh", "nv", "bv"})


def name_key(name: str) -> str:
    """Case-, accent-, script- and punctuation-insensitive form of a name, without a leading "the"."""
    s = _POSSESSIVE.sub("", name.replace("&", " and ").replace(".", ""))
    s = normalize(s, lowercase=True, ascii=True) or ""
    toks = s.lower().split()  # transliterated text comes back in its own case
    if toks and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


def loose_key(name: str) -> str:
    """`name_key` without corporate suffixes: "Alibaba Group Holding Ltd" and "Alibaba" share one."""
    return " ".join(t for t in name_key(name).split() if t not in _CORP_SUFFIXES)


INSTITUTION_WORDS = Path(__file__).resolve().parent / "data" / "institution_words.yaml"


@cache
def _institution_phrases(path: str = str(INSTITUTION_WORDS)) -> list[tuple[list[str], str]]:
    """(phrase words, class) of the interchangeable institution words, longest phrase first."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out: list[tuple[list[str], str]] = []
    for section in ("heads", "remits"):
        for cls, phrases in (data.get(section) or {}).items():
            out += [(name_key(p).split(), f"<{cls}>") for p in phrases]
    return sorted(out, key=lambda pc: -len(pc[0]))


def descriptive_key(name: str) -> str:
    """`loose_key` with the interchangeable words of institution names (reference/data/institution_words.yaml)
    replaced by their class: "Irish data protection authority" and "Irish Data Protection Commission" both give
    "irish <privacy> <regulator>". A name without such words keeps its loose key."""
    words = loose_key(name).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, cls in _institution_phrases():
            if words[i : i + len(phrase)] == phrase:
                out.append(cls)
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)
