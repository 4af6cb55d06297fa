#!/usr/bin/env python3
"""Prepare the book's sources in `_book/src/` from the committed notebooks, the package and the report.

Nothing is executed: the chapters keep their committed outputs. Standard library only (the docs
environment has no torch, and this script never imports `sparsediff`).

- chapters: each notebook in `nbs/`, in reading order, with nbdev's display rules applied:
  `#| hide` (and `exporti`) cells dropped, `#| echo: false` hides the source, `#| output: false`
  drops the outputs, directive comments `#| ...` stripped from what is shown, stderr streams and
  widget outputs dropped (progress bars and warnings are not part of the chapter); an experiment
  driver (a code cell of `DRIVER_LINES` lines or more that exports nothing) is shown folded, its
  outputs open;
- `api/<module>.md`: the API reference of each module, read statically (`ast`) from
  `sparsediff/<module>.py`: signatures, docstrings and nbdev's trailing `# comments` on arguments;
- `report.md`: `figures/REPORT.md` with its links pointing into the chapters and the figure files.
"""
from __future__ import annotations

import argparse, ast, html, io, json, re, sys, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")
HIDE = {"hide", "exporti", "hide_input hide_output"}
DROP_MIME = {"application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json"}

GROUPS = [  # (caption, predicate on the notebook's stem)
    ("Foundations", lambda s: s[:1] == "0"),
    ("The papers", lambda s: s[:1] in "12345678"),
    ("Reproduction", lambda s: s[:1] == "9"),
]


def chapters(nbs: Path) -> list[Path]:
    "The chapter notebooks in reading order (index first is handled apart)."
    return sorted(p for p in nbs.glob("*.ipynb") if p.stem != "index" and not p.name.startswith("_"))


# ---------------------------------------------------------------- notebooks
def parse_directives(src: str) -> tuple[dict, str]:
    "nbdev directives of a code cell (`#| name [value]` lines at its top) and the source without them."
    lines, dirs, body, top = src.splitlines(), {}, [], True
    for line in lines:
        m = DIRECTIVE.match(line)
        if m and top:
            words = m.group(1)
            key, _, val = words.partition(" ")
            key = key.rstrip(":").strip()
            dirs[key] = val.strip()
            continue
        if top and not line.strip():
            continue
        top = False
        body.append(line)
    return dirs, "\n".join(body).rstrip()


def is_false(v: str) -> bool:
    return v.strip().lower() in ("false", "0", "no")


def clean_outputs(outputs: list) -> list:
    keep = []
    for o in outputs:
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            continue
        if "data" in o:
            data = {k: v for k, v in o["data"].items() if k not in DROP_MIME}
            if not data:
                continue
            o = {**o, "data": data}
        keep.append(o)
    return keep


DRIVER_LINES = 12  # a code cell of this many lines or more that exports nothing runs an experiment: shown folded


def is_driver(dirs: dict, body: str) -> bool:
    "An experiment-driver cell: not exported (exported code and derivations stay open) and long; the parameters cell stays open too."
    return "export" not in dirs and body.count("\n") + 1 >= DRIVER_LINES


