#!/usr/bin/env bash
# Whole-slide segmentation benchmark (issue 6, point 6). In one run, on CPU, for ../shared/data/wsi/cmu-1-small-region.svs:
#  the pipeline (Halflife.Segmentation's SegmentationRunner: tissue detection, background tiles skipped, the next batch
#  read and preprocessed while the current one is inferred, blended 256 px blocks) at each batch size, and the
#  prototype's plain loop (every tile, read -> preprocess -> run batch 1 -> write, nothing overlapped or skipped),
#  same model, same session, same thread count. Model: models/he-tumour-seg when it is there, else a stand-in of the
#  same contract with random weights (make_bench_model.py).
# Prints a Markdown section; with --write appends it to docs/benchmarks.md.
#   tests/Benchmarks/segmentation/run.sh [--threads 1] [--repeats 3] [--batches 1,4,8,16] [--write]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
here="$repo/tests/Benchmarks/segmentation"
threads=1; repeats=3; batches=1,4,8,16; write=false
while [ $# -gt 0 ]; do
  case $1 in --threads) threads=$2; shift 2;; --repeats) repeats=$2; shift 2;; --batches) batches=$2; shift 2;; --write) write=true; shift;; *) echo "unknown $1"; exit 2;; esac
done
data=${HALFLIFE_SHARED_DATA:-$repo/../shared/data}
slide="$data/wsi/cmu-1-small-region.svs"
[ -f "$slide" ] || { echo "missing $slide"; exit 1; }

work=$(mktemp -d /tmp/halflife-segmentation-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
model_dir="$repo/models/he-tumour-seg"
if [ -f "$model_dir/model.onnx" ] && [ -f "$model_dir/card.json" ]; then
  onnx="$model_dir/model.onnx"; card="$model_dir/card.json"; stand_in=false
else
  /usr/bin/python3 -c 'import onnx, numpy' || { echo "needs Debian python3-onnx python3-numpy for the stand-in model"; exit 1; }
  /usr/bin/python3 "$here/make_bench_model.py" "$work/model"
  onnx="$work/model/model.onnx"; card="$work/model/card.json"; stand_in=true
fi

echo "Building (Release)..." >&2
dotnet build -c Release "$here/Halflife.Segmentation.Benchmarks" -v q -nologo >&2
bench="$here/Halflife.Segmentation.Benchmarks/bin/Release/net10.0/Halflife.Segmentation.Benchmarks.dll"
result=$(dotnet "$bench" "$onnx" "$card" "$slide" "$threads" "$repeats" "$batches")

section=$(/usr/bin/python3 - "$result" "$stand_in" "$threads" "$repeats" "$batches" <<'PY'
import json, os, sys, datetime
r = json.loads(sys.argv[1]); stand_in = sys.argv[2] == "true"; threads, repeats, batches = sys.argv[3:6]
load = os.getloadavg()
best = min(r["pipeline"], key=lambda p: p["seconds"])
plain = r["plain"]
model = (f"{r['model']}, a stand-in with random weights and the bundled model's contract (tests/Benchmarks/segmentation/"
         f"make_bench_model.py: 3x3 convs 3-16-16-16 + 1x1, 256 px tiles at 1 µm/px, overlap 32), because "
         f"models/he-tumour-seg was not in the tree" if stand_in else f"{r['model']} (models/he-tumour-seg)")
rows = "\n".join(
    f"| pipeline, batch {p['batch']} | {p['seconds']:.2f} | {p['cpu_seconds']:.2f} | {p['tiles_inferred']} of {p['tiles_total']} "
    f"({p['tiles_skipped']} skipped) | {p['inferred_tiles_per_second']:.1f} | {p['slide_tiles_per_second']:.1f} | "
    f"{p['first_block_seconds']:.2f} / {p['first_inferred_block_seconds']:.2f} |" for p in r["pipeline"])
stages = ", ".join(f"{k} {v:.2f}" for k, v in best["stages"].items())
plain_stages = ", ".join(f"{k} {v:.2f}" for k, v in plain["stages"].items())
print(f"""
## Whole-slide segmentation ({datetime.date.today()}, {os.cpu_count()} cores, CPU only)

`tests/Benchmarks/segmentation/run.sh --threads {threads} --repeats {repeats} --batches {batches}`. Slide:
{r['slide']} ({r['slide_size']} px, 0.499 µm/px, real H&E with white background). Model: {model}.
ONNX Runtime CPU, {threads} intra-op thread(s) in every row; the pipeline reads tiles on a second thread while the
model runs (that overlap is part of its design), the plain loop does one thing at a time. Median of {repeats} runs
after one untimed warm-up, all in one process, one configuration after the other. No GPU row: the CPU build of ONNX
Runtime here ships no CUDA provider. Load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 cores
shared with other developers' builds: read the times as upper bounds).

| approach | whole slide s | CPU s | tiles inferred | inferred tiles/s | slide tiles/s | first block / first model block s |
|---|---|---|---|---|---|---|
{rows}
| plain loop (prototype), batch 1, no tissue skip | {plain['seconds']:.2f} | {plain['cpu_seconds']:.2f} | {plain['tiles']} of {plain['tiles']} | {plain['tiles_per_second']:.1f} | {plain['tiles_per_second']:.1f} | - (map written at the end) |

Best batch size {best['batch']}: {plain['seconds'] / best['seconds']:.1f}x faster than the plain loop for the whole slide
({best['seconds']:.2f} s vs {plain['seconds']:.2f} s), using {best['cpu_seconds'] / plain['cpu_seconds']:.2f}x its processor time ("CPU s": all threads
of the process, the work done whatever the load). "Slide tiles/s" counts every tile of the slide (skipped background
included) per second of the whole job. Where the time goes (seconds, summed over the run; in the pipeline reading
overlaps inference): pipeline batch {best['batch']}: {stages}; plain loop: {plain_stages}.
""")
PY
)
echo "$section"
if $write; then printf '%s\n' "$section" >> "$repo/docs/benchmarks.md"; fi
