#!/bin/sh
# Reproduces models/bone-restore: simulate, train (CPU), export ONNX, verify, evaluate, write the card.
# Extra arguments go to training.train (for example: --steps 3000 --max-minutes 60).
set -eu
cd "$(dirname "$0")/.."
exec nice -n 10 /usr/bin/python3 -m training.train "$@"
