#!/usr/bin/env bash
# Build the book: the front page, every chapter in reading order (its committed outputs, never
# re-executed), the API reference of each module and the reproduction report, as static HTML in
# _site/ (open _site/index.html). Math is typeset by MathJax served from _site itself: no page loads
# anything from the network. On a fresh machine it first sets up .venv-docs (pinned versions from
# requirements-docs.lock; no torch) and MathJax (npm registry, pinned by version and checksum);
# once set up, a rebuild takes seconds.
#
#   ./docs.sh            build _site/
#   ./docs.sh --check    build, then open every page in headless Chromium (tools/check_site.py;
#                        also the self-tests of tools/book.py and of the check itself);
#                        installs Debian's chromium first if it is missing and apt-get can run
#   ./docs.sh --clean    remove _site/ and _book/ first (a full rebuild)
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
VENV="${SPARSEDIFF_DOCS_VENV:-$ROOT/.venv-docs}"
MATHJAX_VERSION=3.2.2
MATHJAX_SHA512=06df9249553c7811b6ef30a155ec0e89c62ced7b1db78d2a9b8f94a47c97ee4d3f3bd36588f73ec7bee4d7f144b0fb2328f64626fb5164cd6f3be81e5b43a11b
check=0 clean=0
for a in "$@"; do
  case "$a" in
    --check) check=1 ;;
    --clean) clean=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "docs.sh: unknown option $a (allowed: --check, --clean, --help)" >&2; exit 2 ;;
  esac
done
t0=$SECONDS

# 1. the docs environment, once per change of requirements-docs.lock
want="$(cat requirements-docs.lock; echo "mathjax $MATHJAX_VERSION")"
want="$(printf '%s' "$want" | sha256sum | cut -d' ' -f1)"
stamp="$VENV/.docs-stamp"
if ! [ -x "$VENV/bin/python" ] || ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[docs] setting up $VENV ..." >&2
  py="${PYTHON:-python3}"
  "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || { echo "[docs] needs Python >= 3.11 (Sphinx 9); set PYTHON=/path/to/python3.11" >&2; exit 1; }
  [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --no-deps -r requirements-docs.lock > "$VENV/pip-install.log" 2>&1 \
    || { grep -v "is ignored" "$VENV/pip-install.log" >&2; echo "[docs] pip install failed" >&2; exit 1; }
  "$VENV/bin/python" -m pip check >&2 || { echo "[docs] pip check failed" >&2; exit 1; }
  "$VENV/bin/python" -c "import sphinx, myst_nb, sphinx_book_theme, playwright" \
    || { echo "[docs] the docs environment is incomplete" >&2; exit 1; }
  # MathJax from the npm registry, checked against its pinned SHA-512
  mj="$VENV/share/book-static/mathjax"
  if ! [ -f "$mj/tex-chtml.js" ]; then
    command -v npm >/dev/null || { echo "[docs] MathJax comes from the npm registry: install Node.js and npm (Debian: apt-get install npm)" >&2; exit 1; }
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "mathjax@$MATHJAX_VERSION" >/dev/null)
    got="$(sha512sum "$tmp/mathjax-$MATHJAX_VERSION.tgz" | cut -d' ' -f1)"
    [ "$got" = "$MATHJAX_SHA512" ] || { echo "[docs] mathjax-$MATHJAX_VERSION.tgz: SHA-512 mismatch" >&2; rm -rf "$tmp"; exit 1; }
    tar -xzf "$tmp/mathjax-$MATHJAX_VERSION.tgz" -C "$tmp"
    rm -rf "$mj" && mkdir -p "$(dirname "$mj")"
    rm -rf "$tmp/package/es5/sre"   # speech-rule engine: off by default, 4 MB
    mv "$tmp/package/es5" "$mj"
    cp "$tmp/package/LICENSE" "$mj/LICENSE"
    rm -rf "$tmp"
  fi
  echo "$want" > "$stamp"
  echo "[docs] environment ready in $((SECONDS - t0)) s ($(du -sh "$VENV" | cut -f1))" >&2
fi
export SPARSEDIFF_BOOK_STATIC="$VENV/share/book-static"

# 2. the sources (nbdev's display rules, the API reference, the report), then Sphinx
[ "$clean" = 1 ] && rm -rf _site _book
t1=$SECONDS
"$VENV/bin/python" tools/book.py --out _book/src --extra _book/extra
# a page that is gone (a renamed chapter, no report) must not stay in _site: rebuild from scratch then
(cd _book && find src -name '*.ipynb' -o -name '*.md'; find extra -type f) 2>/dev/null | sort > _book/pages.txt
if ! cmp -s _book/pages.txt _book/pages.built 2>/dev/null; then rm -rf _site _book/doctrees; fi
"$VENV/bin/python" -m sphinx -q -b html -c docs -d _book/doctrees _book/src _site 2> _book/sphinx-warnings.txt || {
  cat _book/sphinx-warnings.txt >&2; echo "[docs] sphinx-build failed" >&2; exit 1; }
cp _book/pages.txt _book/pages.built
grep -v -E "MissingIDFieldWarning|_validate\(nbdict" _book/sphinx-warnings.txt >&2 || true
pages=$(find _site -name '*.html' -not -path '_site/_*' | wc -l)
echo "[docs] _site/: $pages pages built in $((SECONDS - t1)) s ($(du -sh _site | cut -f1)); open _site/index.html" >&2

# 3. the browser check
if [ "$check" = 1 ]; then
  if ! command -v chromium >/dev/null && ! [ -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "[docs] installing Debian's chromium for the browser check ..." >&2
      { apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }; } >/dev/null
    else
      echo "[docs] the browser check needs Chromium (Debian: apt-get install chromium) or CHROMIUM=/path" >&2; exit 1
    fi
  fi
  "$VENV/bin/python" tools/book.py --selftest
  "$VENV/bin/python" tools/check_site.py --selftest _site   # the check itself: injected faults are caught
  "$VENV/bin/python" tools/check_site.py _site
fi
echo "[docs] done in $((SECONDS - t0)) s" >&2