def clean_notebook(nb: dict, flavour: str) -> dict:
    "A copy of `nb` as nbdev would show it (see the module docstring)."
    cells = []
    for c in nb["cells"]:
        c = dict(c)
        src = "".join(c.get("source", ""))
        if c["cell_type"] == "code":
            dirs, body = parse_directives(src)
            if any(k in HIDE for k in dirs) or not body.strip() and not c.get("outputs"):
                continue
            meta = {k: v for k, v in c.get("metadata", {}).items() if k == "tags"}
            tags = list(meta.get("tags", []))
            outputs = clean_outputs(c.get("outputs", []))
            if "output" in dirs and is_false(dirs["output"]) or "eval" in dirs and is_false(dirs["eval"]):
                outputs = []
            if "echo" in dirs and is_false(dirs["echo"]):
                if not outputs:
                    continue
                tags.append("remove-input")
            elif is_driver(dirs, body) and "parameters" not in tags:
                tags.append("hide-input")
            if tags:
                meta["tags"] = tags
            c.update(source=body, metadata=meta, outputs=outputs)
        elif c["cell_type"] == "raw":
            continue
        else:
            c["source"] = src
            c["metadata"] = {}
            if not c.get("attachments"):
                c.pop("attachments", None)
        c["id"] = c.get("id") or f"cell-{len(cells)}"
        cells.append(c)
    out = {"cells": cells, "metadata": {"kernelspec": nb.get("metadata", {}).get("kernelspec",
           {"name": "python3", "display_name": "Python 3", "language": "python"}),
           "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return out


def md_cell(n, text: str) -> dict:
    return {"cell_type": "markdown", "id": f"book-{n}", "metadata": {}, "source": text}


def link_index(nb: dict, stems: set[str], modules: set[str]) -> dict:
    "On the front page, chapter names (`00_core`) link to the chapter and modules to their API page."
    for c in nb["cells"]:
        if c["cell_type"] != "markdown":
            continue
        s = c["source"]
        s = re.sub(r"(?<!\[)`(\d\d_\w+?)(?:\.ipynb)?`", lambda m: f"[`{m.group(1)}`]({m.group(1)}.ipynb)"
                   if m.group(1) in stems else m.group(0), s)
        s = re.sub(r"(?<!\[)`sparsediff\.(\w+)`", lambda m: f"[`sparsediff.{m.group(1)}`](api/{m.group(1)}.md)"
                   if m.group(1) in modules else m.group(0), s)
        c["source"] = s
    return nb


def slug(name: str) -> str:
    "The anchor MyST gives a heading `name` in an API page."
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def api_names(pkg: Path) -> dict[str, list[str]]:
    "Public name -> [(module, anchor)] of the modules whose `__all__` has it and that define it (a constant: the Constants table)."
    out = {}
    for py in sorted(pkg.glob("*.py")):
        if py.stem.startswith("_"):
            continue
        body = ast.parse(py.read_text(encoding="utf-8")).body
        public = next((ast.literal_eval(n.value) for n in body if isinstance(n, ast.Assign)
                       and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)), [])
        defined = {n.name: slug(n.name) for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        for n in body:
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, ast.AnnAssign) else []):
                if isinstance(t, ast.Name) and t.id not in defined:
                    defined[t.id] = "constants"
        for name in public:
            if name in defined:
                out.setdefault(name, []).append((py.stem, defined[name]))
    return out


API_REF = re.compile(r"(?<![\[\w`])`((?:sparsediff\.\w+\.)?([A-Za-z_]\w{2,})(?:\([^`]*\))?)`(?!\])")


def link_api(nb: dict, names: dict, own: str | None) -> int:
    "In prose (not headings, code blocks or display math), `name`, `name(…)` and `sparsediff.mod.name` of the package's API link to its API entry; returns how many."
    count = 0

    def sub(m):
        nonlocal count
        full, name = m.group(1), m.group(2)
        where = dict(names.get(name, []))
        mod = own if own in where else next(iter(where)) if len(where) == 1 else None
        if mod is None:
            return m.group(0)
        count += 1
        return f"[`{full}`](api/{mod}.md#{where[mod]})"
    for c in nb["cells"]:
        if c["cell_type"] != "markdown":
            continue
        parts = re.split(r"(```.*?```|\$\$.*?\$\$)", c["source"], flags=re.S)
        for k in range(0, len(parts), 2):
            parts[k] = "\n".join(line if line.lstrip().startswith("#") else API_REF.sub(sub, line)
                                 for line in parts[k].split("\n"))
        c["source"] = "".join(parts)
    return count


def quick_reference(pkg: Path, names: dict) -> str:
    "The index's API at a glance: each starting name of the package (`sparsediff._API`), its module and its one-line summary."
    tree = ast.parse((pkg / "__init__.py").read_text(encoding="utf-8"))
    starts = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "_API" for t in n.targets))
    docs = {}
    for mod in set(starts.values()):
        for n in ast.parse((pkg / f"{mod}.py").read_text(encoding="utf-8")).body:
            if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
                d = ast.get_docstring(n) or ""
                docs[(mod, n.name)] = re.split(r"(?<=[.:;])\s", d.strip().split("\n")[0], maxsplit=1)[0]
    rows = ["| name | module | what it is |", "| --- | --- | --- |"]
    for name, mod in starts.items():
        rows.append(f"| [`sd.{name}`](api/{mod}.md#{slug(name)}) | [`{mod}`](api/{mod}.md) | {_cell(docs.get((mod, name), ''))} |")
    return ("## The API at a glance\n\nThe names a training script starts from, each an attribute of the package "
            "(`import sparsediff as sd`), with its module's API page; every module's full reference is under "
            "*API reference* in the navigation.\n\n" + "\n".join(rows))


