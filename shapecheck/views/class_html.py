"""The class report as one self-contained HTML page: ``shapecheck grade ... --html class.html``.

Inline CSS and inline SVG only: no script, no font, no image, no request of any kind; a
Content-Security-Policy of ``default-src 'none'`` makes the browser refuse anything else, so the page
opens the same offline, from an e-mail or a learning platform. Every piece of text that comes from a
submission (file names, student ids, messages that quote a student's exception or printed output) is
HTML-escaped; anchors are numbered, never built from an id. Right-to-left languages get ``dir="rtl"``;
the CSS uses logical properties (``inline-start``), so the layout mirrors by itself, and ids, function
names and scores sit in ``<bdi>`` so that ``<script>alert(1)`` or ``8/9`` keep their order in Arabic.

``class_page(summary, students, lang=..., rtl=...)`` takes class.json's summary and one plain dict per
student (built by ``GradeReport.students_view()``: id, status, passed, score, max_score, first,
warnings, tests with name, outcome, passed, points, max_points, message, details) and returns the page.
"""

from __future__ import annotations

from html import escape

from shapecheck.core.messages import msg

CSS = """
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic", sans-serif;
       color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
p.lead { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
.pass { color: var(--ok); } .fail { color: var(--bad); } .warn { color: var(--warn); }
.rate { display: inline-block; height: .7rem; background: var(--ok); border-radius: 2px; vertical-align: middle; }
.rate-bg { display: inline-block; width: 8rem; height: .7rem; background: #eef1f4; border-radius: 2px; }
details { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .2rem .8rem; }
details[open] { padding-bottom: .8rem; }
summary { cursor: pointer; padding: .3rem 0; }
summary .score { font-variant-numeric: tabular-nums; margin-inline: .6rem; }
summary .kind { color: #555; margin-inline-start: .6rem; font-size: .9em; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; font: 13px/1.45 ui-monospace, monospace; }
svg { direction: ltr; max-width: 100%; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .bar { fill: #4f7fd8; }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
OUTCOME_WORDS = {"pass": "col_passed", "fail": "col_failed", "error": "col_error", "timeout": "col_timeout",
                 "crash": "col_crash", "inherited": "col_inherited", "missing": "col_missing", "fault": "status_fault"}
CATEGORIES = ("failed", "error", "timeout", "crash", "inherited", "missing")


def class_page(summary: dict, students: list[dict], *, lang: str = "en", rtl: bool = False) -> str:
    s = summary
    title = msg("grade.title", students=s["students"], graded=s["graded"], passed=s["passed"])
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}" dir="{"rtl" if rtl else "ltr"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(msg('grade.html_heading'))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(msg('grade.html_heading'))}</h1>",
        f'<p class="lead" id="totals">{_e(title)}</p>',
        f"<h2>{_e(msg('grade.histogram_title', max_score=_number(s['scores']['max_score'] or 0)))}</h2>",
        histogram_svg(s["scores"]["histogram"]),
        f"<h2>{_e(msg('grade.functions_title'))}</h2>",
        functions_table(s["functions"]),
        f"<h2>{_e(msg('grade.causes_title'))}</h2>",
        causes_table(s["root_causes"], {st["id"]: i for i, st in enumerate(students)}),
        f"<h2>{_e(msg('grade.html_students'))}</h2>",
        *(student_details(i, st) for i, st in enumerate(students)),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def histogram_svg(bins: list[dict], width: int = 560, height: int = 190) -> str:
    """Ten bars, one per tenth of the maximum score; each bar's tooltip says what it counts."""
    top = max((b["count"] for b in bins), default=0) or 1
    left, bottom, plot = 10, 36, height - 56
    step = (width - 2 * left) / max(len(bins), 1)
    shapes = [f'<svg id="histogram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(msg("grade.html_histogram_label"))}">']
    for i, b in enumerate(bins):
        h = round(b["count"] / top * plot, 1)
        x = round(left + i * step + 3, 1)
        y = round(height - bottom - h, 1)
        label = msg("grade.html_bar", count=b["count"], low=b["from"], high=b["to"])
        shapes.append(f'<g><title>{_e(label)}</title><rect class="bar" x="{x}" y="{y}" width="{round(step - 6, 1)}" '
                      f'height="{h}" data-count="{b["count"]}"></rect>'
                      f'<text x="{round(x + (step - 6) / 2, 1)}" y="{round(y - 4, 1)}" text-anchor="middle">{b["count"]}</text>'
                      f'<text x="{round(x + (step - 6) / 2, 1)}" y="{height - bottom + 16}" text-anchor="middle">'
                      f'{b["from"]}-{b["to"]}%</text></g>')
    shapes.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#8c959f"></line>')
    shapes.append("</svg>")
    return "".join(shapes)


