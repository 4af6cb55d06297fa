#!/usr/bin/env python3
"""Open every page of the built book in headless Chromium and fail on what a reader would hit.

A page fails when it has a JavaScript error (uncaught exception or console error), an image that
does not load, a request that fails or answers >= 400, a request to anything but the local server
or references a non-local script, style sheet or image (requests to anything but the local
server are blocked, so a page that needs the network fails here), an internal link to a
file or an anchor that does not exist, formulas left untypeset or typeset with an error, raw TeX
left in its text, fewer typeset formulas than its source notebook has, more than one claims table
(a chapter shows its final table once), or a code block or table cut off at the right edge of the text
column without a scrollbar that shows (overflow-x auto or scroll with the book's scrollbar colours).

    python tools/check_site.py [_site] [--only GLOB ...] [--shot PAGE[#anchor|@text]=OUT.png ...]
    python tools/check_site.py --selftest [_site]   # injects one fault of each kind into a copy

Uses Playwright's Python API with the system Chromium (Debian's `chromium`; no browser download),
a fresh profile, and a local HTTP server on 127.0.0.1. The last line is `N passed, N failed`.
"""
from __future__ import annotations

import argparse, fnmatch, functools, http.server, json, os, re, shutil, sys, tempfile, threading, time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage"]

# in the page: wait for MathJax, load every image, collect links, ids and math counts
PROBE = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    if (MathJax.typesetPromise) await MathJax.typesetPromise();
  }
  const imgs = [...document.images];
  for (const img of imgs) { img.loading = 'eager'; }
  const broken = [];
  await Promise.all(imgs.map(async img => {
    try { if (!img.complete) await img.decode(); } catch (e) {}
    if (!(img.complete && img.naturalWidth > 0)) broken.push(img.getAttribute('src'));
  }));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id)
    .concat([...document.querySelectorAll('a[name]')].map(e => e.name));
  const mathEls = [...document.querySelectorAll('.math')];
  const untypeset = mathEls.filter(e => !e.querySelector('mjx-container') && !e.closest('mjx-container')
                                        && /\\\(|\\\[|\\begin/.test(e.textContent)).length;
  const typeset = document.querySelectorAll('mjx-container').length;
  const merrors = [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
    .map(e => e.getAttribute('data-mjx-error') || e.textContent).slice(0, 3);
  // raw TeX left in prose: text outside code, scripts and typeset math
  const raw = [];
  const walker = document.createTreeWalker(document.querySelector('main, article, body'), NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest('pre, code, script, style, textarea, mjx-container, .highlight, .output, .cell_output, .search')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  const tex = /\$\$|\$[^$\s][^$\n]{0,200}[^$\s\\]\$|\\\(|\\\)|\\\[|\\begin\{/;
  while (walker.nextNode()) { const t = walker.currentNode.textContent; if (tex.test(t)) raw.push(t.trim().slice(0, 80)); }
  const external = [...document.querySelectorAll('script[src], link[href]:not([rel~="canonical"]):not([rel~="alternate"]), img[src], iframe[src], source[src], video[src], audio[src], object[data]')]
    .map(e => e.src || e.href || e.data).filter(u => u && /^https?:/.test(u) && new URL(u).host !== location.host);
  // claims tables: the HTML ones and any older Markdown one (a bold "Claims: <chapter>" caption over a table)
  const claims = document.querySelectorAll('table.claims').length
    + [...document.querySelectorAll('.cell_output strong')].filter(e => !e.closest('table.claims') && /^Claims: \w+$/.test(e.textContent.trim())).length;
  // cut off: a code block or table wider than its box, or running past the text column, with no visible scrollbar
  const art = document.querySelector('article.bd-article, main');
  const right = art ? art.getBoundingClientRect().right : Infinity;
  const scroller = e => { for (let a = e; a && a !== art; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (a.scrollWidth > a.clientWidth + 1 && /auto|scroll/.test(st.overflowX)) return a; } return null; };
  const cut = [...(art ? art.querySelectorAll('pre, table') : [])].filter(e => {
      const wide = e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > right + 2;
      if (!wide || e.closest('details:not([open])')) return false;
      const s = scroller(e);
      return !(s && getComputedStyle(s).scrollbarColor !== 'auto' && getComputedStyle(s).scrollbarWidth !== 'none');
    }).map(e => e.tagName.toLowerCase() + ': ' + (e.textContent || '').trim().slice(0, 50));
  return {broken, links, ids, external, typeset, untypeset, merrors, raw: raw.slice(0, 3), nmath: mathEls.length,
          title: document.title, claims, cut: cut.slice(0, 3), ncut: cut.length};
}
"""


def source_formulas(nbs: Path) -> dict[str, int]:
    "Page name -> number of $…$ / $$…$$ formulas in its source notebook's markdown (code removed)."
    out = {}
    for p in sorted(nbs.glob("*.ipynb")):
        try:
            nb = json.loads(p.read_text(encoding="utf-8"))
        except Exception:
            continue
        text = "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "markdown")
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        text = re.sub(r"`[^`\n]*`", "", text)
        n = len(re.findall(r"\$\$.+?\$\$", text, flags=re.S))
        text = re.sub(r"\$\$.+?\$\$", "", text, flags=re.S)
        n += len(re.findall(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$", text))
        out[p.stem + ".html"] = n
    return out


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve(site: Path):
    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def chromium_path() -> str:
    for c in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if c and Path(c).exists():
            return c
    sys.exit("check_site: no Chromium found (Debian: apt-get install chromium; or set CHROMIUM=/path)")


FAULTS = {  # what each injected fault must produce in the report
    "non-local request": "request to a non-local URL: https://cdn.example.org/lib.js",
    "non-local reference": "references a non-local resource: https://fonts.example.org/f.css",
    "JavaScript error": "JavaScript error: injected failure",
    "broken image": "image does not load: _images/missing.png",
    "broken link": "internal link does not resolve: /no-such-page.html",
    "missing anchor": "anchor does not exist: index.html#no-such-anchor",
    "raw TeX": "raw TeX in the text: 'raw $x^2$ left'",
    "untypeset math": "formulas not typeset",
    "two claims tables": "claims tables (a chapter shows its final table once)",
    "cut-off code": "cut off without a visible scrollbar: pre: cutoff",
}


def selftest(site: Path) -> int:
    "Copy one built page, inject one fault of each kind, and check that each is reported."
    import contextlib, io
    with tempfile.TemporaryDirectory(prefix="check-site-selftest-") as d:
        t = Path(d) / "site"
        shutil.copytree(site, t)
        good = next(p for p in sorted(site.glob("*.html")) if "class=\"math" in p.read_text(encoding="utf-8"))
        html_text = good.read_text(encoding="utf-8")
        (t / "good.html").write_text(html_text, encoding="utf-8")
        inj = ('<script src="https://cdn.example.org/lib.js"></script><link rel="stylesheet" href="https://fonts.example.org/f.css">'
               "<script>window.addEventListener('load', () => { throw new Error('injected failure'); });</script>")
        body = ('<img src="_images/missing.png" alt="x"><a href="no-such-page.html">x</a>'
                '<a href="index.html#no-such-anchor">y</a><p>raw $x^2$ left</p>'
                '<p><span class="math notranslate nohighlight">\\(\\alpha\\)</span></p>'
                '<table class="claims"><tr><td>a</td></tr></table><table class="claims"><tr><td>b</td></tr></table>'
                '<div style="overflow:hidden;width:200px"><pre style="overflow:hidden;white-space:pre">cutoff '
                + "x" * 400 + '</pre></div>')
        bad = html_text.replace("</head>", inj + "</head>", 1)
        bad = re.sub(r"(<main[^>]*>)", lambda m: m.group(1) + body, bad, count=1)
        # the last fault: this page's own MathJax is gone, so its formulas stay untypeset
        bad = re.sub(r'<script[^>]*src="[^"]*mathjax/tex-chtml.js[^"]*"[^>]*></script>', "", bad)
        (t / "bad.html").write_text(bad, encoding="utf-8")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            rc = main([str(t), "--nbs", str(t / "no-notebooks"), "--only", "good", "--only", "bad", "--all-messages"])
        out = buf.getvalue()
    missing = [k for k, v in FAULTS.items() if v not in out]
    ok = rc == 1 and "FAIL good.html" not in out and "FAIL bad.html" in out and not missing
    if not ok:
        print(out)
        print(f"check_site self-test FAILED: rc={rc}; faults not reported: {', '.join(missing) or 'none'}")
        return 1
    print(f"check_site self-test: a clean page passed, {len(FAULTS)} injected faults were all reported")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default=str(ROOT / "_site"))
    ap.add_argument("--nbs", default=str(ROOT / "nbs"), help="source notebooks, for the formulas each page must show")
    ap.add_argument("--shot", action="append", default=[], metavar="PAGE[#anchor|@text]=OUT.png", help="save a screenshot (PAGE, PAGE#anchor or PAGE@text)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per page")
    ap.add_argument("--all-messages", action="store_true", help="print every message of a failing page")
    ap.add_argument("--selftest", action="store_true", help="check that injected faults are reported, then exit")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB", help="check only pages matching (e.g. '10_*')")
    a = ap.parse_args(argv)
    site = Path(a.site).resolve()
    if not (site / "index.html").exists():
        print(f"check_site: {site}/index.html missing: build the site first (./docs.sh)")
        return 2
    if a.selftest:
        return selftest(site)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("check_site: playwright is missing: run it in the docs environment (./docs.sh --check)")
        return 2
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if not any(part.startswith("_") for part in p.relative_to(site).parts))
    if a.only:
        pages = [p for p in pages if any(fnmatch.fnmatch(p, g) or fnmatch.fnmatch(p, g + ".html") for g in a.only)]
    expect = source_formulas(Path(a.nbs))
    httpd, base = serve(site)
    host = urlsplit(base).netloc
    fails: dict[str, list[str]] = {}
    seen_ids: dict[str, set] = {}
    wanted: list[tuple[str, str, str]] = []  # (from page, target page, fragment)
    totals = dict(images=0, links=0, formulas=0, blocked=0)
    t0 = time.time()
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="check-site-profile-") as profile:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000}, service_workers="block", offline=False)
        current: list[str] = []

        def add(msg):
            fails.setdefault(current[0], []).append(msg)

        def route(r):
            u = urlsplit(r.request.url)
            if u.scheme in ("data", "blob", "about") or u.netloc == host:
                return r.continue_()
            totals["blocked"] += 1
            add(f"request to a non-local URL: {r.request.url}")
            return r.abort()

        ctx.route("**/*", route)
        page = ctx.new_page()
        page.on("pageerror", lambda e: add(f"JavaScript error: {e}"))
        page.on("console", lambda m: m.type == "error" and add(f"console error: {m.text}"))
        page.on("requestfailed", lambda r: urlsplit(r.url).netloc == host and add(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and add(f"HTTP {r.status}: {r.url}"))
        for name in pages:
            current[:] = [name]
            try:
                page.goto(base + name, wait_until="load", timeout=a.timeout * 1000)
                res = page.evaluate(PROBE)
            except Exception as e:  # noqa: BLE001 - a page that cannot be probed fails
                add(f"could not load or probe: {e}")
                continue
            totals["images"] += len(page.query_selector_all("img"))
            totals["formulas"] += res["typeset"]
            for u in res["external"]:
                add(f"references a non-local resource: {u}")
            for b in res["broken"]:
                add(f"image does not load: {b}")
            if res["untypeset"]:
                add(f"{res['untypeset']} formulas not typeset")
            for m in res["merrors"]:
                add(f"TeX error: {m}")
            for r in res["raw"]:
                add(f"raw TeX in the text: {r!r}")
            if res["claims"] > 1:
                add(f"{res['claims']} claims tables (a chapter shows its final table once)")
            for c in res["cut"]:
                add(f"cut off without a visible scrollbar: {c}" + (f" (and {res['ncut'] - 3} more)" if res["ncut"] > 3 else ""))
            if res["typeset"] < expect.get(name, 0):
                add(f"{res['typeset']} formulas typeset, but its notebook has {expect[name]}")
            seen_ids[name] = set(res["ids"])
            for href in res["links"]:
                u = urlsplit(href)
                if u.scheme not in ("http", "https") or u.netloc != host:
                    continue
                totals["links"] += 1
                path = unquote(u.path).lstrip("/")
                target = site / path
                if path == "" or path.endswith("/"):
                    target = target / "index.html"
                if not target.is_file():
                    add(f"internal link does not resolve: {href[len(base) - 1:]}")
                    continue
                if u.fragment and target.suffix == ".html":
                    wanted.append((name, target.relative_to(site).as_posix(), unquote(u.fragment)))
        for spec in a.shot:  # PAGE, PAGE#anchor or PAGE@text (scrolled to the top of the view) = OUT.png
            where, _, out = spec.rpartition("=")
            url, _, text = where.partition("@")
            page.goto(base + url, wait_until="load")
            page.evaluate(PROBE)
            if text:
                page.get_by_text(text).first.evaluate("e => e.scrollIntoView()")
            elif "#" in url:
                page.evaluate("f => document.getElementById(f)?.scrollIntoView()", url.split("#", 1)[1])
            page.wait_for_timeout(300)
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=out)
            print(f"check_site: screenshot {where} -> {out}")
        ctx.close()
    httpd.shutdown()
    for frm, target, frag in wanted:
        if target not in seen_ids:  # a page not opened in this run: read its ids from the file
            text = (site / target).read_text(encoding="utf-8", errors="replace")
            seen_ids[target] = set(re.findall(r'\b(?:id|name)="([^"]+)"', text))
        if frag not in seen_ids[target]:
            fails.setdefault(frm, []).append(f"anchor does not exist: {target}#{frag}")
    for name in pages:
        if name in fails:
            uniq = list(dict.fromkeys(fails[name]))
            print(f"FAIL {name}")
            keep = len(uniq) if a.all_messages else 12
            for m in uniq[:keep]:
                print(f"     {m}")
            if len(uniq) > keep:
                print(f"     ... and {len(uniq) - keep} more")
    n_fail = sum(1 for p in pages if p in fails)
    print(f"check_site: {len(pages)} pages in {time.time() - t0:.0f} s; {totals['formulas']} formulas typeset, "
          f"{totals['images']} images, {totals['links']} internal links checked, {totals['blocked']} non-local requests")
    print(f"{len(pages) - n_fail} passed, {n_fail} failed")
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