# ---------------------------------------------------------------- API reference (static)
def _comments(src: str) -> dict[int, str]:
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            text = tok.string.lstrip("#").strip()
            if not text.startswith("|"):
                out[tok.start[0]] = text
    return out


def _expr(node) -> str:
    return ast.unparse(node) if node is not None else ""


def _args(fn: ast.FunctionDef | ast.AsyncFunctionDef, comments: dict[int, str], skip_self: bool):
    "Rows (name, annotation, default, comment) of a function's arguments, and its signature text."
    a = fn.args
    pos = a.posonlyargs + a.args
    defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults)
    items = []  # (prefix, arg, default)
    for arg, d in zip(pos, defaults):
        items.append(("", arg, d))
    if a.vararg:
        items.append(("*", a.vararg, None))
    elif a.kwonlyargs:
        items.append(("*", None, None))
    for arg, d in zip(a.kwonlyargs, a.kw_defaults):
        items.append(("", arg, d))
    if a.kwarg:
        items.append(("**", a.kwarg, None))
    if skip_self and items and items[0][1] is not None and items[0][1].arg in ("self", "cls"):
        items = items[1:]
    # a comment belongs to the last argument on its line
    last_on_line = {}
    for _, arg, _ in items:
        if arg is not None:
            last_on_line[arg.lineno] = arg.arg
    rows, parts = [], []
    for prefix, arg, d in items:
        if arg is None:
            parts.append("*")
            continue
        ann, default = _expr(arg.annotation), _expr(d)
        eq = " = " if ann else "="
        text = prefix + arg.arg + (f": {ann}" if ann else "") + (f"{eq}{default}" if d is not None else "")
        parts.append(text)
        com = comments.get(arg.lineno, "") if last_on_line.get(arg.lineno) == arg.arg else ""
        rows.append((prefix + arg.arg, ann, default if d is not None else "", com))
    ret = _expr(fn.returns)
    ret_com = ""
    if fn.returns is not None and fn.returns.end_lineno not in last_on_line:
        ret_com = comments.get(fn.returns.end_lineno, "")
    return rows, parts, ret, ret_com


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _code(s: str) -> str:
    if not s:
        return ""
    s = s.replace("|", "\\|")
    fence = "``" if "`" in s else "`"
    pad = " " if "`" in s else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _doc(node) -> str:
    d = ast.get_docstring(node)
    if not d:
        return ""
    # keep `$` literal: MyST would read a pair of them as math
    return d.replace("$", "\\$")


def _signature(name: str, parts: list[str], ret: str, kind: str) -> str:
    one = f"{kind}{name}({', '.join(parts)})" + (f" -> {ret}" if ret else "")
    if len(one) <= 88:
        return one
    inner = ",\n".join("    " + p for p in parts)
    return f"{kind}{name}(\n{inner}\n)" + (f" -> {ret}" if ret else "")


def _table(rows, ret, ret_com) -> list[str]:
    rows = [r for r in rows if r[0] not in ("*",)]
    if not rows and not ret_com:
        return []
    out = ["", "| argument | type | default | |", "| --- | --- | --- | --- |"]
    for name, ann, default, com in rows:
        out.append(f"| `{name}` | {_code(ann)} | {_code(default)} | {_cell(com)} |")
    if ret_com or ret:
        out.append(f"| **returns** | {_code(ret)} | | {_cell(ret_com)} |")
    return out


def _function(fn, comments, level: str, skip_self=False, prefix="") -> list[str]:
    rows, parts, ret, ret_com = _args(fn, comments, skip_self)
    out = [f"{level} `{prefix}{fn.name}`", "", "```python", _signature(prefix + fn.name, parts, ret, ""), "```", ""]
    doc = _doc(fn)
    if doc:
        out += [doc, ""]
    out += _table(rows, ret, ret_com)
    return out + [""]


