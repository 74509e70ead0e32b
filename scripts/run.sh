#!/usr/bin/env bash
# The main job: set up, start the local graph server, ingest the sample corpus, open the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
kg server start --schema
if kg --help | grep -q " ingest"; then
  kg ingest data/samples/articles.jsonl  # the 45 development articles (data/samples/README.md)
fi
kg server status
if kg --help | grep -q " app"; then
  exec kg app
fi
