"""A student's wrong argument in a notebook: one sentence under their own line, not a screen of shapecheck's
frames; and model.summary() shows the report as a cell's value does (HTML, plain text without ANSI codes)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from notebook_kernel import ANSI, KernelRunner  # noqa: E402


@pytest.fixture(scope="module")
def cells():
    kernel = KernelRunner().start()
    try:
        yield kernel.run([
            "# raises\nsc.trace([5, 4, 1])",  # 0: a list where a spec goes
            "# raises\ndef build(sizes):\n    return sc.dense_net(sizes, hidden='rleu')\nbuild([5, 4, 1])",  # 1
            "sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1)]).summary()",  # 2
            "# raises\nimport numpy as np\nnp.zeros(3).reshape(2, 2)",  # 3: not ours: IPython's own traceback
        ]).cells
    finally:
        kernel.stop()


def _error(cell):
    [error] = [o for o in cell.outputs if o.output_type == "error"]
    return error, "\n".join(error.traceback)


def test_a_shapecheck_error_shows_the_students_line_and_the_sentence_only(cells):
    error, shown = _error(cells[0])
    assert error.ename == "ShapecheckError"
    assert shown.splitlines()[-1] == ("ShapecheckError: trace() takes a network spec (dense_net(...) or "
                                      "Sequential([...])), not list.")
    assert "sc.trace([5, 4, 1])" in shown
    assert re.fullmatch(r"Cell In\[\d+\], line 2, in <module>", shown.splitlines()[0])  # as IPython names a cell
    assert "site-packages" not in shown and "shapecheck/" not in shown and len(shown.splitlines()) == 3


def test_the_students_own_function_stays_in_what_is_shown(cells):
    _, shown = _error(cells[1])
    assert "in build" in shown and "return sc.dense_net(sizes, hidden='rleu')" in shown and "build([5, 4, 1])" in shown
    assert shown.splitlines()[-1].startswith("ShapecheckError: Unknown activation 'rleu' for the hidden layers.")
    assert "shapecheck/" not in shown


def test_other_errors_keep_ipythons_traceback(cells):  # meta: the short form is ShapecheckError's alone
    error, shown = _error(cells[3])
    assert error.ename == "ValueError" and ANSI.search(shown)  # IPython's own, coloured, with its arrows
    assert "----> 3" in re.sub(r"\x1b\[[0-9;]*m", "", shown)


def test_summary_in_a_notebook_is_one_display_with_html_and_plain_text_free_of_ansi(cells):
    [output] = cells[2].outputs
    assert output.output_type == "display_data"
    assert "Param #" in output.data["text/plain"] and not ANSI.search(output.data["text/plain"])
    assert "<table" in output.data["text/html"] and "491" in output.data["text/html"]