def _class(cls: ast.ClassDef, comments, level: str) -> list[str]:
    bases = ", ".join(_expr(b) for b in cls.bases)
    out = [f"{level} `{cls.name}`", ""]
    init = next((n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "__init__"), None)
    fields = [n for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]
    if init is not None:
        rows, parts, _, _ = _args(init, comments, True)
    else:
        rows = [(f.target.id, _expr(f.annotation), _expr(f.value), comments.get(f.lineno, "")) for f in fields]
        parts = [f"{r[0]}: {r[1]}" + (f" = {r[2]}" if r[2] else "") for r in rows]
    sig = _signature(cls.name, parts, "", "")
    out += ["```python", f"class {sig}" + (f"  # ({bases})" if bases and len(sig) < 60 else ""), "```", ""]
    doc = _doc(cls)
    if doc:
        out += [doc, ""]
    out += _table(rows, "", "")
    out.append("")
    for n in cls.body:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and not n.name.startswith("_"):
            props = {_expr(d) for d in n.decorator_list}
            if "property" in props or "cached_property" in props or "functools.cached_property" in props:
                d = _doc(n)
                out += [f"- **`{cls.name}.{n.name}`** (property)" + (f": {d}" if d else ""), ""]
                continue
            out += _function(n, comments, level + "#", skip_self=True, prefix=cls.name + ".")
    return out


