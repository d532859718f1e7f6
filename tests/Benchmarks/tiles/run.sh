#!/usr/bin/env bash
# Deep Zoom tile serving: Halflife.Imaging (through a minimal Kestrel host) against the example
# server that ships with Debian's python3-openslide, same slide, same shuffled request sequence,
# same number of concurrent clients. Prints one markdown table (cold pass, then warm passes).
#
# usage: tests/Benchmarks/tiles/run.sh [slide-file] [concurrency] [warm-passes]
# needs: python3-openslide, python-openslide-examples, python3-flask (tests/infra/packages/imaging.apt)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
data="${HALFLIFE_SHARED_DATA:-$repo/../shared/data}"
slide="$(readlink -f "${1:-$data/wsi/cmu-1-small-region.svs}")"
concurrency="${2:-8}"
warm_passes="${3:-3}"
ours_port=5080
python_port=5081
example=/usr/share/doc/python-openslide-examples/examples/deepzoom/deepzoom_server.py

[[ -f "$slide" ]] || { echo "slide not found: $slide" >&2; exit 1; }
[[ -f "$example" ]] || { echo "missing $example: apt-get install python-openslide-examples python3-flask" >&2; exit 1; }

project="$here/Halflife.Benchmarks.Tiles/Halflife.Benchmarks.Tiles.csproj"
dotnet build -c Release "$project" -nologo -v quiet >&2
bin="$(dirname "$project")/bin/Release/net10.0/Halflife.Benchmarks.Tiles.dll"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { # url
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "server did not answer: $1" >&2; exit 1
}

slides_dir="$(mktemp -d)"
ln -s "$slide" "$slides_dir/bench$(basename "$slide" | sed 's/^[^.]*//')"

echo "slide: $(basename "$slide"), clients: $concurrency, warm passes: $warm_passes, cpus: $(nproc), $(date -u +%FT%TZ)"
echo
echo "| server | pass | clients | requests | tiles/s | p50 ms | p99 ms | errors | mean KiB |"
echo "|---|---|---|---|---|---|---|---|---|"

# Python reference first, alone on the machine.
/usr/bin/python3 "$example" -l 127.0.0.1 -p "$python_port" "$slide" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$python_port/slide.dzi"
dotnet "$bin" drive --base "http://127.0.0.1:$python_port/slide" --concurrency "$concurrency" --warm-passes "$warm_passes" --label "python deepzoom_server"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

dotnet "$bin" serve --slides "$slides_dir" --port "$ours_port" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ours_port/dzi/bench.dzi"
dotnet "$bin" drive --base "http://127.0.0.1:$ours_port/dzi/bench" --concurrency "$concurrency" --warm-passes "$warm_passes" --label "Halflife.Imaging"
rm -rf "$slides_dir"
