"""The shape table drawn fast (one multi-line cell per column) still reads as one row per tensor."""

import io
import re

import pytest
from hypothesis import given, settings, strategies as st

import shapecheck as sc
from rich.text import Text


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


@settings(deadline=None, max_examples=15)
@given(st.lists(st.integers(1, 99999), min_size=2, max_size=5), st.sampled_from([48, 50, 56]))
def test_in_a_narrow_terminal_the_symbols_go_under_the_sizes_and_nothing_is_cut_short(dims, width):
    """Where sizes, symbols and a rule of 12 columns do not fit side by side, a tensor's sizes stay on its line and its
    symbolic shape goes on the next: before, rich squeezed every column, cutting headers, shapes and words with "…"."""
    trace = sc.trace(sc.dense_net(dims))
    lines = trace.to_text(width=width).splitlines()
    assert max(len(line) for line in lines) <= width and not any("…" in line for line in lines)
    assert lines[2].split() == ["Layer", "Tensor", "Shape", "Rule"]
    rows = [k for k, line in enumerate(lines) if re.match(r"\s+\d+\s{3}\S", line)]
    assert [lines[k].split()[1] for k in rows] == [row.tensor for row in trace.rows]
    for k, row in zip(rows, trace.rows):
        sizes, symbols = "(" + ", ".join(map(str, row.size)) + ")", "(" + ", ".join(map(str, row.shape)) + ")"
        assert sizes in lines[k]
        if symbols != sizes:
            assert symbols in lines[k] or symbols in lines[k + 1]


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


# --- drawn without rich re-wrapping the columns, to the byte as rich draws them -------------------------

_styled_line = st.builds(
    lambda parts, style: Text.assemble(*parts, style=style),
    st.lists(st.tuples(st.text(st.sampled_from("ab (),[]·=\t−ب"), max_size=8), st.sampled_from(["", "dim", "bold cyan"])),
             max_size=3),
    st.sampled_from(["", "dim"]))


@settings(deadline=None, max_examples=150)
@given(st.lists(_styled_line, min_size=1, max_size=6), st.integers(1, 14), st.integers(0, 14),
       st.sampled_from(["left", "right"]), st.sampled_from(["ellipsis", "fold"]), st.sampled_from([None, "truecolor"]))
def test_a_laid_out_column_draws_as_the_same_lines_in_one_rich_cell(lines, width, console_room, justify, overflow, color):
    """views.render._Column (lines already wrapped) against what it replaces: one Text of those lines, joined, in a
    no_wrap cell. Same bytes, colours and cut-off cells included (console_room < width squeezes the table)."""
    from rich.console import Console
    from rich.table import Table

    from shapecheck.views.render import _Column

    def drawn(cell) -> str:
        table = Table(box=None, show_header=False, pad_edge=False, expand=False)
        table.add_column(justify=justify, no_wrap=True, overflow=overflow, style="bold", width=width)
        table.add_row(cell)
        console = Console(width=max(1, console_room), file=io.StringIO(), color_system=color, force_terminal=bool(color),
                          highlight=False)
        console.print(table)
        return console.file.getvalue()

    assert drawn(_Column(lines, width)) == drawn(Text("\n").join(lines))


@settings(deadline=None, max_examples=150)
@given(st.lists(_styled_line, min_size=1, max_size=6), _styled_line, st.integers(1, 14), st.integers(0, 18),
       st.sampled_from(["left", "right"]), st.sampled_from(["ellipsis", "fold"]), st.sampled_from([None, "truecolor"]))
def test_a_column_that_draws_its_own_padding_draws_what_the_tables_padding_did(lines, header, width, console_room,
                                                                              justify, overflow, color):
    """_Column(pad=1) in a table without padding (the shape table) against the lines and header as one Text each in a
    table that pads its cells: the same bytes, colours, squeezed cells and headers included."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from shapecheck.views.render import _Column

    def drawn(padded_by_the_table: bool) -> str:
        if padded_by_the_table:
            table, column_width = Table(box=box.SIMPLE_HEAD, expand=False), width
            head, cell = Text("\n").join([header]), Text("\n").join(lines)  # (the shape table's headers have no style)
        else:
            table, column_width = Table(box=box.SIMPLE_HEAD, expand=False, padding=0), width + 2
            head, cell = _Column([header], width, pad=1), _Column(lines, width, pad=1)
        table.add_column(head, justify=justify, no_wrap=True, overflow=overflow, style="bold", width=column_width)
        table.add_row(cell)
        console = Console(width=max(1, console_room), file=io.StringIO(), color_system=color, force_terminal=bool(color),
                          highlight=False)
        console.print(table)
        return console.file.getvalue()

    assert drawn(padded_by_the_table=False) == drawn(padded_by_the_table=True)


# the pattern for what never breaks, as first written (one list item nested in another): the shorter pattern
# of views.wrap compiles in half the time and must find exactly the same pieces
_TOKEN = r"[\w\[\]\-.·*/'\"\u2066-\u2069]+"
_ITEM = rf"{_TOKEN}(?:\s*[+\-·*]\s*{_TOKEN})*"
_LIST = rf"\s*{_ITEM}(?:\s*,\s*{_ITEM})*\s*,?\s*"
NESTED = re.compile(rf"`[^`\n]+`|[\w.\u2066-\u2069]+\([^()\n]*\)|\({_LIST}\)|\[{_LIST}\]")


@settings(deadline=None, max_examples=400)
@given(st.text(st.sampled_from("ab_1 (),[]+-·*`\n./'x\u2066\u2069ب"), max_size=40))
def test_the_unbreakable_pieces_are_found_as_before(text):
    from shapecheck.views.wrap import pieces

    assert pieces(text) == [m.span() for m in NESTED.finditer(text)]


def test_meta_the_pattern_comparison_sees_a_difference():
    # If this fails, the test above could not fail: a list without commas is not the nested pattern's list.
    assert [m.span() for m in re.finditer(rf"\({_TOKEN}\)", "(a, b)")] != [m.span() for m in NESTED.finditer("(a, b)")]


def test_a_models_name_is_printed_as_written_never_as_markup_or_an_emoji_code():
    # titles and headers are Text: a name from the user's spec is not rich markup (":smile:" was an emoji)
    model = sc.Sequential([sc.Dense(3, input_shape=(4,))], name="net :smile: [bold]x[/bold]")
    assert 'Model: "net :smile: [bold]x[/bold]"' in sc.trace(model).summary().to_text(width=100)
    assert "Shapes of Sequential([Dense(3, input_shape=(4,))])" in sc.trace(model).to_text(width=100)
