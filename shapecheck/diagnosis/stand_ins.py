"""What may stand in for a student's function inside the sandbox: the engine's reference version of a
contract function, or the course's own helper (dnn_utils, rnn_utils) - used to find root causes."""

from __future__ import annotations

from typing import Callable


def lookup(source: str, name: str) -> Callable:
    if source == "reference":
        from shapecheck.diagnosis import reference

        return getattr(reference, name)
    if source.startswith("course:"):  # "course:dnn" or "course:rnn": each assignment's own helpers
        from shapecheck.diagnosis import course_utils

        return course_utils.course_helper(source.split(":", 1)[1], name)
    raise ValueError(source)


def install_course_modules() -> None:
    try:
        from shapecheck.diagnosis.course_utils import install_course_modules as install
    except ImportError:  # pragma: no cover - while course_utils is being written
        return
    install()
