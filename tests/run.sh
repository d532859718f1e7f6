#!/usr/bin/env bash
# The test command (README): installs what the tests need when it is missing, starts RabbitMQ, PostgreSQL and an
# S3 server on loopback, runs every test of the solution, stops what it started and prints a summary line.
#   tests/run.sh            everything (what CI runs)
#   tests/run.sh --fast     skips suites marked [Trait("Category", "Slow")]
set -uo pipefail
cd "$(dirname "$0")/.."

filter=()
if [ "${1:-}" = "--fast" ]; then filter=(--filter "Category!=Slow"); shift; fi

# shellcheck source=infra/servers.sh
. tests/infra/servers.sh
trap stop_servers EXIT
trap "exit 130" INT TERM
start_servers || { echo "could not start the test servers" >&2; exit 1; }
[ -x tests/infra/prepare.sh ] && tests/infra/prepare.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$(mktemp -d)
# --- web UI ---
# The browser test (tests/Halflife.WebUi.Tests) serves gateway/web/dist: install the UI's locked packages and build it
# when either is missing or older than its sources; then run the UI's unit tests (vitest), counted in the summary.
webui_status=0
if [ -f gateway/web/package.json ]; then
  if command -v npm >/dev/null; then
    (
      cd gateway/web || exit 1
      if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        # Not `npm ci`: npm 11.19 here refuses its own lock file (it lists no entries for other platforms'
        # optional rollup/esbuild binaries). `npm install` installs exactly the locked versions and leaves the lock as is.
        echo "Installing the web UI's packages (npm install from package-lock.json)..."
        npm install --no-audit --no-fund || exit 1
      fi
      if [ ! -f dist/index.html ] || [ -n "$(find src index.html package-lock.json vite.config.ts tsconfig.json -newer dist/index.html 2>/dev/null | head -1)" ]; then
        echo "Building the web UI (npm run build)..."
        npm run build || exit 1
      fi
      echo "Running the web UI's unit tests (vitest)..."
      npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json"
    ) 2>&1 | tee "$results/webui.txt"
    webui_status=${PIPESTATUS[0]}
  else
    echo "npm is missing: the web UI cannot be built or tested" | tee "$results/webui.txt"
    webui_status=1
  fi
fi
# --- web UI ---
dotnet test Microservices.sln -c Release "${filter[@]}" --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/log.txt"
status=${PIPESTATUS[0]}

# The bone-scan simulator's own tests (Python, Debian's python3-* packages).
echo "Running training/tests (python unittest)..."
/usr/bin/python3 -m unittest discover -s training/tests -t . 2>&1 | tee "$results/python.txt"
python_status=${PIPESTATUS[0]}
[ "$python_status" = 0 ] || status=1
# --- web UI ---
[ "$webui_status" = 0 ] || status=1
# --- web UI ---

# One plain summary line over all test projects (dotnet test prints one per project).
/usr/bin/python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0))
    skipped += int(c.get("notExecuted", 0))
import re
text = open(sys.argv[1] + "/python.txt", encoding="utf-8", errors="replace").read()
ran = re.search(r"^Ran (\d+) tests?", text, re.M)
if ran:
    bad = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", text))
    skip = sum(int(n) for n in re.findall(r"skipped=(\d+)", text))
    passed += int(ran.group(1)) - bad - skip; failed += bad; skipped += skip
# --- web UI ---
import json, os
vitest = sys.argv[1] + "/vitest.json"
if os.path.exists(vitest):
    v = json.load(open(vitest, encoding="utf-8"))
    passed += v.get("numPassedTests", 0); failed += v.get("numFailedTests", 0)
    skipped += v.get("numPendingTests", 0) + v.get("numTodoTests", 0)
    if not v.get("success", False) and v.get("numFailedTests", 0) == 0: failed += 1  # a suite that failed to load
elif os.path.exists(sys.argv[1] + "/webui.txt"):
    failed += 1  # the UI could not be installed, built or tested: see its log above
# --- web UI ---
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit "$status"
