"""Every Cypher statement the product sends, from an explicit list of modules (for the Cypher lint test).

Each module in `MODULES` exposes `STATEMENTS: dict[str, str]` (name -> Cypher text); keys of `all_statements`
are "<module>.<name>", module relative to `kg`. A new statement module is added to `MODULES` by hand; the
benchmark's statements (bench/cypher.py) are registered the same way and linted by the same test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import ModuleType

from kg import db
from kg.cypher import curation, ddl, export, history, links, reads, writes

# Every module of `kg` that sends Cypher: the cypher package's, and the connection checks in kg/db.py.
MODULES: tuple[ModuleType, ...] = (ddl, writes, reads, export, history, curation, links, db)

# Comments, string literals and backticked names are matched (and skipped) so a `$` inside them is not a
# parameter; only the last alternatives are parameters: $name, $`quoted name`, $0.
_TOKENS = re.compile(
    r"""
      //[^\n]*
    | /\*.*?(?:\*/|\Z)
    | '(?:[^'\\]|\\.)*(?:'|\Z)
    | "(?:[^"\\]|\\.)*(?:"|\Z)
    | `(?:[^`]|``)*(?:`|\Z)
    | \$(?:`(?P<quoted>(?:[^`]|``)+)`|(?P<name>[^\W\d]\w*|\d+))
    """,
    re.VERBOSE | re.DOTALL,
)


def parameters(query: str) -> list[str]:
    """The `$param` names `query` uses, in order of first use, without duplicates."""
    found: dict[str, None] = {}
    for match in _TOKENS.finditer(query):
        if match["quoted"] is not None:
            found[match["quoted"].replace("``", "`")] = None
        elif match["name"] is not None:
            found[match["name"]] = None
    return list(found)


def statements_of(modules: Iterable[ModuleType], root: str = "kg") -> dict[str, str]:
    """name -> Cypher text for the `STATEMENTS` of each module; a name defined twice or a non-str raises."""
    out: dict[str, str] = {}
    for module in modules:
        short = module.__name__.removeprefix(f"{root}.")
        statements = getattr(module, "STATEMENTS", None)
        if not isinstance(statements, dict):
            raise TypeError(f"{module.__name__}: expected a STATEMENTS dict, got {type(statements).__name__}")
        for name, text in statements.items():
            key = f"{short}.{name}"
            if not isinstance(text, str):
                raise TypeError(f"{key}: expected a str of Cypher, got {type(text).__name__}")
            if key in out:
                raise ValueError(f"{key}: defined twice")
            out[key] = text
    return out


def all_statements() -> dict[str, str]:
    """name -> Cypher text, for every statement of the `kg` package."""
    return statements_of(MODULES)
