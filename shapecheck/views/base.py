"""The protocol every report follows: ``to_json()``, ``__rich__`` (terminal) and
``_repr_mimebundle_`` (Jupyter, without ``%load_ext rich``). rich loads only when drawn."""

from __future__ import annotations

import json


class Report:
    """Mixin: subclasses provide ``to_json()`` and ``_renderable()``."""

    def to_json(self) -> dict:  # pragma: no cover - every report overrides it
        raise NotImplementedError

    def _renderable(self):  # pragma: no cover
        raise NotImplementedError

    def __rich__(self):
        return self._renderable()

    def json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    def to_text(self, width: int = 100) -> str:
        """The rendered report as plain text (what a terminal of ``width`` columns shows, no colour)."""
        from rich.console import Console

        console = Console(width=width, record=True, file=_Null(), color_system=None, legacy_windows=False)
        console.print(self)
        return console.export_text()

    def __str__(self) -> str:  # print(report) in a script shows what the terminal would, not a repr
        return self.to_text().rstrip("\n")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from rich.console import Console

        console = Console(width=110, record=True, file=_Null(), force_terminal=True, legacy_windows=False)
        console.print(self)
        from shapecheck.core.messages import is_rtl

        text = console.export_text(clear=False)
        direction = ' dir="rtl"' if is_rtl() else ""  # Arabic reads right to left; isolates keep shapes LTR
        html = console.export_html(inline_styles=True, code_format=f"<pre{direction} style=\"font-family:monospace\">{{code}}</pre>")
        return {"text/plain": text, "text/html": html}


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
