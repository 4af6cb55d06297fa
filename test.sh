#!/usr/bin/env bash
# Run the test suite: every chapter notebook under nbdev_test (smoke profile), on a fresh
# machine too (sets up .venv first). Extra arguments go to nbdev_test, e.g. --flags slow,
# --path nbs/00_core.ipynb.
set -uo pipefail
cd "$(dirname "$0")"
source tools/env.sh
sparsediff_env || exit 1
sparsediff_link_data
sparsediff_get_data
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
export MPLBACKEND=Agg PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning}"
exec python tools/run_tests.py "$@"
