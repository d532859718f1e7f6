#!/usr/bin/env bash
# Restore benchmark (issue 4, point 8). In one run:
#  (a) end to end: DCMTK storescu C-STOREs a 2-view 256x1024 NM scan over loopback into the embedded default's
#      Ingest + Models + Restore modules in one process (Release; the benchmark's `serve` mode, so that other
#      services' work in progress cannot break or load the measurement);
#      the time until Restore's API lists the restored instance (stored and committed), repeated --count times;
#  (b) inference latency per view (1x1x1024x256) and per scan (2 views in one batch), warm, same thread count:
#      Halflife.Inference (ONNX Runtime C API) and PyTorch (Debian python3-torch) running the SAME weights, which
#      the PyTorch side reads from the ONNX initializers; the outputs are compared.
# Prints a Markdown section; with --write appends it to docs/benchmarks.md.
#   tests/Benchmarks/restore/run.sh [--count 20] [--runs 20] [--threads 1] [--write]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
here="$repo/tests/Benchmarks/restore"
count=20; runs=20; threads=1; write=false
while [ $# -gt 0 ]; do
  case $1 in --count) count=$2; shift 2;; --runs) runs=$2; shift 2;; --threads) threads=$2; shift 2;; --write) write=true; shift;; *) echo "unknown $1"; exit 2;; esac
done
export TCP_NODELAY=1 # DCMTK's Nagle delay would add ~40 ms per C-STORE (see tests/Benchmarks/dicom/run.sh)
for tool in storescu dotnet; do command -v $tool >/dev/null || { echo "missing $tool"; exit 1; }; done
/usr/bin/python3 -c 'import torch, onnx, pydicom, numpy' || { echo "needs Debian python3-torch python3-onnx python3-pydicom python3-numpy"; exit 1; }

work=$(mktemp -d /tmp/halflife-restore-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -sf "$1/health/ready" >/dev/null && return 0; sleep 0.2; done; echo "$1 did not become ready"; return 1; }

echo "Building (Release)..." >&2
dotnet build -c Release "$here/Halflife.Restore.Benchmarks" -v q -nologo >&2

echo "Simulating $count scans..." >&2
/usr/bin/python3 "$here/make_scan.py" "$work/scans" "$count"
# One extra scan warms the host up (model load, first queries) and is not measured.
/usr/bin/python3 "$here/make_scan.py" "$work/warm" 1 11

# (a) End to end, embedded host.
dicom_port=$(free_port); http_port=$(free_port); url="http://127.0.0.1:$http_port"
bench="$here/Halflife.Restore.Benchmarks/bin/Release/net10.0/Halflife.Restore.Benchmarks.dll"
dotnet "$bench" serve --urls "$url" \
  --Halflife:DataDirectory "$work/data" --Ingest:Dicom:Port "$dicom_port" --Ingest:Dicom:Host 127.0.0.1 \
  --Models:ExecutionProvider Cpu --Models:IntraOpNumThreads "$threads" \
  --Logging:LogLevel:Default Warning > "$work/host.out" 2>&1 &
pids+=($!); wait_http "$url"
/usr/bin/python3 "$here/e2e.py" "$url" "$dicom_port" "$work/warm" > /dev/null
e2e=$(/usr/bin/python3 "$here/e2e.py" "$url" "$dicom_port" "$work/scans")
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

# (b) Inference, one runtime after the other (never both at once on the same cores).
model="$repo/models/bone-restore"
csharp=$(dotnet "$bench" "$model" "$work/scans/scan0000.dcm" "$threads" "$runs" "$work/ort.f32")
torch=$(/usr/bin/python3 "$here/torch_bench.py" "$model/bone-restore-v1.onnx" "$work/scans/scan0000.dcm" "$threads" "$runs" "$work/ort.f32")

section=$(/usr/bin/python3 - "$e2e" "$csharp" "$torch" "$count" "$runs" "$threads" <<'PY'
import json, os, subprocess, sys, datetime
e2e, cs, pt = (json.loads(a) for a in sys.argv[1:4])
count, runs, threads = sys.argv[4:7]
load = os.getloadavg()
f = lambda s: f"{s['p50']:.0f} | {s['p95']:.0f}"
print(f"""
## Restore: end-to-end and inference latency ({datetime.date.today()}, {os.cpu_count()} cores, CPU only)

`tests/Benchmarks/restore/run.sh --count {count} --runs {runs} --threads {threads}`. Scan: a simulated whole-body
bone scan (training/bonescan, 2 h view at 50 % counts), NM, 2 frames (anterior, posterior) of 256 x 1024, 16-bit.
Model: {', '.join(e2e['models'])} (models/bone-restore), {threads} intra-op thread(s) everywhere. No GPU was lent to
this run, so there are no GPU rows: the CPU build of ONNX Runtime ships no CUDA provider here, and Debian's
PyTorch is CPU-only. Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the 2-core
machine is shared with other developers' builds: read the numbers as upper bounds).

End to end (Ingest + Models + Restore modules in one process as in the embedded default: in-memory bus, SQLite,
blob folder; Release; {e2e['scans']} scans sent one at a time, each with new UIDs, after one warm-up scan):

| step | p50 ms | p95 ms |
|---|---|---|
| C-STORE answered (storescu start to exit: blob fsynced, catalogue + outbox committed) | {f(e2e['c_store_ms'])} |
| restored instance stored (storescu start to the derived row in GET /api/restore/derived) | {f(e2e['restored_ms'])} |

Inference, warm (2 warm-up runs, then {runs} timed), same weights, same input (counts / mean):

| runtime | provider | input | p50 ms | p95 ms |
|---|---|---|---|---|
| {cs['runtime']} | {cs['provider']} | one view {cs['shape_view']} | {f(cs['view_ms'])} |
| {pt['runtime']} | {pt['provider']} | one view {pt['shape_view']} | {f(pt['view_ms'])} |
| {cs['runtime']} | {cs['provider']} | both views {cs['shape_scan']} | {f(cs['scan_ms'])} |
| {pt['runtime']} | {pt['provider']} | both views {pt['shape_scan']} | {f(pt['scan_ms'])} |

The two runtimes agree: largest absolute difference of the first view's output {pt['max_abs_diff_vs_onnxruntime']:.2e}
(output peak {pt['output_peak']:.1f}).
""")
PY
)
echo "$section"
if $write; then printf '%s\n' "$section" >> "$repo/docs/benchmarks.md"; fi
