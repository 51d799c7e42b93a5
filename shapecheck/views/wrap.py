"""Text that wraps between words but never inside a shape or a piece of code, and hanging indents.

rich wraps a cell at any space, so ``(5, 4)`` could end one line and begin the next ("(5,\\n4)"),
and a wrapped "Fix: ..." line would start at column 0. ``Unbroken`` keeps shapes, calls, index
lists and `code` whole; ``hanging(label, text)`` sets the label in its own column so the
continuation lines start under the text, not under the label. Works the same in right-to-left text.
"""

from __future__ import annotations

import re

from rich._wrap import divide_line
from rich.table import Table
from rich.text import Lines, Text

# what never breaks: a shape or index list "(5, 4)", "(n_a + n_x, m)", "[n0, n1]", a call
# "np.sum(dZ, axis=1, keepdims=True)", and `code`; never a parenthesised phrase "(deep network, step by step)"
# The pattern reads the text with its directional isolates (U+2066-2069, in Arabic) as the control characters
# \x0e-\x11: a character class that mixes them with ASCII makes `re` build a 65,536-entry table, and compiling
# the pattern (on every `shapecheck shapes`) took twice as long.
_AS_CONTROLS = str.maketrans("\u2066\u2067\u2068\u2069", "\x0e\x0f\x10\x11")
_ISOLATE = "\x0e-\x11"
_TOKEN = rf"[\w\[\]\-.·*/'\"{_ISOLATE}]+"
# items joined by an operator, or a comma: "n_a + n_x, m" (written out once: compiling this costs start-up time)
_LIST = rf"\s*{_TOKEN}(?:\s*[,+\-·*]\s*{_TOKEN})*\s*,?\s*"
_UNBROKEN = re.compile(rf"`[^`\n]+`|[\w.{_ISOLATE}]+\([^()\n]*\)|\({_LIST}\)|\[{_LIST}\]")


def pieces(text: str) -> list[tuple[int, int]]:
    """Where the pieces that never break are in ``text``: (start, end) of each."""
    return [found.span() for found in _UNBROKEN.finditer(text.translate(_AS_CONTROLS))]


def guarded(text: str, space: str = "\u00a4") -> str:
    """``text`` with the spaces inside shapes and code replaced by ``space`` (by default a visible character of
    the same width, which rich's line breaking never breaks at; a no-break space for a browser)."""
    parts, last = [], 0
    for start, end in pieces(text):
        parts += (text[last:start], text[start:end].replace(" ", space))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def spans(text: str) -> list[tuple[int, int]]:
    """Where the unbreakable pieces of ``text`` are (for the HTML view)."""
    return [(start, end) for start, end in pieces(text) if " " in text[start:end]]


class Unbroken(Text):
    """A rich Text whose line breaks fall between words, never inside a shape or a call."""

    def wrap(self, console, width, *, justify=None, overflow=None, tab_size=8, no_wrap=None) -> Lines:
        justify = justify or self.justify or "default"
        overflow = overflow or self.overflow or "fold"
        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            pieces = line.divide(divide_line(guarded(str(line)), width, fold=overflow == "fold"))
            for piece in pieces:
                piece.rstrip_end(width)
            if justify:
                pieces.justify(console, width, justify=justify, overflow=overflow)
            for piece in pieces:
                piece.truncate(width, overflow=overflow)
            lines.extend(pieces)
        return lines


def unbroken(text: str | Text, style: str = "") -> Unbroken:
    if isinstance(text, Text):
        copy = Unbroken(text.plain, style=text.style, justify=text.justify, overflow="fold")
        copy.spans = list(text.spans)
        return copy
    return Unbroken(text, style=style, overflow="fold")  # a piece wider than its column folds, never "…"


def hanging(label: str, text: str | Text, label_style: str = "", text_style: str = "", indent: int = 0) -> Table:
    """``label`` then ``text``, the text's continuation lines starting under its first word.

    Printed at the top level of a console, consecutive Texts are joined into one plain Text, so a
    hanging line is a one-row grid, which also lets the HTML view draw it as a label and a paragraph.
    """
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    cells = (Text(" " * indent + label, style=label_style), unbroken(text, text_style))
    grid.add_row(*cells)
    grid.hanging = cells  # what the HTML view draws: a label beside a paragraph
    return grid
