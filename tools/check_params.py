"""Fail when a chapter notebook has lost its papermill `parameters` cell tag.

Every `nbs/[0-8][0-9]_*.ipynb` is a chapter the reproduction driver runs; each must have exactly
one code cell tagged `parameters` (nbdev_clean drops the tag unless settings.ini keeps `tags`,
and papermill then silently runs the smoke defaults).
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    bad, n = [], 0
    for p in sorted((ROOT / "nbs").glob("[0-8][0-9]_*.ipynb")):
        n += 1
        cells = json.loads(p.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if len(tagged) != 1:
            bad.append(f"{p.relative_to(ROOT)}: {len(tagged)} cells tagged 'parameters' (need exactly 1)")
    for b in bad:
        print(b)
    print(f"parameters tags: {n - len(bad)} of {n} chapter notebooks ok")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
