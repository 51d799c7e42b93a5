"""The shape table drawn fast (one multi-line cell per column) still reads as one row per tensor."""

import re

import pytest
from hypothesis import given, settings, strategies as st

import shapecheck as sc


@settings(deadline=None, max_examples=25)
@given(st.lists(st.integers(1, 300), min_size=2, max_size=5), st.sampled_from([56, 80, 100, 160]))
def test_every_tensor_sits_on_one_line_with_its_shape_and_no_line_is_wider_than_the_terminal(dims, width):
    trace = sc.trace(sc.dense_net(dims), m=7)
    text = trace.to_text(width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line for line in lines if re.match(r"\s+\d+\s{3}\S", line)]
    assert [line.split()[1] for line in rows] == [row.tensor for row in trace.rows]
    for line, row in zip(rows, trace.rows):
        assert "(" + ", ".join(map(str, row.size)) + ")" in line


def test_a_long_rule_wraps_under_its_own_column():
    text = sc.trace(sc.dense_net([5, 4, 1])).to_text(width=60)
    lines = text.splitlines()
    w1 = next(k for k, line in enumerate(lines) if " W1 " in line)
    start = lines[w1].index("W[l] is")
    assert lines[w1 + 1][:start].strip() == "" and lines[w1 + 1][start:].strip()  # continued, in the same column


@pytest.mark.parametrize("width", [80, 100])
def test_forward_and_backward_are_separated_by_one_blank_line(width):
    lines = sc.trace(sc.dense_net([5, 4, 1]), m=3).to_text(width=width).splitlines()
    y, da = next(k for k, l in enumerate(lines) if " Y " in l), next(k for k, l in enumerate(lines) if " dA2 " in l)
    between = [line.strip() for line in lines[y + 1:da]]
    assert between[-1] == "" and all(between[:-1])  # Y's wrapped rule, then one blank line
