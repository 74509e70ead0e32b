#!/usr/bin/env bash
# Refresh the vendored TimelineJS (app/vendor/timelinejs/) from npm: the one pinned release, checked against the
# registry's integrity hash. Only the files the story view needs are kept: timeline.js, timeline.css, the icon
# font (woff2; the page inlines it) and the licence. Not run by setup: the files are committed, so a fresh clone
# needs no npm. Run it by hand to move to another release, then update VERSION below and in the README there.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.9.11
dest=app/vendor/timelinejs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "@knight-lab/timelinejs@$VERSION" --silent >/dev/null && tar xzf ./*.tgz)
mkdir -p "$dest"
cp "$tmp/package/dist/js/timeline.js" "$tmp/package/dist/css/timeline.css" \
   "$tmp/package/dist/css/icons/tl-icons.woff2" "$tmp/package/LICENSE" "$dest/"
(cd "$dest" && sha256sum timeline.js timeline.css tl-icons.woff2)
