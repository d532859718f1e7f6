#!/usr/bin/env bash
# Command 2 (README): every test, with the servers they need installed and started on loopback.
exec "$(dirname "$0")/tests/run.sh" "$@"
