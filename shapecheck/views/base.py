"""The protocol every report follows: ``to_json()``, ``__rich__`` (terminal) and
``_repr_mimebundle_`` (Jupyter, without ``%load_ext rich``). rich loads only when drawn.

In Jupyter a report that is a cell's value is shown once: HTML that follows the page's width, with
a plain-text fallback free of ANSI codes. ``print(report)`` prints text only. Every console we make
is told it is *not* in Jupyter: rich would otherwise display what it records as a side effect.
"""

from __future__ import annotations


def text_width() -> int:
    """The width text is laid out for: the terminal's (``COLUMNS`` when set), or the notebook's
    ``JUPYTER_COLUMNS``; 80 when the output is neither (a pipe, a file)."""
    from rich.console import Console

    return Console(file=_Null(), force_jupyter=None).width if in_notebook() else Console().width


def in_notebook() -> bool:
    """Running in a Jupyter kernel, where a report is displayed (HTML), not printed."""
    from rich.console import _is_jupyter

    return _is_jupyter()


class Report:
    """Mixin: subclasses provide ``to_json()`` and ``_renderable()``."""

    def to_json(self) -> dict:  # pragma: no cover - every report overrides it
        raise NotImplementedError

    def _renderable(self):  # pragma: no cover
        raise NotImplementedError

    def __rich__(self):
        return self._renderable()

    def json_text(self) -> str:
        import json  # only for JSON: the table's start-up does without it

        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    def to_text(self, width: int | None = None) -> str:
        """The rendered report as plain text, no colour, laid out for ``width`` columns (default: ``text_width()``)."""
        from rich.console import Console

        console = Console(width=width or text_width(), record=True, file=_Null(), color_system=None,
                          force_jupyter=False, legacy_windows=False)
        console.print(self)
        return console.export_text()

    def to_html(self) -> str:
        """The report as one HTML block (tables, colours, ``dir="rtl"`` in Arabic), as a notebook shows it."""
        from shapecheck.views.html import report_html

        return report_html(self)

    def __str__(self) -> str:  # print(report) shows what the terminal would, not a repr
        return self.to_text().rstrip("\n")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        bundle = {}
        if _wanted("text/plain", include, exclude):
            bundle["text/plain"] = self.to_text().rstrip("\n")
        if _wanted("text/html", include, exclude):
            bundle["text/html"] = self.to_html()
        return bundle


def _wanted(mime: str, include, exclude) -> bool:
    return (not include or mime in include) and not (exclude and mime in exclude)


def label_column(text: str):
    """A progress bar's fixed label as written: no rich markup (``W[l]`` stays) and no ``str.format`` braces."""
    from rich.progress import TextColumn

    return TextColumn(text.replace("{", "{{").replace("}", "}}"), markup=False)


class _Null:
    """A file that discards what rich writes (we only want the recording)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
