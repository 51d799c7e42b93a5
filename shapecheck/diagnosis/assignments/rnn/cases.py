"""Seeded inputs for every recurrent function: no two of n_x, n_a, n_y, m, T_x equal within a case
(but m = 1 and T_x = 1 on purpose), sequences from T_x = 1 to 6, a0 and c_prev not zero, pre-activations
of order 1 (tanh and σ out of saturation). A backward's ``case.args`` hold the caches the reference's
forward made; ``case.forward_args`` the inputs of that forward."""

import copy

import numpy as np

from shapecheck.core import tensors
from shapecheck.diagnosis.assignments.rnn import reference
from shapecheck.diagnosis.assignments.rnn.contract import LINKS
from shapecheck.diagnosis.plugin import Case, label as _label, rng as _rng

SEQUENCES = (  # n_x, n_a, n_y, m, T_x: no two equal within a case (but m = 1 and T_x = 1 on purpose)
    {"n_x": 3, "n_a": 5, "n_y": 2, "m": 4, "T_x": 6},
    {"n_x": 4, "n_a": 2, "n_y": 3, "m": 5, "T_x": 6},
    {"n_x": 2, "n_a": 3, "n_y": 4, "m": 1, "T_x": 5},
    {"n_x": 3, "n_a": 4, "n_y": 2, "m": 6, "T_x": 1},
)


def _rnn_params(rng: np.random.Generator, s: dict, lstm: bool) -> dict[str, np.ndarray]:
    scale = 1.0 / np.sqrt(s["n_a"] + s["n_x"])  # pre-activations of order 1: tanh and σ out of saturation
    table = tensors.LSTM if lstm else tensors.RNN
    names = (*tensors.LSTM_STEP, "Wy", "by") if lstm else tensors.DICT_LAYOUTS["rnn_params"]

    def draw(name: str) -> np.ndarray:
        tensor = table[name]
        shape = tensors.sizes(tensor.shape, s)
        if tensor.role == "b":
            return rng.uniform(-0.5, 0.5, shape)
        return rng.standard_normal(shape) * (1.0 if tensor.shape[0] == "n_y" else scale)  # ŷ's weights: unscaled
    return {name: draw(name) for name in names}


def _sequence(rng: np.random.Generator, s: dict) -> tuple[np.ndarray, np.ndarray]:
    x = rng.standard_normal((s["n_x"], s["m"], s["T_x"]))
    a0 = np.tanh(rng.standard_normal((s["n_a"], s["m"])))  # a hidden state lies in (-1, 1)
    return x, a0


def _recurrent_cases(function: str, seed: int) -> list[Case]:
    lstm = function.startswith("lstm")
    cell = "_cell_" in function
    cases = []
    for k, s in enumerate(SEQUENCES):
        if cell and s["T_x"] == 1:
            continue  # one step is all a cell ever sees
        sizes = dict(s) if not cell else {key: v for key, v in s.items() if key != "T_x"}
        rng = _rng(seed, function, k)
        params = _rnn_params(rng, s, lstm)
        x, a0 = _sequence(rng, s)
        n_a, m = s["n_a"], s["m"]
        if cell:
            xt = x[:, :, 0].copy()
            c_prev = rng.standard_normal((n_a, m)) * 0.5
            forward_args = (xt, a0, c_prev, params) if lstm else (xt, a0, params)
        else:
            forward_args = (x, a0, params)
        if function.endswith("forward"):
            cases.append(Case(function, forward_args, _label(sizes), sizes))
            continue
        forward = LINKS[function].forward
        result = reference.FUNCTIONS[forward](*copy.deepcopy(forward_args))
        if cell:
            da_next = rng.standard_normal((n_a, m))
            args = (da_next, rng.standard_normal((n_a, m)), result[3]) if lstm else (da_next, result[2])
        else:
            args = (rng.standard_normal((n_a, m, s["T_x"])), result[-1])
        cases.append(Case(function, args, _label(sizes), sizes, forward_args=forward_args))
    return cases


CASES = {name: (lambda seed, _name=name: _recurrent_cases(_name, seed)) for name in (
    "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
    "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")}
