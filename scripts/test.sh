#!/usr/bin/env bash
# Set up everything the tests need, then lint, type-check and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser tests use Debian's Chromium (no browser download at test time).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# Neo4j's own Cypher linter, from npm, into an ignored folder.
if [ ! -d tools/cypher-lint/node_modules ]; then
  (cd tools/cypher-lint && npm ci --no-audit --no-fund --silent)
fi
.venv/bin/ruff check kg ingest app ontology tests bench jobs kgcli reference intake
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/python -m pytest -q "$@"
