#!/usr/bin/env bash
# Command 1 (README): runs the whole system in one process on its embedded default
# (in-memory bus, SQLite, blobs in a folder, all under ./data). Extra arguments go to the server,
# for example: ./run.sh --urls http://0.0.0.0:8080 --Halflife:DataDirectory /srv/halflife
set -euo pipefail
cd "$(dirname "$0")"
if [ -f gateway/web/package.json ] && command -v npm >/dev/null; then
  if [ ! -f gateway/web/dist/index.html ] || [ -n "$(find gateway/web/src gateway/web/index.html -newer gateway/web/dist/index.html 2>/dev/null | head -1)" ]; then
    echo "Building the web UI (gateway/web)..."
    (cd gateway/web && { [ -d node_modules ] || npm install --no-audit --no-fund; } && npm run build)  # npm install: npm 11 here refuses its own lock file in `npm ci`
  fi
fi
# dotnet run starts in the project folder: name ./data (the repository's) explicitly; a later argument overrides it.
exec dotnet run -c Release --project services/Standalone/Halflife.Standalone -- \
  --Halflife:DataDirectory "$PWD/data" --Gateway:WebRoot "$PWD/gateway/web/dist" "$@"
