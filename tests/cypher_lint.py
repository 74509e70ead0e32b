"""Runs Neo4j's own Cypher linter (tools/cypher-lint, npm @neo4j-cypher/language-support) under Node.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from kg.cypher.registry import parameters as query_parameters

ROOT = Path(__file__).resolve().parents[1]
LINTER_DIR = ROOT / "tools" / "cypher-lint"
SCRIPT = LINTER_DIR / "lint.mjs"
PACKAGE = "@neo4j-cypher/language-support"


class LinterUnavailable(RuntimeError):
    """Node.js/npm missing, or the linter could not be installed or run."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LinterUnavailable(
            f"`{name}` is not on PATH: the Cypher lint needs Node.js (>= 20) and npm to run {PACKAGE} "
            f"(installed from {LINTER_DIR / 'package-lock.json'})."
        )
    return path


def _installed() -> bool:
    """node_modules holds exactly the version package.json pins."""
    wanted = json.loads((LINTER_DIR / "package.json").read_text())["dependencies"][PACKAGE]
    installed = LINTER_DIR / "node_modules" / PACKAGE / "package.json"
    return installed.is_file() and json.loads(installed.read_text()).get("version") == wanted


def ensure_linter() -> Path:
    """Path of the lint script, after `npm ci` if node_modules is missing or stale."""
    _tool("node")
    if not _installed():
        npm = _tool("npm")
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=LINTER_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0 or not _installed():
            raise LinterUnavailable(
                f"`npm ci` in {LINTER_DIR} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
    return SCRIPT


def lint(
    statements: Mapping[str, str],
    labels: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    property_keys: Iterable[str] | None = None,
    params: Mapping[str, Iterable[str]] | None = None,
    catalogue: bool = True,
) -> dict[str, list[dict]]:
    """name -> diagnostics ({severity, message, line, column, deprecated, source}), one node run for all.

    `params` (name -> `$param` names) defaults to the names each statement uses, so only genuinely malformed
    parameters are reported. Unknown labels/types/properties are warnings and only checked when given (labels
    and types need both lists). `catalogue` checks functions/procedures against Neo4j 5 (+APOC, GDS).
    """
    script = ensure_linter()
    if params is None:
        params = {name: query_parameters(text) for name, text in statements.items()}
    request: dict[str, object] = {
        "statements": dict(statements),
        "parameters": {name: list(p) for name, p in params.items()},
        "catalogue": catalogue,
    }
    for key, value in (("labels", labels), ("relationshipTypes", rel_types), ("propertyKeys", property_keys)):
        if value is not None:
            request[key] = sorted(set(value))
    done = subprocess.run(
        [_tool("node"), str(script)],
        cwd=LINTER_DIR,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise LinterUnavailable(f"{script} failed ({done.returncode}):\n{done.stderr}")
    result: dict[str, list[dict]] = json.loads(done.stdout)
    missing = set(statements) - set(result)
    if missing:
        raise LinterUnavailable(f"{script} returned no result for {sorted(missing)}")
    return result


def errors(diagnostics: list[dict]) -> list[dict]:
    return [d for d in diagnostics if d["severity"] == "error"]
