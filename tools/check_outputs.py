"""Fail when a committed notebook or a published file shows what a reader should not see.

Checks every `nbs/*.ipynb` for outputs with an absolute local path (/work/, /tmp/, /root/, /home/),
a warning on stderr or progress-bar residue (`sparsediff.reproduce.output_problems`, the same rules
publishing applies with `clean_outputs`); every `figures/*/*.md` and `figures/*/*.json` for an
absolute local path; and figures/REPORT.md against the files on disk (`report_problems`).

    python tools/check_outputs.py                       # check; exit 1 on any problem
    python tools/check_outputs.py --fix nbs/00_core.ipynb ...   # strip those outputs from the named notebooks
    python tools/check_outputs.py --fix-manifests       # rewrite absolute paths in figures/*/manifest.json as relative
"""
import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sparsediff.reproduce import LOCAL_PATH, clean_outputs, output_problems, report_problems  # noqa: E402


def _relative(obj):
    "Strings in a manifest that are absolute paths ending in figures/<chapter>... become relative to the repository."
    if isinstance(obj, dict): return {k: _relative(v) for k, v in obj.items()}
    if isinstance(obj, list): return [_relative(v) for v in obj]
    if isinstance(obj, str) and LOCAL_PATH.fullmatch(obj):
        for part in ("/figures/", "/runs/", "/nbs/", "/data/"):
            if part in obj: return obj[obj.index(part) + 1:]
    return obj


def main(argv):
    if argv[:1] == ["--fix"]:
        for f in argv[1:]:
            nb = nbformat.read(f, as_version=4)
            n = clean_outputs(nb, ROOT)
            nbformat.write(nb, f)
            print(f"{f}: {n} output(s) cleaned")
        return 0
    if argv[:1] == ["--fix-manifests"]:
        for p in sorted((ROOT / "figures").glob("*/manifest.json")):
            m = json.loads(p.read_text(encoding="utf-8"))
            new = _relative(m)
            if new != m:
                p.write_text(json.dumps(new, indent=2, default=str) + "\n", encoding="utf-8")
                print(f"{p.relative_to(ROOT)}: paths made relative")
        return 0
    bad = []
    for p in sorted((ROOT / "nbs").glob("*.ipynb")):
        bad += [f"{p.relative_to(ROOT)}: {x}" for x in output_problems(nbformat.read(p, as_version=4))]
    for p in sorted((ROOT / "figures").glob("*/*")):
        if p.suffix in (".md", ".json"):
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                m = LOCAL_PATH.search(line)
                if m: bad.append(f"{p.relative_to(ROOT)}:{i}: a local path {m.group(0)[:80]!r}")
    bad += [f"figures/REPORT.md: {x}" for x in report_problems(ROOT)]
    for b in bad: print(b)
    files = sorted({b.split(":")[0] for b in bad})
    print(f"outputs: {len(bad)} problem(s) in {len(files)} file(s)" + (": " + ", ".join(files) if files else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
