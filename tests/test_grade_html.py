"""``grade --html``: one self-contained page (no script, no request), every hostile string escaped,
right-to-left in Arabic, and checked where instructors read it: a real headless Chromium (screenshot,
the DOM's tables, no console message)."""

import re
import shutil
import struct
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shapecheck.cli.app import app
from shapecheck.core.language import set_language
from test_grade_class import GALLERY

if not any(command.name == "grade" for command in app.registered_commands):
    from shapecheck.cli.grade import register

    register(app)

from cli_helpers import run  # noqa: E402

COURSE = (GALLERY / "correct/dnn_course.py").read_text()
HOSTILE_ID = "<script>alert(1)"  # a file name can hold anything but "/"
HOSTILE_MESSAGE = "<script>alert(2)</script>"
CLASS = {
    f"{HOSTILE_ID}.py": COURSE,
    "raises.py": COURSE + f"\ndef compute_cost(AL, Y):\n    print({HOSTILE_MESSAGE!r})\n    raise ValueError({HOSTILE_MESSAGE!r})\n",
    "syntax.py": "def linear_forward(A, W, b)\n    return A\n",
    "eve.py": (GALLERY / "dnn/dW_missing_1_over_m.py").read_text(),
    "finn.py": (GALLERY / "dnn/dW_missing_1_over_m.py").read_text(),
    "ben.py": (GALLERY / "correct/dnn_partial_forward.py").read_text(),
}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("html")
    (root / "class").mkdir()
    for name, text in CLASS.items():
        (root / "class" / name).write_text(text)
    english = root / "class.html"
    result = run("grade", root / "class", "--out", root / "out", "--jobs", "2", "--html", english, "--json")
    assert result.exit_code == 1, result.stderr
    arabic = root / "class-ar.html"
    try:
        result = run("grade", root / "class", "--out", root / "out-ar", "--jobs", "2", "--html", arabic, "--lang", "ar")
    finally:
        set_language(None)
    assert result.exit_code == 1, result.stderr
    return english, arabic


def test_the_page_is_self_contained_no_script_no_request(pages):
    page = pages[0].read_text()
    assert not re.search(r"<script", page, re.I) and "javascript:" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I) and "@import" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_hostile_file_names_and_messages_are_escaped(pages):
    page = pages[0].read_text()
    assert "&lt;script&gt;alert(1)" in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert HOSTILE_ID not in page and HOSTILE_MESSAGE not in page


def test_arabic_is_right_to_left(pages):
    page = pages[1].read_text()
    assert re.search(r'<html lang="ar" dir="rtl">', page) and "تقرير الفصل" in page
    assert re.search(r'<html lang="en" dir="ltr">', pages[0].read_text())


class Dom(HTMLParser):
    """What a reader sees in the rendered DOM: table rows by table id, students, histogram bars."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, int] = {}
        self.table = None
        self.students: list[str] = []
        self.bars: list[int] = []
        self.in_strong = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self.table = attrs["id"]
            self.tables[self.table] = 0
        elif tag == "tr" and self.table and (attrs.get("data-function") or self.table == "causes"):
            self.tables[self.table] += 1
        elif tag == "rect" and "data-count" in attrs:
            self.bars.append(int(attrs["data-count"]))
        if tag == "strong":
            self.in_strong = True

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        if tag == "strong":
            self.in_strong = False

    def handle_data(self, data):
        self.text.append(data)
        if self.in_strong:
            self.students.append(data)


def chromium(*args: str) -> subprocess.Popen:
    profile = tempfile.mkdtemp(prefix="chromium-")
    process = subprocess.Popen([CHROMIUM, *HEADLESS, f"--user-data-dir={profile}", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.profile = profile
    return process


def finish(process: subprocess.Popen) -> tuple[str, str]:
    try:
        out, err = process.communicate(timeout=60)
    finally:
        shutil.rmtree(process.profile, ignore_errors=True)
    return out, err


def console_lines(stderr: str) -> list[str]:
    """Every console message Chromium logged for the page (errors, CSP violations, logs)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_chromium_shows_the_report_with_every_table_and_no_console_message(pages, tmp_path):
    assert Path(CHROMIUM).exists(), "this test needs Chromium: apt-get install chromium (CI installs it)"
    url = pages[0].resolve().as_uri()
    shot = tmp_path / "class.png"
    dumping = chromium("--dump-dom", url)
    shooting = chromium(f"--screenshot={shot}", "--window-size=1200,1600", "--hide-scrollbars", pages[1].resolve().as_uri())
    dom_text, dump_err = finish(dumping)
    _, shot_err = finish(shooting)
    assert console_lines(dump_err) == [] and console_lines(shot_err) == []
    dom = Dom()
    dom.feed(dom_text)
    assert dom.tables["functions"] == 9 and dom.tables["causes"] >= 3
    assert sum(dom.bars) == len(CLASS) and len(dom.bars) == 10
    assert sorted(dom.students) == sorted(Path(name).stem for name in CLASS)
    assert "missing 1/m" in "".join(dom.text)
    assert png_size(shot) == (1200, 1600) and shot.stat().st_size > 20_000  # a blank page compresses to ~5 KB


def test_meta_the_console_check_sees_a_script_error(tmp_path):
    assert Path(CHROMIUM).exists(), "this test needs Chromium: apt-get install chromium (CI installs it)"
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>undefined_function()</script>")
    _, err = finish(chromium("--dump-dom", page.as_uri()))
    assert any("undefined_function" in line for line in console_lines(err))