def api_page(py: Path, nbname: str | None) -> str:
    src = py.read_text(encoding="utf-8")
    tree = ast.parse(src)
    comments = _comments(src)
    allnames = None
    for n in tree.body:
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets):
            allnames = list(ast.literal_eval(n.value))
    mod = py.stem
    title = f"# `sparsediff.{mod}`"
    out = [title, ""]
    doc = ast.get_docstring(tree)
    if doc:
        out += ["> " + doc.replace("$", "\\$"), ""]
    if nbname:
        out += [f"Generated from the package source; the chapter that derives and tests it: [{nbname}](../{nbname}.ipynb).", ""]
    defs = {}
    for n in tree.body:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[n.name] = n
        elif isinstance(n, (ast.Assign, ast.AnnAssign)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    defs.setdefault(t.id, n)
    names = allnames if allnames is not None else [k for k in defs if not k.startswith("_")]
    consts = [k for k in names if isinstance(defs.get(k), (ast.Assign, ast.AnnAssign))]
    if consts:
        out += ["## Constants", "", "| name | value |", "| --- | --- |"]
        for k in consts:
            v = _expr(defs[k].value)
            v = v if len(v) <= 120 else v[:117] + "…"
            out.append(f"| `{k}` | {_code(v)} |")
        out.append("")
    body = [k for k in names if isinstance(defs.get(k), (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    if body:
        out += ["## Functions and classes", ""]
    for k in body:
        n = defs[k]
        out += _class(n, comments, "###") if isinstance(n, ast.ClassDef) else _function(n, comments, "###")
    return "\n".join(out).rstrip() + "\n"


def module_notebook(nbs: Path) -> dict[str, str]:
    "module name -> notebook stem, from each notebook's `#| default_exp`."
    out = {}
    for p in chapters(nbs):
        nb = json.loads(p.read_text(encoding="utf-8"))
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                m = re.search(r"^\s*#\s*\|\s*default_exp\s+([\w.]+)", "".join(c["source"]), re.M)
                if m:
                    out[m.group(1)] = p.stem
                    break
    return out


# ---------------------------------------------------------------- report
def report_page(report: Path, stems: list[str]) -> str:
    "figures/REPORT.md with folder links sent to the chapters and file links to figures/<chapter>/."
    return report_page_text(report.read_text(encoding="utf-8"), stems)


def report_page_text(text: str, stems: list[str]) -> str:
    by_folder = {}
    for s in stems:
        folder = s.split("_", 1)[1] if "_" in s else s
        by_folder[folder] = s

    def link(m):
        label, target = m.group(1), m.group(2)
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            return m.group(0)
        t = target.rstrip("/")
        if target.endswith("/") and t in by_folder:
            return f"[{label}]({by_folder[t]}.ipynb)"
        # a plain HTML link: the generator leaves it alone, the build copies figures/ beside the pages
        return f'<a href="figures/{html.escape(target)}">{label}</a>'

    text = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", link, text)
    text = re.sub(r"(?<!\[)`(\d\d_\w+)\.ipynb`", lambda m: f"[`{m.group(1)}.ipynb`]({m.group(1)}.ipynb)"
                  if m.group(1) in stems else m.group(0), text)
    return text


# ---------------------------------------------------------------- self-test
def selftest() -> int:
    "Checks of the display rules and the API reader on small made-up inputs."
    def code(src, outputs=(), **meta):
        return {"cell_type": "code", "metadata": meta, "source": src, "outputs": list(outputs), "execution_count": 1}
    err = {"output_type": "stream", "name": "stderr", "text": "/home/x/tqdm/auto.py:21: TqdmWarning"}
    out = {"output_type": "stream", "name": "stdout", "text": "42\n"}
    nb = {"metadata": {}, "cells": [
        code("#| default_exp core"),
        code("#| hide\nfrom fastcore.test import *"),
        code("#|hide\nx = 1"),
        code("#| export\ndef f(): pass"),
        code("#| exporti\ndef _g(): pass"),
        code("#| echo: false\nprint(42)", [out]),
        code("#| output: false\nprint(42)", [out]),
        code("#| eval: false\nprint(42)", []),
        code("import tqdm\nprint(42)", [err, out]),
        code("\n".join(f"p{i} = {i}  # a parameter" for i in range(DRIVER_LINES)), tags=["parameters"]),
        code("\n".join(f"x{i} = {i}" for i in range(DRIVER_LINES)), [out]),
        code("#| export\n" + "\n".join(f"y{i} = {i}" for i in range(DRIVER_LINES))),
        {"cell_type": "markdown", "metadata": {}, "source": "# Title\n$x$"},
    ]}
    cells = clean_notebook(nb, "sphinx")["cells"]
    srcs = [c["source"] for c in cells]
    assert srcs[:6] + srcs[8:] == ["def f(): pass", "print(42)", "print(42)", "print(42)", "import tqdm\nprint(42)",
                    "\n".join(f"p{i} = {i}  # a parameter" for i in range(DRIVER_LINES)), "# Title\n$x$"], srcs
    assert cells[6]["metadata"]["tags"] == ["hide-input"] and cells[6]["outputs"] == [out], "a driver is folded, its output open"
    assert "tags" not in cells[7]["metadata"], "exported code stays open"
    assert cells[1]["metadata"]["tags"] == ["remove-input"] and cells[1]["outputs"] == [out]
    assert cells[2]["outputs"] == [] and cells[3]["outputs"] == []
    assert cells[4]["outputs"] == [out], "stderr streams are dropped, stdout kept"
    assert cells[5]["metadata"]["tags"] == ["parameters"]
    src = ('__all__ = ["g", "K", "C"]\nK = 3\n'
           'def g(a: int,  # first\n      b=2,     # second\n     ) -> int:  # the sum\n    "Add."\n    return a + b\n'
           'class C:\n    "A class."\n    def __init__(self, n: int = 1):  # size\n        pass\n'
           '    def m(self, k):  # key\n        "Method."\n')
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        py = Path(d) / "mod.py"
        py.write_text(src)
        page = api_page(py, "00_mod")
    for want in ["# `sparsediff.mod`", "| `K` | `3` |", "g(a: int, b=2) -> int", "| `a` | `int` |  | first |",
                 "| `b` |  | `2` | second |", "| **returns** | `int` | | the sum |", "class C(n: int = 1)",
                 "| `n` | `int` | `1` | size |", "### `C.m`", "| `k` |  |  | key |", "Method.", "(../00_mod.ipynb)"]:
        assert want in page, (want, page)
    rep = report_page_text("| [core](core/) |\n[f.png](core/f.png) `00_core.ipynb`", ["00_core"])
    assert "[core](00_core.ipynb)" in rep and '<a href="figures/core/f.png">f.png</a>' in rep \
        and "[`00_core.ipynb`](00_core.ipynb)" in rep, rep
    lnb = {"cells": [{"cell_type": "markdown", "source": "Train with `fit(regularizers=…)` or `sparsediff.core.fit`; `r` and [`fit`](x) stay.\n"
                                                        "## `fit`\n```python\n`fit`\n```"}]}
    assert link_api(lnb, {"fit": [("core", "fit")]}, None) == 2, lnb
    assert lnb["cells"][0]["source"] == ("Train with [`fit(regularizers=…)`](api/core.md#fit) or [`sparsediff.core.fit`](api/core.md#fit); "
                                         "`r` and [`fit`](x) stay.\n## `fit`\n```python\n`fit`\n```"), lnb
    print("[book] self-test passed", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- main
class Tree:
    "Writes files under a folder only when their content changes, and removes what was not written."
    def __init__(self, root: Path):
        self.root, self.written = root, set()
        root.mkdir(parents=True, exist_ok=True)

    def write(self, rel: str, data: str | bytes):
        p = self.root / rel
        self.written.add(p)
        b = data.encode("utf-8") if isinstance(data, str) else data
        if p.is_file() and p.read_bytes() == b:
            return
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b)

    def copy(self, src: Path, rel: str):
        for f in sorted(src.rglob("*")) if src.is_dir() else [src]:
            if f.is_file():
                self.write(str(Path(rel) / f.relative_to(src)) if src.is_dir() else rel, f.read_bytes())

    def prune(self):
        for p in sorted(self.root.rglob("*"), reverse=True):
            if p.is_file() and p not in self.written:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()


def build_sources(out: Path, flavour: str, extra: Path | None = None) -> dict:
    "Write the book's sources into `out` (and the files copied verbatim into the site into `extra`)."
    nbs, pkg = ROOT / "nbs", ROOT / "sparsediff"
    tree = Tree(out)
    stems = [p.stem for p in chapters(nbs)]
    mod_nb = module_notebook(nbs)
    modules = sorted(p.stem for p in pkg.glob("*.py") if not p.stem.startswith("_"))
    api_mods = sorted(modules, key=lambda m: (mod_nb.get(m, "zz"), m))
    for m in api_mods:
        tree.write(f"api/{m}.md", api_page(pkg / f"{m}.py", mod_nb.get(m)))
    nb_mod = {v: k for k, v in mod_nb.items()}
    names = api_names(pkg)
    for p in chapters(nbs):
        nb = clean_notebook(json.loads(p.read_text(encoding="utf-8")), flavour)
        link_api(nb, names, nb_mod.get(p.stem))
        if p.stem in nb_mod and nb_mod[p.stem] in api_mods:  # under the title: where the module's API is
            m = nb_mod[p.stem]
            at = next((i + 1 for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"), 0)
            nb["cells"].insert(at, md_cell(f"api-{m}", f"Module [`sparsediff.{m}`](api/{m}.md): its API reference."))
        tree.write(p.name, json.dumps(nb, ensure_ascii=False, indent=1))
    report = ROOT / "figures" / "REPORT.md"
    has_report = report.exists()
    if has_report:
        tree.write("report.md", report_page(report, stems))
    index = clean_notebook(json.loads((nbs / "index.ipynb").read_text(encoding="utf-8")), flavour)
    index = link_index(index, set(stems), set(api_mods))
    link_api(index, names, None)
    at = next((i for i, c in enumerate(index["cells"]) if c["cell_type"] == "markdown"
               and c["source"].startswith("## How the modules stack")), len(index["cells"]))
    index["cells"].insert(at, md_cell("api-glance", quick_reference(pkg, names)))
    toc = []
    for caption, pred in GROUPS:
        entries = [s for s in stems if pred(s)]
        if caption == "Reproduction" and has_report:
            entries.append("report")
        if entries:
            toc.append((caption, entries))
    toc.append(("API reference", [f"api/{m}" for m in api_mods]))
    if flavour == "sphinx":
        for caption, entries in toc:
            index["cells"].append(md_cell(len(index["cells"]), "```{toctree}\n:hidden:\n:caption: " + caption
                                          + "\n\n" + "\n".join(entries) + "\n```"))
    tree.write("index.ipynb", json.dumps(index, ensure_ascii=False, indent=1))
    tree.write("_toc.json", json.dumps(toc, indent=1))
    tree.prune()
    if extra is not None:  # the figures and tables the report links to, copied as they are
        xt = Tree(extra)
        if (ROOT / "figures").is_dir():
            xt.copy(ROOT / "figures", "figures")
        xt.prune()
    return {"toc": toc, "chapters": stems, "api": api_mods, "report": has_report}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "_book" / "src"), help="where the sources go (emptied first)")
    ap.add_argument("--extra", default=str(ROOT / "_book" / "extra"), help="files copied verbatim into the site")
    ap.add_argument("--flavour", default="sphinx", choices=["sphinx", "mkdocs"], help="generator the sources are for")
    ap.add_argument("--selftest", action="store_true", help="check the display rules and the API reader, then exit")
    a = ap.parse_args(argv)
    if a.selftest:
        return selftest()
    info = build_sources(Path(a.out), a.flavour, Path(a.extra))
    print(f"[book] sources: {len(info['chapters'])} chapters, {len(info['api'])} API pages, "
          f"report {'yes' if info['report'] else 'absent'} -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
