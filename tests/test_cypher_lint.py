"""Every Cypher statement in `kg` passes Neo4j's own linter (Cypher 5) without an error.

Needs Node.js and npm (tools/cypher-lint is `npm ci`-installed on first use); without them the test fails.
"""

from __future__ import annotations

import warnings

import pytest

from kg.cypher_registry import all_statements
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


def test_every_statement_lints_clean() -> None:
    statements = all_statements()
    assert statements, "kg.cypher_registry.all_statements() found no Cypher statement"
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
