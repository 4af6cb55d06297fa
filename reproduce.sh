#!/usr/bin/env bash
# The main job: run every chapter with papermill at the default profile (gpu when CUDA is
# available, else cpu), write figures/<chapter>/ and figures/REPORT.md. Sets up .venv first.
# Extra arguments go to `sparsediff-reproduce` (see --help): --profile, --only, --resume, --publish,
# --allow-skips, --threads. A chapter replaces figures/<chapter>/ only when it succeeds; SIGINT and
# SIGTERM stop the running kernel and leave figures/ and figures/REPORT.md consistent (exit 130 / 143).
# With --publish, the front page's table of what each chapter found (tools/chapter_table.py) and README.md are
# regenerated from the published claims afterwards.
set -uo pipefail
cd "$(dirname "$0")"
source tools/env.sh
sparsediff_env || exit 1
sparsediff_link_data
sparsediff_get_data
export MPLBACKEND=Agg
sparsediff-reproduce "$@"; rc=$?
# a published run changes figures/: the front page's table of findings (and README.md) follow it
case " $* " in *" --publish "*) python tools/chapter_table.py && python tools/sync_readme.py >/dev/null ;; esac
exit $rc
