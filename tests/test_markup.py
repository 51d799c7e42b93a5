"""Text in square brackets - the course's W[l], X[k], a user's layer or student names - is shown as written,
never read as rich markup (rich swallows "[k]" or "[l]" as a style tag)."""

from rich.console import Console
from rich.progress import Progress

import shapecheck as sc
from cli_helpers import run
from shapecheck.grade.report import GradeReport
from shapecheck.views.base import label_column
from shapecheck.tracer.trace import trace


def test_the_lstm_demo_shows_its_bracketed_column_headings():
    result = run("demo", "lstm", "--epochs", "2")
    assert result.exit_code == 0, result.output
    assert "X[k]" in result.stdout and "y[k]" in result.stdout


def test_a_layer_and_a_model_named_with_brackets_are_shown_as_written():
    model = sc.Sequential([sc.LSTM(4, input_shape=(3, 1), name="lstm[k]"), sc.Dense(1, name="W[l]")], name="net[l]")
    text = trace(model).summary().to_text()
    assert "lstm[k] (LSTM)" in text and "W[l] (Dense)" in text and 'Model: "net[l]"' in text
    text = trace(model).to_text(width=200)
    assert "lstm[k]" in text and "W[l]" in text


def test_grade_shows_bracketed_student_ids_function_names_and_course_sentences():
    record = {"id": "alice[late]", "status": "graded", "kind": "dnn", "passed": False, "score": 1.0, "max_score": 9.0,
              "functions": [], "fault": None, "report": {"conclusion": "Fix linear_backward first: dW[l] must be (n[l], n[l-1])."}}
    summary = {"students": 1, "graded": 1, "passed": 0, "faults": [], "root_causes": [],
               "functions": [{"name": "W[l]", "passed": 0, "failed": 1, "error": 0, "timeout": 0, "inherited": 0, "missing": 0}],
               "scores": {"max_score": 9.0, "histogram": [{"from": 0, "to": 100, "count": 1}]}}
    report = GradeReport(summary, [record], "out", detailed=True)
    text = " ".join(report.to_text(width=200).split())
    assert "alice[late]" in text and "dW[l] must be (n[l], n[l-1])" in text and "W[l]" in text


def test_a_progress_label_is_shown_as_written():
    console = Console(width=80, record=True, color_system=None, file=open("/dev/null", "w"))
    with Progress(label_column("Checking W[l] {and} b[l]"), console=console) as progress:
        progress.add_task("", total=1)
        rendered = progress.columns[0](progress.tasks[0])
    assert rendered.plain == "Checking W[l] {and} b[l]"
