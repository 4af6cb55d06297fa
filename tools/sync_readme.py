"""Keep README.md in sync with nbs/index.ipynb (nbdev_readme needs quarto, unavailable here).

`python tools/sync_readme.py` rewrites README.md from the notebook; `--check` exits 1 (and shows
a diff) when README.md differs from what the notebook gives. Markdown cells are copied as they
are; code cells become ```python blocks without nbdev directives; `#| hide` cells are left out;
text outputs of code cells follow their cell as plain blocks.
"""
import difflib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NB, README = ROOT / "nbs" / "index.ipynb", ROOT / "README.md"
HEADER = "<!-- Generated from nbs/index.ipynb by tools/sync_readme.py: edit the notebook, not this file. -->\n\n"


def _src(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def render(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        src = _src(cell)
        if cell["cell_type"] == "markdown":
            parts.append(src.strip() + "\n")
        elif cell["cell_type"] == "code":
            lines = src.splitlines()
            directives = [l for l in lines if l.startswith("#|")]
            if any(d.split()[1:2] in (["hide"], ["default_exp"], ["export"]) for d in directives):
                continue
            code = "\n".join(l for l in lines if not l.startswith("#|")).strip()
            if code:
                parts.append("```python\n" + code + "\n```\n")
            for out in cell.get("outputs", []):
                text = out.get("text") or out.get("data", {}).get("text/plain")
                if text:
                    text = "".join(text) if isinstance(text, list) else text
                    parts.append("```\n" + text.rstrip() + "\n```\n")
    return HEADER + "\n".join(parts)


def main(argv):
    want = render(json.loads(NB.read_text(encoding="utf-8")))
    if "--check" in argv:
        have = README.read_text(encoding="utf-8") if README.exists() else ""
        if have != want:
            sys.stdout.writelines(difflib.unified_diff(have.splitlines(True), want.splitlines(True),
                                                       "README.md", "from nbs/index.ipynb"))
            print("README.md is out of sync with nbs/index.ipynb: run `python tools/sync_readme.py`")
            return 1
        print("README.md is in sync with nbs/index.ipynb")
        return 0
    README.write_text(want, encoding="utf-8")
    print(f"wrote {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
