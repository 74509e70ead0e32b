"""Every Cypher statement the project sends, collected from the `kg` package (for the Cypher lint test).

Convention: a statement is a module-level `str` constant whose name ends in `_CYPHER`, assigned in a module of
`kg` (not merely imported into it); generated statements (DDL) come from a module-level function
`cypher_statements() -> dict[str, str]`. Keys are "module.NAME" and "module.key", module relative to `kg`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from types import ModuleType

import kg

SUFFIX = "_CYPHER"

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


def _kg_modules() -> list[ModuleType]:
    modules = []
    for info in sorted(pkgutil.walk_packages(kg.__path__, prefix="kg."), key=lambda i: i.name):
        modules.append(importlib.import_module(info.name))  # import errors propagate: nothing is skipped
    return modules


def _assigned_names(module: ModuleType) -> set[str] | None:
    """Names bound by assignment at module level (not by import); None when the source is unavailable."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def all_statements() -> dict[str, str]:
    """name -> Cypher text, for every statement in the `kg` package."""
    out: dict[str, str] = {}

    def add(key: str, text: object) -> None:
        if not isinstance(text, str):
            raise TypeError(f"{key}: expected a str of Cypher, got {type(text).__name__}")
        if key in out:
            raise ValueError(f"{key}: defined twice")
        out[key] = text

    for module in _kg_modules():
        short = module.__name__.removeprefix("kg.")
        assigned = _assigned_names(module)
        for name, value in vars(module).items():
            if name.endswith(SUFFIX) and isinstance(value, str) and (assigned is None or name in assigned):
                add(f"{short}.{name}", value)
        generator = getattr(module, "cypher_statements", None)
        if callable(generator) and getattr(generator, "__module__", None) == module.__name__:
            generated = generator()
            if not isinstance(generated, dict):
                raise TypeError(f"{module.__name__}.cypher_statements() must return a dict, got {type(generated)}")
            for key, text in generated.items():
                add(f"{short}.{key}", text)
    return out
