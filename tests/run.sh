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
dotnet test Microservices.sln -c Release "${filter[@]}" --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/log.txt"
status=${PIPESTATUS[0]}

# The bone-scan simulator's own tests (Python, Debian's python3-* packages).
echo "Running training/tests (python unittest)..."
/usr/bin/python3 -m unittest discover -s training/tests -t . 2>&1 | tee "$results/python.txt"
python_status=${PIPESTATUS[0]}
[ "$python_status" = 0 ] || status=1

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
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit "$status"