def functions_table(rows: list[dict]) -> str:
    head = [msg("grade.col_function"), msg("grade.col_passed"), *(msg(f"grade.col_{c}") for c in CATEGORIES)]
    lines = ['<table id="functions"><thead><tr>', f"<th>{_e(head[0])}</th>", f"<th>{_e(head[1])}</th>"]
    lines += [f'<th class="num">{_e(h)}</th>' for h in head[2:]]
    lines.append("</tr></thead><tbody>")
    for row in rows:
        graded = sum(row.get(k, 0) for k in ("passed", *CATEGORIES))
        percent = round(100 * row["passed"] / graded) if graded else 0
        rate = msg("grade.html_pass_rate", passed=row["passed"], graded=graded, percent=percent)
        lines.append(f'<tr data-function="{_e(row["name"])}"><td><bdi>{_e(row["name"])}</bdi></td>'
                     f'<td><span class="rate-bg"><span class="rate" style="width:{percent}%"></span></span> {_e(rate)}</td>'
                     + "".join(f'<td class="num">{row.get(k, 0)}</td>' for k in CATEGORIES) + "</tr>")
    lines.append("</tbody></table>")
    return "".join(lines)


def causes_table(causes: list[dict], anchors: dict[str, int]) -> str:
    if not causes:
        return f"<p>{_e(msg('grade.no_causes').strip())}</p>"
    head = (msg("grade.html_col_cause"), msg("grade.col_function"), msg("grade.html_col_count"), msg("grade.html_col_example"))
    lines = ['<table id="causes"><thead><tr>', *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for cause in causes[:10]:
        where = cause["function"] or msg("grade.at_import")
        example = f"<bdi>{_e(cause['example'])}</bdi>"
        if cause["example"] in anchors:
            example = f'<a href="#student-{anchors[cause["example"]]}">{example}</a>'
        lines.append(f'<tr><td>{_e(cause["label"])}</td><td><bdi>{_e(where)}</bdi></td><td class="num">{cause["count"]}</td>'
                     f"<td>{example}</td></tr>")
    lines.append("</tbody></table>")
    return "".join(lines)


def student_details(index: int, student: dict) -> str:
    mark = "pass" if student["passed"] else "fail"
    status = msg("grade.status_passed") if student["passed"] else (
        msg("grade.status_failed") if student["status"] == "graded" else msg("grade.status_fault"))
    lines = [f'<details id="student-{index}" class="student" data-passed="{str(student["passed"]).lower()}">',
             f'<summary><strong><bdi>{_e(student["id"])}</bdi></strong><span class="score"><bdi>{_number(student["score"])}/'
             f'{_number(student["max_score"])}</bdi></span><span class="{mark}">{_e(status)}</span>'
             f'<span class="kind">{_e(student.get("assignment", ""))}</span>'
             + (f' — <span class="{"warn" if student["passed"] else "first"}">{_e(student["first"])}</span>'
                if student["first"] else "") + "</summary>"]
    for warning in student["warnings"]:
        lines.append(f'<pre class="warn">{_e(warning)}</pre>')
    head = (msg("grade.col_function"), msg("grade.html_col_outcome"), msg("grade.html_col_points"), msg("grade.html_col_why"))
    lines += ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for test in student["tests"]:
        word = msg(f"grade.{OUTCOME_WORDS[test['outcome']]}") if test["outcome"] in OUTCOME_WORDS else test["outcome"]
        lines.append(f'<tr><td><bdi>{_e(test["name"])}</bdi></td><td class="{"pass" if test["passed"] else "fail"}">{_e(word)}</td>'
                     f'<td class="num"><bdi>{_number(test["points"])}/{_number(test["max_points"])}</bdi></td>'
                     f'<td><pre>{_e(chr(10).join(test["details"]))}</pre></td></tr>')
    lines.append("</tbody></table></details>")
    return "".join(lines)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _number(value: float) -> str:
    return f"{value:g}"
