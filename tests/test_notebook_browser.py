"""An executed notebook, exported to HTML by nbconvert, looked at in real headless Chromium.

The page records every console error, uncaught exception and failed resource into a ``<pre>`` that
``--dump-dom`` hands back; a second run takes the screenshot. With ``SHAPECHECK_README_PICTURES=DIR``
the screenshots of a report and of a sweep's plot are also written there (the README's pictures).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("nbconvert")
pytest.importorskip("nbclient")

from notebook_kernel import ROOT, KernelRunner  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")

# console.error, uncaught errors and resources that failed to load, kept where --dump-dom can read them
RECORDER = """<script>
window.__errors = [];
const keep = (text) => { window.__errors.push(String(text)); const out = document.getElementById("console-errors");
  if (out) out.textContent = window.__errors.join("\\n"); };
const error = console.error; console.error = (...args) => { keep(args.join(" ")); error(...args); };
window.addEventListener("error", (e) => keep(e.message || ("failed to load " + (e.target.src || e.target.href))), true);
window.addEventListener("unhandledrejection", (e) => keep(e.reason));
document.addEventListener("DOMContentLoaded", () => keep("")); 
</script>"""

# the lab template without what it fetches from CDNs (require.js, MathJax, mermaid): a page that works offline
OFFLINE = ("{%- extends 'lab/index.html.j2' -%}"
           "{%- block html_head_js -%}" + RECORDER +
           "{%- endblock html_head_js -%}"
           "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}"
           "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}"
           "{%- block body_footer -%}</main><pre id=\"console-errors\"></pre></body>{%- endblock body_footer -%}")

CELLS = {
    "report": "sc.diagnose('tests/gallery/dnn/db_missing_keepdims.py')",  # the kernel runs in the checkout
    "sweep": "sweep = sc.sweep([2, 6, 1], 'moons', learning_rates=[0.001, 0.1, 40.0], iterations=200, every=20, "
             "m=100, progress=False)\nsweep.plot()",
}


def _export(nb, path: Path, only: str | None = None) -> Path:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    if only is not None:
        nb = nb.copy()
        nb.cells = [c for c in nb.cells if c.source == CELLS[only]]
    exporter = HTMLExporter(extra_loaders=[DictLoader({"offline.html.j2": OFFLINE})], template_file="offline.html.j2",
                            exclude_input=only is not None)
    html, _ = exporter.from_notebook_node(nb)
    path.write_text(html, encoding="utf-8")
    return path


def _chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]  # Chromium's own words when it could not start
    return result


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    runner = KernelRunner().start()
    try:
        nb = runner.run(list(CELLS.values()))
    finally:
        runner.stop()
    return nb, tmp_path_factory.mktemp("browser")


def test_the_exported_notebook_shows_its_tables_with_no_console_errors(executed):
    nb, folder = executed
    page = _export(nb, folder / "notebook.html")
    result = _chromium(folder, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    dom = result.stdout
    errors = re.search(r'<pre id="console-errors">(.*?)</pre>', dom, re.S)
    assert errors is not None, "the recorder did not run"  # the page's scripts ran: silence below means something
    assert errors.group(1).strip() == ""
    assert dom.count("<table") >= 1 and ">linear_backward</td>" in dom
    assert 'class="shapecheck-report"' in dom and "data:image/png;base64," in dom


def test_a_screenshot_of_a_report_and_of_a_sweeps_plot(executed):
    nb, folder = executed
    pictures = {}
    for name, size in (("report", "900,480"), ("sweep", "900,540")):
        page = _export(nb, folder / f"{name}.html", only=name)
        picture = folder / f"{name}.png"
        _chromium(folder, f"--window-size={size}", f"--screenshot={picture}", page.as_uri())
        width, height = _png_size(picture)
        assert (width, height) == tuple(map(int, size.split(",")))
        assert picture.stat().st_size > 10_000  # a page with something drawn on it, not a blank one
        pictures[name] = picture
    target = os.environ.get("SHAPECHECK_README_PICTURES")
    if target:  # 64 colours are plenty for text and lines: the committed pictures stay small
        from PIL import Image

        for name, picture in pictures.items():
            Image.open(picture).convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(
                Path(target) / f"notebook-{name}.png", optimize=True)


def test_the_recorder_sees_a_console_error(tmp_path):
    """Meta-test: a page that logs an error is caught, so the silence above is evidence."""
    page = tmp_path / "broken.html"
    page.write_text("<html><head>" + RECORDER + "</head><body><script>console.error('boom')</script>"
                    "<pre id=\"console-errors\"></pre></body></html>")
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "boom" in re.search(r'<pre id="console-errors">(.*?)</pre>', dom, re.S).group(1)
