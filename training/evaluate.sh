#!/bin/sh
# Reproduces the evaluation table of docs/restoration.md ("Evaluation"): exports the simulated tuning and held-out
# views (training/restore/export_eval.py), then runs the C# command halflife-evaluate (services/Evaluation) on them and
# on any real NM files given with --real FILE (thinned to 50 % and 25 %), with both Restore models (bone-restore and
# bone-denoise-counts). Extra arguments go to halflife-evaluate,
# e.g. --tune (re-tune on training views), --write-doc docs/restoration.md, --real scan.dcm.
set -eu
cd "$(dirname "$0")/.."
EXPORT="${HALFLIFE_EVAL_DIR:-training/runs/eval}"
# Re-export when the views are missing or predate the thinned 4 h inputs ("late") or the expected counts.
if [ ! -f "$EXPORT/manifest.json" ] || ! grep -q '"expected_2h"' "$EXPORT/manifest.json"; then
  nice -n 10 /usr/bin/python3 -m training.restore.export_eval --out "$EXPORT"
fi
exec nice -n 10 dotnet run -c Release --project services/Evaluation/Halflife.Evaluation -- --simulated "$EXPORT" "$@"
