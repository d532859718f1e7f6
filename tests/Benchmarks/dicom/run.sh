#!/usr/bin/env bash
# C-STORE throughput benchmark (issue: DICOM). DCMTK storescu pushes the same N instances over loopback, in one
# association, to (a) our Ingest SCP with durable storage (embedded default: SQLite catalogue + blob folder, each
# instance committed before Success), (b) Orthanc from Debian, (c) DCMTK storescp writing files. Same run, same
# files, one target at a time. Prints a Markdown table; with --write appends it to docs/benchmarks.md.
#   tests/Benchmarks/dicom/run.sh [--count 2000] [--source ../shared/data/dicom/CT_small.dcm] [--write]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
count=2000; warmup=200; source_file="$repo/../shared/data/dicom/CT_small.dcm"; write=false
while [ $# -gt 0 ]; do
  case $1 in --count) count=$2; shift 2;; --source) source_file=$2; shift 2;; --write) write=true; shift;; *) echo "unknown $1"; exit 2;; esac
done
# DCMTK keeps Nagle's algorithm on unless told otherwise; with it every C-STORE waits for a delayed ACK (~40 ms) and
# all three targets measure TCP timers instead of storage. Our SCP and Orthanc set TCP_NODELAY themselves.
export TCP_NODELAY=1
for tool in storescu storescp dcmodify Orthanc; do command -v $tool >/dev/null || { echo "missing $tool (Debian dcmtk, orthanc)"; exit 1; }; done

work=$(mktemp -d /tmp/halflife-dicom-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open"; return 1; }

echo "Preparing $count instances (+ $warmup for warm-up) from $(basename "$source_file")..." >&2
mkdir -p "$work/in" "$work/warm"
for i in $(seq 1 "$count"); do cp "$source_file" "$work/in/$i.dcm"; done
for i in $(seq 1 "$warmup"); do cp "$source_file" "$work/warm/$i.dcm"; done
# New Study/Series/SOP Instance UIDs per file, so every target stores distinct instances.
for folder in in warm; do (cd "$work/$folder" && find . -name '*.dcm' -print0 | xargs -0 -n 200 dcmodify -nb -gin -gse -gst -q); done
bytes=$(du -cb "$work"/in/*.dcm | tail -1 | cut -f1)

push() { # label port aet
  local start end
  # Steady state, as BenchmarkDotNet would measure it: a warm-up association first (JIT, caches, files), not timed.
  storescu -aet BENCH -aec "$3" +sd -R 127.0.0.1 "$2" "$work/warm" >"$work/$1.warm.log" 2>&1 || { echo "warm-up to $1 failed"; return 1; }
  start=$(date +%s.%N)
  storescu -aet BENCH -aec "$3" +sd -R 127.0.0.1 "$2" "$work/in" >"$work/$1.log" 2>&1 || { echo "storescu to $1 failed:"; tail -5 "$work/$1.log"; return 1; }
  end=$(date +%s.%N)
  /usr/bin/python3 -c "import sys; t=$end-$start; n=$count; b=$bytes; print(f'| {sys.argv[1]} | {n} | {t:.1f} | {n/t:.0f} | {b/t/1e6:.1f} |')" "$1"
}

# (a) Ingest (Release build of the embedded host).
# The Ingest service on its own, as deployed (its consumers run in other processes): SQLite catalogue + blob folder.
dotnet build -c Release "$repo/services/Ingest/Halflife.Ingest.Host" -v q -nologo >&2
ingest_port=$(free_port); http_port=$(free_port)
dotnet "$repo/services/Ingest/Halflife.Ingest.Host/bin/Release/net10.0/Halflife.Ingest.Host.dll" --urls "http://127.0.0.1:$http_port" \
  --Halflife:DataDirectory "$work/ingest" --Ingest:Dicom:Port "$ingest_port" --Ingest:Dicom:Host 127.0.0.1 \
  --Logging:LogLevel:Default Warning > "$work/ingest.out" 2>&1 &
pids+=($!); wait_port "$ingest_port"; sleep 2

# (b) Orthanc with a private configuration.
orthanc_port=$(free_port); orthanc_http=$(free_port); mkdir -p "$work/orthanc"
cat > "$work/orthanc.json" <<JSON
{ "Name": "bench", "StorageDirectory": "$work/orthanc", "IndexDirectory": "$work/orthanc", "DicomAet": "ORTHANC",
  "DicomPort": $orthanc_port, "HttpPort": $orthanc_http, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
  "DicomCheckCalledAet": false, "StorageCompression": false, "Plugins": [] }
JSON
Orthanc "$work/orthanc.json" > "$work/orthanc.out" 2>&1 &
pids+=($!); wait_port "$orthanc_port"

# (c) storescp writing files.
scp_port=$(free_port); mkdir -p "$work/storescp"
storescp --output-directory "$work/storescp" -aet STORESCP "$scp_port" > "$work/storescp.out" 2>&1 &
pids+=($!); wait_port "$scp_port"

table="| target | instances | seconds | instances/s | MB/s |
|---|---|---|---|---|
$(push "Halflife Ingest (SQLite + blob folder, commit before Success)" "$ingest_port" HALFLIFE)
$(push "Orthanc $(Orthanc --version 2>/dev/null | head -1 | awk '{print $NF}') (Debian)" "$orthanc_port" ORTHANC)
$(push "DCMTK storescp (files only)" "$scp_port" STORESCP)"

stored=$(find "$work/ingest/blobs/ingest" -name '*.dcm' | wc -l)
[ "$stored" = "$((count + warmup))" ] || { echo "Ingest stored $stored of $count instances"; exit 1; }

section="
## DICOM C-STORE throughput ($(date -u +%Y-%m-%d), $(nproc) cores)

\`tests/Benchmarks/dicom/run.sh --count $count\`: DCMTK storescu pushes $count copies of $(basename "$source_file")
($((bytes / count)) bytes each, new UIDs per copy) in one association over loopback to each target in turn, in the same run,
after an untimed warm-up association of $warmup other instances to each target.

$table
"
echo "$section"
if $write; then printf '%s' "$section" >> "$repo/docs/benchmarks.md"; fi
