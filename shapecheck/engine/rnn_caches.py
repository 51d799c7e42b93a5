"""The course's caches: what each one holds, and reading them back for a backward pass.

Our forward functions make each step's cache from views of the kernels' buffers, and the
through-time list of caches also carries the buffers (StepCaches), so that the backward pass
reads them as they are. Caches that a student's own forward pass made are checked step by step
against the rules, then stacked into the kernels' layout.
"""

from __future__ import annotations

import operator
from functools import partial

import numpy as np

from shapecheck.engine.lstm_kernels import LSTMTape
from shapecheck.engine.rnn_kernels import RNNTape
from shapecheck.validate.rnn_shapes import Shapes
from shapecheck.core.messages import msg

RNN_CACHE = ("a_next", "a_prev", "xt", "parameters")
LSTM_CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters")
# what the backward passes read, in checking order: xt binds n_x and m, then a_prev binds n_a
RNN_USED = ("xt", "a_prev", "a_next")
LSTM_USED = ("xt", "a_prev", "c_prev", "c_next", "ft", "it", "cct", "ot")

_RULES = {"xt": "rnn.rule_xt", "a_prev": "rnn.rule_a_prev", "a_next": "rnn.rule_a_next",
          "c_prev": "rnn.rule_c_prev", "c_next": "rnn.rule_c_next"}
_GATES = {"ft": "f", "it": "i", "cct": "c", "ot": "o"}


class StepCaches(list):
    """The course's list of per-step caches, which also carries the buffers they are views of.

    The buffers are used only while the list still holds exactly the caches it was made with.
    """

    __slots__ = ("tape", "_steps")

    def __init__(self, steps: list[tuple], tape: RNNTape | LSTMTape) -> None:
        super().__init__(steps)
        self.tape = tape
        self._steps = tuple(steps)

    def intact_tape(self) -> RNNTape | LSTMTape | None:
        if len(self) == len(self._steps) and all(map(operator.is_, self, self._steps)):
            return self.tape
        return None


def read_only(*buffers: np.ndarray) -> None:
    """Lock buffers before any view of them is made (views inherit the flag when they are made)."""
    for buffer in buffers:
        buffer.flags.writeable = False


def tape_of(steps: list, kind: type) -> RNNTape | LSTMTape | None:
    """The buffers behind our own through-time caches, or None for anyone else's."""
    tape = steps.intact_tape() if isinstance(steps, StepCaches) else None
    return tape if isinstance(tape, kind) else None


def _rule(name: str) -> str:
    if name in _GATES:
        return msg("rules.lstm_gate", name=name, what=msg(f"rules.gate_{_GATES[name]}"))
    return msg(_RULES[name])


def _symbolic(name: str) -> tuple[str, str]:
    return ("n_x", "m") if name == "xt" else ("n_a", "m")


def check_cache(shapes: Shapes, cache: tuple, items: tuple[str, ...], used: tuple[str, ...]) -> dict:
    """The arrays ``used`` of one step's cache, each checked against its rule: name -> (rows, m)."""
    return {name: shapes.expect(f"cache[{items.index(name)}] ({name})", cache[items.index(name)],
                                _symbolic(name), partial(_rule, name))
            for name in used}


def stack_caches(shapes: Shapes, steps: list, producer: str, items: tuple[str, ...],
                 used: tuple[str, ...], axis: int = 1) -> dict[str, np.ndarray]:
    """The arrays ``used`` of every step's cache, checked step by step: name -> (m, T_x, rows), the RNN kernel's
    layout, or with ``axis=0`` (T_x, m, rows), the LSTM kernel's."""
    rules = {name: partial(_rule, name) for name in used}
    stacked: dict[str, list] = {name: [] for name in used}
    for t, cache in enumerate(steps):
        cache = shapes.step_cache(f"caches[0][{t}]", cache, producer, items)
        for name in used:
            k = items.index(name)
            stacked[name].append(shapes.expect(f"caches[0][{t}][{k}] ({name})", cache[k], _symbolic(name), rules[name]))
    return {name: np.stack([a.T for a in arrays], axis=axis) for name, arrays in stacked.items()}
