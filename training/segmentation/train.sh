#!/bin/sh
# Reproduces models/he-tumour-seg: simulate H&E tiles, train (CPU), export ONNX, verify, evaluate on
# held-out simulated tiles, run on the real slide in ../shared/data (if present), write the card.
# Extra arguments go to training.segmentation.train (for example: --max-minutes 40 --threads 2).
set -eu
cd "$(dirname "$0")/../.."
exec nice -n 10 /usr/bin/python3 -m training.segmentation.train "$@"
