"""The course's tensors: each one's symbolic shape, rule and role, written once (stdlib only).

Every layer asks here instead of keeping a table of its own: the tracer's rows, ``check_params``,
the recurrent functions' checks, ``watch``, the diagnosis contracts and the hypothesis strategies.
A shape is a tuple of ``core.dims`` dims; in the dense network's names and dims ``{l}`` is the
layer (``W{l}`` is (``n{l}``, ``n{l-1}``)). A rule is a message id of the catalogue
(``locales/<lang>/rules.toml``), so every language says it.

>>> LSTM["Wf"].shape
('n_a', 'n_a + n_x')
>>> dense("W", 2).shape, dense("db", 2).shape
(('n2', 'n1'), ('n2', 1))
>>> layout("dense_grads", L=2)["dA1"]
('n1', 'm')
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from shapecheck.core.dims import Shape, evaluate
from shapecheck.core.messages import msg

LSTM_GATES = ("f", "i", "c", "o")  # the course's gates, in the course's order: forget, update, candidate, output
KERAS_LSTM_GATES = ("i", "f", "c", "o")  # the order Keras stacks them in its kernel's columns


class Tensor(NamedTuple):
    """One tensor of the course: its name, symbolic shape, the rule it follows, and its role. (A named tuple:
    the registry is read on every command's start-up, and a dataclass costs more to create.)

    ``role`` says what a misfit of it most likely means: "W" (weights: rows are this layer's units),
    "gate_W" (an LSTM gate's weights, acting on the stacked [a_prev; x_t]), "b" (a column),
    "data", "state" or "grad" (shaped like what it is the gradient of).
    """

    name: str
    shape: Shape
    rule_id: str
    role: str
    fields: tuple[tuple[str, str], ...] = ()  # the rule's placeholders; a value "@id" is itself a message

    @property
    def rule(self) -> str:
        """The rule, in the current language."""
        return msg(self.rule_id, **{k: msg(v[1:]) if v.startswith("@") else v for k, v in self.fields})

    @property
    def phase(self) -> str:
        return "backward" if self.role == "grad" else "forward"


def _table(tensors: Iterable[Tensor]) -> dict[str, Tensor]:
    return {t.name: t for t in tensors}


# --- the L-layer network (Ng convention: examples are columns) ------------------------------------

DENSE = _table((
    Tensor("X", ("n0", "m"), "rules.X", "data"),
    Tensor("W", ("n{l}", "n{l-1}"), "rules.W", "W"),
    Tensor("b", ("n{l}", 1), "rules.b", "b"),
    Tensor("Z", ("n{l}", "m"), "rules.Z", "state"),
    Tensor("A", ("n{l}", "m"), "rules.A", "state"),
    Tensor("A_prev", ("n{l-1}", "m"), "watch.rule_A_prev", "state"),  # A[l-1], as layer l's functions take it
    Tensor("Y", ("n{L}", "m"), "rules.Y", "data"),
    Tensor("dZ", ("n{l}", "m"), "rules.dZ", "grad"),
    Tensor("dW", ("n{l}", "n{l-1}"), "rules.dW", "grad"),
    Tensor("db", ("n{l}", 1), "rules.db", "grad"),
    Tensor("dA_prev", ("n{l-1}", "m"), "rules.dA_prev", "grad"),
))


def dense(name: str, l: int, L: int | None = None) -> Tensor:  # noqa: E741 - the course's index
    """Layer ``l``'s tensor ``name`` ("W", "b", "Z", "A", "dW", ...), named and shaped for that layer."""
    t = DENSE[name]
    shape = tuple(_at_layer(d, l, L) for d in t.shape)
    label = f"dA{l - 1}" if name == "dA_prev" else name if name in ("X", "Y") else f"{name}{l}"
    return Tensor(label, shape, t.rule_id, t.role, t.fields)


def one_layer(name: str) -> Shape:
    """Layer l's tensor ``name`` as a one-layer function sees it (linear_forward's W): n[l] is ``n``, n[l-1] ``n_prev``.

    >>> one_layer("W"), one_layer("A_prev")
    (('n', 'n_prev'), ('n_prev', 'm'))
    """
    return tuple(d.replace("n{l-1}", "n_prev").replace("n{l}", "n") if isinstance(d, str) else d for d in DENSE[name].shape)


def _at_layer(dim: object, l: int, L: int | None) -> object:  # noqa: E741
    if not isinstance(dim, str) or "{" not in dim:
        return dim
    return dim.replace("{l-1}", str(l - 1)).replace("{l}", str(l)).replace("{L}", str(L if L is not None else l))


# --- recurrent networks (Ng convention: x is (n_x, m, T_x)) ------------------------------------------

_SEQUENCE = (
    Tensor("x", ("n_x", "m", "T_x"), "rules.rnn_x", "data"),
    Tensor("a0", ("n_a", "m"), "rules.rnn_a0", "state"),
)
_SEQUENCE_GRADS = (
    Tensor("dx", ("n_x", "m", "T_x"), "rules.rnn_dx", "grad"),
    Tensor("da0", ("n_a", "m"), "rules.rnn_da0", "grad"),
)

RNN = _table((
    *_SEQUENCE,
    Tensor("Wax", ("n_a", "n_x"), "rules.rnn_Wax", "W"),
    Tensor("Waa", ("n_a", "n_a"), "rules.rnn_Waa", "W"),
    Tensor("ba", ("n_a", 1), "rules.rnn_ba", "b"),
    Tensor("Wya", ("n_y", "n_a"), "rnn.rule_Wya", "W"),
    Tensor("by", ("n_y", 1), "rules.lstm_by", "b"),
    Tensor("a", ("n_a", "m", "T_x"), "rules.rnn_a", "state"),
    *(Tensor(f"d{p}", shape, "rules.rnn_grad", "grad", (("name", f"d{p}"), ("param", p)))
      for p, shape in (("Wax", ("n_a", "n_x")), ("Waa", ("n_a", "n_a")), ("ba", ("n_a", 1)))),
    *_SEQUENCE_GRADS,
))

LSTM = _table((
    *_SEQUENCE,
    *(t for g in LSTM_GATES for t in (
        Tensor(f"W{g}", ("n_a", "n_a + n_x"), "rules.lstm_W", "gate_W", (("name", f"W{g}"),)),
        Tensor(f"b{g}", ("n_a", 1), "rules.lstm_b", "b", (("name", f"b{g}"),)),
    )),
    Tensor("Wy", ("n_y", "n_a"), "rules.lstm_Wy", "W"),
    Tensor("by", ("n_y", 1), "rules.lstm_by", "b"),
    *(Tensor(gate, ("n_a", "m"), "rules.lstm_gate", "state", (("name", gate), ("what", f"@rules.gate_{g}")))
      for gate, g in zip(("ft", "it", "cct", "ot"), LSTM_GATES)),
    Tensor("a", ("n_a", "m", "T_x"), "rules.lstm_a", "state"),
    Tensor("c", ("n_a", "m", "T_x"), "rules.lstm_c", "state"),
    *(t for g in LSTM_GATES for t in (
        Tensor(f"dW{g}", ("n_a", "n_a + n_x"), "rules.rnn_grad", "grad", (("name", f"dW{g}"), ("param", f"W{g}"))),
        Tensor(f"db{g}", ("n_a", 1), "rules.rnn_grad", "grad", (("name", f"db{g}"), ("param", f"b{g}"))),
    )),
    *_SEQUENCE_GRADS,
))

# the recurrent functions' other arguments and results: one time step, and what flows back through time
ARGUMENTS = _table((
    Tensor("xt", ("n_x", "m"), "watch.rule_xt", "data"),
    *(Tensor(name, ("n_a", "m"), "watch.rule_a_t", "state") for name in ("a_prev", "a_next")),
    *(Tensor(name, ("n_a", "m"), "watch.rule_c_t", "state") for name in ("c_prev", "c_next")),
    Tensor("yt_pred", ("n_y", "m"), "watch.rule_yt", "state"),
    *(Tensor(name, ("n_y", "m", "T_x"), "watch.rule_y", "state") for name in ("y_pred", "y")),
    Tensor("da", ("n_a", "m", "T_x"), "watch.rule_da", "grad"),
    *(Tensor(name, ("n_a", "m"), "watch.rule_da_next", "grad", (("name", name),)) for name in ("da_next", "dc_next")),
    Tensor("dxt", ("n_x", "m"), "watch.rule_dxt", "grad"),
    *(Tensor(name, ("n_a", "m"), "watch.rule_d_state", "grad", (("name", name),)) for name in ("da_prev", "dc_prev")),
))

# --- logistic regression (the first assignment: w is a column, b a number) ------------------------------

LOGREG = _table((
    Tensor("w", ("n_x", 1), "rules.logreg_w", "W"),
    Tensor("b", (), "rules.logreg_b", "b"),
    Tensor("dw", ("n_x", 1), "rules.logreg_dw", "grad"),
    Tensor("db", (), "rules.logreg_db", "grad"),
))

# the optimization assignment's mini-batches ({l} numbers the batch): a slice of the examples' columns
BATCH = _table((
    Tensor("mini_batch_X", ("n_x", "size"), "rules.mini_batch_X", "data"),
    Tensor("mini_batch_Y", (1, "size"), "rules.mini_batch_Y", "data"),
))

RNN_STEP = ("Wax", "Waa", "ba")  # the parameters one time step uses
LSTM_STEP = tuple(p for g in LSTM_GATES for p in (f"W{g}", f"b{g}"))

# --- the dicts the assignments pass around; {l} runs over 1..L ---------------------------------------

_STEP_GRADS = {"dxt": ARGUMENTS["dxt"].shape, "da_prev": ARGUMENTS["da_prev"].shape}


def _shapes(table: dict[str, Tensor], names: Iterable[str]) -> dict[str, Shape]:
    return {name: table[name].shape for name in names}


DICT_LAYOUTS: dict[str, dict[str, Shape]] = {
    "dense_params": {"W{l}": DENSE["W"].shape, "b{l}": DENSE["b"].shape},
    "dense_grads": {"dA{l-1}": DENSE["dA_prev"].shape, "dW{l}": DENSE["dW"].shape, "db{l}": DENSE["db"].shape},
    # the regularization and gradient-checking notebooks' backward: dZ, dW, db of each layer, and dA{l} of
    # the layers below the last (a key that is absent is not a fault, as with dense_grads' dA0)
    "three_layer_grads": {"dZ{l}": DENSE["dZ"].shape, "dW{l}": DENSE["dW"].shape, "db{l}": DENSE["db"].shape,
                          "dA{l}": DENSE["A"].shape},
    "moments": {"dW{l}": DENSE["dW"].shape, "db{l}": DENSE["db"].shape},  # v, s: shaped like the gradients
    "mini_batches": {"mini_batch_X{l}": BATCH["mini_batch_X"].shape, "mini_batch_Y{l}": BATCH["mini_batch_Y"].shape},
    "logreg_grads": _shapes(LOGREG, ("dw", "db")),
    "logreg_params": _shapes(LOGREG, ("w", "b")),
    "logreg_model": {"costs": ("k",), "Y_prediction_test": (1, "m_test"), "Y_prediction_train": (1, "m"),
                     **_shapes(LOGREG, ("w", "b")), "learning_rate": (), "num_iterations": ()},
    "rnn_params": _shapes(RNN, ("Wax", "Waa", "Wya", "ba", "by")),
    "lstm_params": _shapes(LSTM, (*(f"W{g}" for g in LSTM_GATES), *(f"b{g}" for g in LSTM_GATES), "Wy", "by")),
    "rnn_cell_grads": {**_STEP_GRADS, **_shapes(RNN, ("dWax", "dWaa", "dba"))},
    "rnn_grads": _shapes(RNN, ("dx", "da0", "dWax", "dWaa", "dba")),
    "lstm_cell_grads": {**_STEP_GRADS, "dc_prev": ARGUMENTS["dc_prev"].shape,
                        **_shapes(LSTM, (*(f"dW{g}" for g in LSTM_GATES), *(f"db{g}" for g in LSTM_GATES)))},
    "lstm_grads": _shapes(LSTM, ("dx", "da0", *(f"dW{g}" for g in LSTM_GATES), *(f"db{g}" for g in LSTM_GATES))),
    # planar data classification: one tanh layer of n_h units between n_x inputs and n_y outputs
    "planar_params": {"W1": ("n_h", "n_x"), "b1": ("n_h", 1), "W2": ("n_y", "n_h"), "b2": ("n_y", 1)},
    "planar_cache": {"Z1": ("n_h", "m"), "A1": ("n_h", "m"), "Z2": ("n_y", "m"), "A2": ("n_y", "m")},
    "planar_grads": {"dW1": ("n_h", "n_x"), "db1": ("n_h", 1), "dW2": ("n_y", "n_h"), "db2": ("n_y", 1)},
    # Dinosaurus' character RNN (utils.py): one example at a time, its hidden bias is b (the RNN step's ba)
    "char_rnn_params": {**_shapes(RNN, ("Wax", "Waa", "Wya")), "b": ("n_a", 1), "by": ("n_y", 1)},
    "char_rnn_grads": {**_shapes(RNN, ("dWax", "dWaa")), "dWya": ("n_y", "n_a"), "db": ("n_a", 1), "dby": ("n_y", 1)},
}


def layouts(*names: str) -> dict[str, dict[str, Shape]]:
    """The dict layouts ``names``, as a plug-in's contract lists them (``{l}`` unexpanded)."""
    return {name: DICT_LAYOUTS[name] for name in names}


def layout(name: str, L: int = 1) -> dict[str, Shape]:  # noqa: N803 - the course's name
    """A dict layout with its ``{l}`` expanded over the layers 1..L."""
    out: dict[str, Shape] = {}
    for l in range(1, L + 1):  # noqa: E741
        for key, shape in DICT_LAYOUTS[name].items():
            out[_at_layer(key, l, L)] = tuple(_at_layer(d, l, L) for d in shape)
        if "{" not in "".join(DICT_LAYOUTS[name]):
            break
    return out


def sizes(shape: Shape, env: dict[str, int]) -> tuple[int, ...]:
    """A symbolic shape's numbers under ``env`` (every symbol bound)."""
    return tuple(evaluate(d, env) for d in shape)
