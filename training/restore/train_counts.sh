#!/bin/sh
# Reproduces models/bone-denoise-counts (count restoration: noise removal only): simulate, train on the CPU (from the
# bone-restore weights in training/runs when training/train.sh has left them there), export ONNX, verify, evaluate,
# write the card. Extra arguments go to training.train_counts (for example: --steps 3000 --max-minutes 60).
set -eu
cd "$(dirname "$0")/../.."
exec nice -n 10 /usr/bin/python3 -m training.train_counts "$@"
