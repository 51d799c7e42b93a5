"""Text from untrusted places (a student's output, exception messages, file names) made safe to show.

``printable(text)`` replaces every C0/C1 control character except tab and newline, DEL, and the
Unicode bidi overrides with a visible escape (``\\x1b``, ``\\u202e``): no cursor moves, terminal titles,
clipboard writes or reordered text reach the instructor's terminal, and no XML-invalid character
reaches a JUnit file. Applied once, where the trusted side receives the text.
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1, bidi embeddings/overrides/isolates, lone surrogates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")  # one line


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """``one_line``: a name (a student id from a file name), whose tab or newline would break a row."""
    return (_UNSAFE_IN_A_NAME if one_line else _UNSAFE).sub(_escape, text)
