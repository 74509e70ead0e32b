"""Every Cypher statement in `kg` and in bench/cypher.py passes Neo4j's own linter (Cypher 5) without an error.

Needs Node.js and npm (tools/cypher-lint is `npm ci`-installed on first use); without them the test fails.
"""

from __future__ import annotations

import importlib
import pkgutil
import warnings

import pytest

import bench.cypher
import kg
from kg.cypher.registry import MODULES, all_statements, statements_of
from tests.cypher_lint import errors, lint


def _describe(diagnostic: dict) -> str:
    return f"{diagnostic['line']}:{diagnostic['column']} {diagnostic['severity']}: {diagnostic['message']}"


def test_linter_is_real() -> None:
    """The linter reports syntax, semantic, parameter and function errors, and passes a valid statement."""
    result = lint(
        {
            "syntax": "MATCH (n RETURN n",
            "semantic": "MATCH (n) RETURN m",  # semantic analysis swallows its own crashes: prove it runs
            "undeclared_parameter": "MATCH (n:Actor {id: $id}) RETURN n",
            "unknown_function": "MATCH (n) RETURN distance(n.a, n.b)",  # removed in Neo4j 5
            "valid": "MATCH (n:Actor {id: $id}) RETURN n",
        },
        params={"undeclared_parameter": [], "valid": ["id"]},
    )
    for name in ("syntax", "semantic", "undeclared_parameter", "unknown_function"):
        assert errors(result[name]), f"{name}: expected an error, got {result[name]}"
    assert "Variable `m` not defined" in " ".join(d["message"] for d in result["semantic"])
    assert result["valid"] == [], result["valid"]


def _statements() -> dict[str, str]:
    """The product's statements and the benchmark's (registered apart: bench/ is not in the `kg` package)."""
    return {**all_statements(), **statements_of([bench.cypher], root="")}


def test_every_statement_constant_is_registered() -> None:
    """A `*_CYPHER` constant of any `kg` module (or of bench/cypher.py) left out of the registry would escape
    the lint: none is, and no statement of bench/ is in the product package."""
    registered = set(map(id, _statements().values()))
    modules = [importlib.import_module(info.name) for info in pkgutil.walk_packages(kg.__path__, prefix="kg.")]
    missed = sorted(f"{module.__name__}.{name}" for module in (*modules, bench.cypher)
                    for name, value in vars(module).items()
                    if name.endswith("_CYPHER") and isinstance(value, str) and id(value) not in registered)
    assert not missed, f"statements missing from kg/cypher/registry.py MODULES or their STATEMENTS: {missed}"
    assert set(MODULES) <= set(modules) and bench.cypher not in modules


def test_every_statement_lints_clean() -> None:
    statements = _statements()
    assert statements, "the Cypher registry found no statement"
    assert any(name.startswith("bench.cypher.") for name in statements), "bench/cypher.py is not linted"
    blank = sorted(name for name, text in statements.items() if not text.strip())
    assert not blank, f"blank Cypher statements: {blank}"

    result = lint(statements)

    failures = []
    notes = []
    for name in sorted(statements):
        bad = errors(result[name])
        if bad:
            lines = "\n".join(f"    {_describe(d)}" for d in bad)
            text = "\n".join(f"      | {line}" for line in statements[name].strip().splitlines())
            failures.append(f"{name}:\n{lines}\n{text}")
        notes += [f"{name} {_describe(d)}" for d in result[name] if d not in bad]
    if notes:
        warnings.warn("Cypher lint, non-errors:\n" + "\n".join(notes), UserWarning, stacklevel=1)
    if failures:
        pytest.fail(
            f"{len(failures)} of {len(statements)} Cypher statements have lint errors:\n\n" + "\n\n".join(failures),
            pytrace=False,
        )
