"""A narrow terminal (COLUMNS=40, a split screen, a phone's SSH app) loses nothing: Keras's summary keeps its
Param # column (it was cut off the right edge), each count's arithmetic continues under itself (it wrapped to
column 0), and the parameters' table folds its cells instead of cutting a shape to "(20,…"."""

from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc

LESSON = sc.Sequential([sc.LSTM(10, input_shape=(1, 1)), sc.Dense(1, activation="linear")])


@settings(max_examples=25, deadline=None)
@given(st.integers(40, 120))
def test_keras_summary_keeps_every_column_and_every_count_at_any_width(width):
    text = sc.trace(LESSON).summary().to_text(width=width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    table = [line for line in lines if line.startswith(("┃", "│"))]
    assert any("Param" in line for line in table) and all(line.rstrip().endswith(("┃", "│")) for line in table)
    assert any("480 │" in line for line in table) and any("11 │" in line for line in table)
    arithmetic = lines[next(k for k, line in enumerate(lines) if line.startswith("How each count")) + 1:]
    assert all(line.startswith("  ") for line in arithmetic if line.strip()), arithmetic


def test_the_summary_keeps_keras_s_own_layout_where_there_is_room():  # meta: the narrow layout is for narrow only
    lines = sc.trace(LESSON).summary().to_text(width=100).splitlines()
    assert "│ lstm (LSTM)              │ (None, 10)       │        480 │" in lines


@settings(max_examples=20, deadline=None)
@given(st.integers(40, 100))
def test_the_parameters_table_never_cuts_a_shape(width):
    spec = sc.dense_net([12288, 20, 7, 5, 1])
    params = sc.init_params(spec, seed=0)
    params["W2"], params["b3"] = params["W2"].T, params["b3"].ravel()
    text = sc.check_params(spec, params).to_text(width=width)
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    assert "wrong" in text and "(20, 7)" in " ".join(text.split())
