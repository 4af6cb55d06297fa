# Sphinx configuration of the sparsediff book (MyST-NB + sphinx-book-theme; built by ./docs.sh).
# The sources are prepared by tools/book.py into _book/src; MathJax is served from the site itself
# (.venv-docs/share/book-static/mathjax, from the npm package, set up by ./docs.sh): no page loads anything remote.
import configparser, os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ini = configparser.ConfigParser()
_ini.read(ROOT / "settings.ini")
_s = _ini["DEFAULT"]

project = _s.get("title", "sparsediff")
author = _s.get("author", "")
copyright = _s.get("copyright", "")
version = release = _s.get("version", "")

extensions = ["myst_nb"]
exclude_patterns = ["_toc.json", "**/.ipynb_checkpoints"]
root_doc = "index"

# notebooks: rendered from their committed outputs, never executed
nb_execution_mode = "off"
nb_output_stderr = "remove"
nb_merge_streams = True
nb_render_markdown_format = "myst"
nb_remove_code_outputs = False
nb_code_prompt_show = "Show the experiment's code"   # a folded driver cell (tools/book.py tags it hide-input)
nb_code_prompt_hide = "Hide the code"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_dmath_double_inline = True
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# math: MathJax 3 from the site itself
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {
    "tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]], "processEscapes": True},
    "options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"},
}

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static", os.environ.get("SPARSEDIFF_BOOK_STATIC", str(ROOT / ".venv-docs" / "share" / "book-static"))]
html_extra_path = [str(ROOT / "_book" / "extra")]  # figures/ as published: the report links to its files
html_css_files = ["book.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
}
html_sidebars = {"**": ["navbar-logo.html", "sbt-sidebar-nav.html"]}
html_context = {"default_mode": "light"}

# MyST-NB writes its copies of the notebooks and their images beside the output folder (for
# _site/ that would be the repository root): keep them under _book/ instead.
import myst_nb.sphinx_ext as _mystnb_sphinx  # noqa: E402

_mystnb_sphinx.OUTPUT_FOLDER = str(ROOT / "_book" / "jupyter_execute")  # an absolute path wins in joinpath
