"""A diagnosis read in a terminal: the line of the student's code that a finding points at stays under its
finding, indented, at any width; a long one continued at column 0 read as a new paragraph."""

from pathlib import Path

import pytest

import shapecheck as sc

GALLERY = Path(__file__).resolve().parent / "gallery"


@pytest.fixture(scope="module")
def report():
    sc.set_language("en")
    return sc.diagnose(GALLERY / "conv" / "conv_backward_unpad_outside_loop.py")


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_the_line_of_code_a_finding_points_at_stays_indented_under_it(report, width):
    lines = report.to_text(width=width).splitlines()
    start = next(k for k, line in enumerate(lines) if line.rstrip() == "conv_backward")  # the root cause's section
    hint = next(k for k in range(start, len(lines)) if "Hint:" in lines[k])
    section = lines[start + 1:hint]  # the finding, where it points, and the code there
    assert any("conv_backward_unpad_outside_loop.py:" in line for line in section)
    code = next(k for k, line in enumerate(section) if "`" in line)
    assert all(line.startswith("    ") for line in section[code:code + 3] if line.strip()), section
    assert all(not line[:1].strip() for line in section), section  # nothing of the section at column 0
