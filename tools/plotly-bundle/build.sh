#!/usr/bin/env bash
# Rebuild static/vendor/plotly-pko.min.js (plotly.js with only our trace types) and copy
# plotly's Spanish locale, from the versions pinned in package-lock.json. Needs node and npm;
# the app does not (the built files are committed). Same inputs, same bytes.
set -euo pipefail
cd "$(dirname "$0")"
echo "Installing plotly.js and esbuild as pinned in package-lock.json..."
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node build.js
sha256sum ../../static/vendor/plotly-pko.min.js ../../static/vendor/plotly-locale-es.js
