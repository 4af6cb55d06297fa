#!/usr/bin/env python3
"""The one claims table a published chapter shows: its last output, equal to figures/<chapter>/claims.csv.

A chapter shows its claims table once, at its end (`ChapterOutputs.claims`), as HTML rendered by
`sparsediff.report.claims_html` from the rows it publishes. This checks each notebook in nbs/ that has a
published figures/<chapter>/claims.csv: exactly one claims table among its outputs, and that table is the
rendering of the published rows (so the book cannot show another table than figures/ holds).

    python tools/claims_outputs.py           # check; exit 1 on any problem
    python tools/claims_outputs.py --write   # render each published table into its notebook (after a change of the
                                             # renderer): the last claims output is replaced, earlier copies removed
"""
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sparsediff.report import claims_html, table_caption  # noqa: E402

MARKERS = ('<table class="claims">', "**Claims: ")


def is_claims_output(o) -> bool:
    data = o.get("data", {})
    text = "".join(data.get("text/html", "")) + "".join(data.get("text/markdown", ""))
    return any(text.lstrip().startswith(m) for m in MARKERS)


def published(chapter: str) -> tuple[str, str] | None:
    "(html, markdown) of the published table of `chapter`, or None when it publishes none."
    folder = ROOT / "figures" / chapter
    if not (folder / "claims.csv").exists(): return None
    rows = pd.read_csv(folder / "claims.csv", keep_default_na=False, dtype=str).to_dict("records")
    md = (folder / "claims.md").read_text(encoding="utf-8")
    head = md.split("\n\n", 1)[0].strip()
    if "Holm family:" not in head:                       # a table published before captions stated the family
        m = re.search(r"family-wise ([\d.]+)%", head)
        head = table_caption(chapter, rows[0]["profile"] if rows else "?", rows, float(m.group(1)) / 100 if m else 0.95)
    amend = md.split("**Amendments to the registered design**", 1)
    amendments = tuple(l[2:] for l in amend[1].splitlines() if l.startswith("- ")) if len(amend) == 2 else ()
    return claims_html(rows, head, amendments), md


def main(argv) -> int:
    write, bad, n = "--write" in argv, [], 0
    for p in sorted((ROOT / "nbs").glob("*_*.ipynb")):
        chapter = p.stem.split("_", 1)[1]
        pub = published(chapter)
        nb = nbformat.read(p, as_version=4)
        where = [(i, j) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                 for j, o in enumerate(c.get("outputs", [])) if is_claims_output(o)]
        if pub is None:
            continue
        n += 1
        html_text, md = pub
        if write:
            if not where: bad.append(f"{p.name}: no claims output to replace"); continue
            ci, oj = where[-1]
            new = nbformat.v4.new_output("display_data", data={"text/html": html_text, "text/plain": md.rstrip("\n")})
            nb.cells[ci].outputs[oj] = new
            for i, j in reversed(where[:-1]): del nb.cells[i].outputs[j]
            nbformat.write(nb, p)
            print(f"{p.name}: the claims table rendered from figures/{chapter}/claims.csv; {len(where) - 1} earlier copies removed")
            continue
        if len(where) != 1:
            bad.append(f"{p.name}: {len(where)} claims tables among the outputs; a chapter shows one (its final table)")
            continue
        ci, oj = where[0]
        shown = "".join(nb.cells[ci].outputs[oj].get("data", {}).get("text/html", ""))
        if shown != html_text:
            bad.append(f"{p.name}: the claims table shown is not figures/{chapter}/claims.csv rendered "
                       f"(republish the chapter, or run tools/claims_outputs.py --write after a change of the renderer)")
    for b in bad: print(f"  {b}")
    print(f"claims outputs: {n} published chapter(s), {len(bad)} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
