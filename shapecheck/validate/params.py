"""Real arrays against the tracer's rules, before any math runs. Stdlib only: no numpy.

``check_params(spec, params)`` reports every violation at once, in layer order: missing and
unexpected keys, rank-1 and row biases, transposed weights, chain breaks (W3 has 8 columns but
layer 2 has 7 units), recurrent gates whose columns are not n_a + n_x. Arrays are only asked for
``.shape`` and ``.dtype``, so a dict of shape tuples works too.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from shapecheck.core.dims import Bindings, Shape, evaluate, resolve, show
from shapecheck.core.errors import ShapecheckError
from shapecheck.core import tensors
from shapecheck.core.messages import msg
from shapecheck.core.tensors import Tensor, dense
from shapecheck.core.unify import classify
from shapecheck.views.base import Report
from shapecheck.spec.networks import DenseNet, Sequential, Spec, dense_net


@dataclass(frozen=True)
class Problem:
    """One violation: what kind, which tensor, expected vs actual, the sentence and the fix."""

    kind: str  # shape | missing | unexpected | dtype | type
    tensor: str | None
    expected: Any
    actual: Any
    message: str
    hint: str
    rule: str = ""  # the course rule it breaks, in the course's notation
    hint_id: str | None = None  # which evidence rule produced the hint (diagnosis), for class statistics
    # diagnosis: the student's line that produced the value (in a notebook: the line in cell ``cell``), its text
    line: int | None = None
    cell: int | None = None
    code: str = ""

    def to_json(self) -> dict:
        located = {"line": self.line, "cell": self.cell, "code": self.code or None} if self.line is not None else {}
        return {
            "kind": self.kind,
            "tensor": self.tensor,
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "message": self.message,
            "hint": self.hint,
            "rule": self.rule or None,
            "hint_id": self.hint_id,
            **located,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    if hasattr(value, "item") and getattr(value, "size", 1) == 1:
        return value.item()  # a numpy scalar
    return str(value)  # numpy scalars, dtypes: JSON has no place for them


class ParamsReport(list, Report):
    """The problems found (a list, empty when all is well) that renders itself and serialises to JSON."""

    def __init__(self, problems: Iterable[Problem] = (), network: str = "", count: int = 0, inferred: str | None = None):
        super().__init__(problems)
        self.network = network
        self.count = count  # how many tensors were checked
        self.inferred = inferred  # layer sizes read off the arrays, when no spec was given

    @property
    def passed(self) -> bool:
        return not self

    @property
    def problems(self) -> list[Problem]:
        return list(self)

    def conclusion(self) -> str:
        if self.passed:
            return msg("check.all_good", count=self.count, network=self.network)
        return msg("check.found", count=len(self), network=self.network)

    def to_json(self) -> dict:
        return {
            "passed": self.passed,
            "network": self.network,
            "inferred_dims": self.inferred,
            "problems": [p.to_json() for p in self],
        }

    def _renderable(self):
        from shapecheck.views.render import params_table

        return params_table(self)

    def __repr__(self) -> str:
        return f"ParamsReport({list.__repr__(self)})"


# --- what each tensor must be -------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    shape: Shape
    rule: str
    role: str  # W | b | gate_W | kernel | bias
    layer: int = 0
    previous: str = ""  # the tensor whose size sets this one's columns (for chain breaks)


def _expected(t: Tensor, layer: int = 0, previous: str = "") -> Expected:
    return Expected(t.shape, t.rule, t.role, layer, previous)


def _dense_expected(spec: DenseNet) -> dict[str, Expected]:
    expected = {}
    for l in range(1, spec.L + 1):
        previous = "X" if l == 1 else f"W{l-1}"
        expected[f"W{l}"] = _expected(dense("W", l), l, previous)
        expected[f"b{l}"] = _expected(dense("b", l), l)
    return expected


def _lstm_expected(with_output: bool) -> dict[str, Expected]:
    return {name: _expected(tensors.LSTM[name]) for name in (*tensors.LSTM_STEP, *(("Wy", "by") if with_output else ()))}


def _rnn_expected(with_output: bool) -> dict[str, Expected]:
    return {name: _expected(tensors.RNN[name]) for name in (*tensors.RNN_STEP, *(("Wya", "by") if with_output else ()))}


def _sequential_expected(model: Sequential, course: bool = False) -> tuple[dict[str, Expected], dict[str, int]]:
    """Keras's names and layouts (``conv2d/kernel``, ``dense/bias``, ...), or with ``course`` the course's
    W1, b1, W2, ... for the conv layers: W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C)."""
    from shapecheck.layers.base import KerasLayerSpec
    from shapecheck.tracer.trace import trace

    expected, env = {}, {}
    for row in trace(model).rows:
        if row.convention in ("keras", "conv") and re.search(r"/(kernel|recurrent_kernel|bias)$", row.tensor):
            role = "bias" if row.tensor.endswith("/bias") else "kernel"
            # Keras shapes are fully numeric once traced: carry the numbers, not the per-layer symbols
            expected[row.tensor] = Expected(tuple(row.size), row.rule, role, row.layer)
    conv = 0
    for index, (layer, (inp, _)) in enumerate(zip(model.layers, model.layer_shapes()), start=1):
        if not isinstance(layer, KerasLayerSpec):
            continue
        for w in layer.weights(inp):
            if course and layer.kind == "Conv2D":
                name = f"{'W' if w.name == 'kernel' else 'b'}{conv + 1}"
                shape = w.shape if w.name == "kernel" else (1, 1, 1, *w.shape)
                expected[name] = Expected(shape, msg("conv.rule_W" if w.name == "kernel" else "conv.rule_b"), "conv_" + w.name, index)
            else:
                expected[f"{layer.name}/{w.name}"] = Expected(w.shape, w.rule, "conv_" + w.name if layer.kind == "Conv2D" else w.name, index)
        conv += layer.kind == "Conv2D"
    return expected, env


def _conv_problem(name: str, actual: tuple[int, ...], want: tuple, exp: Expected) -> Problem | None:
    """A conv weight in another layout: PyTorch's kernel (n_C, n_C_prev, f, f), a bias of the wrong rank."""
    if exp.role == "conv_kernel" and len(actual) == 4 and actual == (want[3], want[2], want[0], want[1]) and actual != want:
        text = msg("conv.torch_kernel", name=name, actual=show(actual), expected=show(want))
        return Problem("shape", name, want, actual, text, msg("conv.transpose_fix", name=name), exp.rule)
    if exp.role == "conv_bias" and actual != want and len(actual) >= 1 and actual[-1] == want[-1] and all(d == 1 for d in actual[:-1]):
        text = msg("check.mismatch", name=name, actual=show(actual), expected=show(want), rule=exp.rule)
        return Problem("shape", name, want, actual, text, msg("check.rank_fix", name=name, expected=show(want)), exp.rule)
    return None


# --- reading shapes without numpy -----------------------------------------------------------------


def _shape_of(value: Any) -> tuple[int, ...] | None:
    shape = getattr(value, "shape", None)
    if shape is not None:
        return tuple(int(d) for d in shape)
    if isinstance(value, (tuple, list)) and all(isinstance(d, int) and not isinstance(d, bool) for d in value):
        return tuple(value)  # a shape given directly
    return None


def _dtype_problem(name: str, value: Any) -> Problem | None:
    """Numbers that the engine cannot use as they are: not numbers at all, or a masked array that hides some (the
    engine computes with every entry, the mask's included: it would be ignored without a word)."""
    dtype = getattr(value, "dtype", None)
    kind = getattr(dtype, "kind", None)
    if kind is not None and kind not in "biufc":
        return Problem("dtype", name, "float64", str(dtype), msg("check.dtype", name=name, dtype=dtype), msg("check.dtype_fix", name=name))
    return _masked_problem(name, value)


def masked_entries(value: Any) -> int:
    """How many entries a masked array hides (0 for anything else). np.asarray drops a mask without a word, and the
    course's equations would use the numbers under it: every checker refuses a value where this is not 0."""
    ma = sys.modules.get("numpy.ma")                              # (none made before numpy.ma is imported: this
    if ma is None or not isinstance(value, ma.MaskedArray):       # module does not import numpy)
        return 0
    return int(ma.count_masked(value))


def _masked_problem(name: str, value: Any) -> Problem | None:
    hidden = masked_entries(value)
    if not hidden:
        return None
    return Problem("type", name, "array", f"masked array ({hidden} of {value.size} masked)",
                   msg("check.masked", name=name, hidden=hidden, size=value.size), msg("check.masked_fix", name=name))


def refuse_masked(**arrays: Any) -> None:
    """Raise the problem of the first of these (name=value) that is a masked array hiding entries, as require_valid
    raises it: for the arrays that the tracer's rules do not see (AL, ZL, gradients, gradient checks' inputs)."""
    for name, value in arrays.items():
        problem = _masked_problem(name, value)
        if problem is not None:
            raise ShapecheckError("check.first_problem", message=problem.message, hint=problem.hint)


# --- the checks ---------------------------------------------------------------------------------------


def _check_tensor(name: str, actual: tuple[int, ...], exp: Expected, env: Mapping[str, int], units_of) -> Problem | None:
    want = resolve(exp.shape, env)
    if actual == want:
        return None
    if exp.role.startswith("conv_"):
        found = _conv_problem(name, actual, want, exp)
        if found:
            return found
    shown = {"name": name, "actual": show(actual), "expected": show(want), "rule": exp.rule}
    dims = ", ".join(map(str, want))

    def problem(key: str, fix_key: str, **extra: Any) -> Problem:
        fields = {**shown, **extra}
        return Problem("shape", name, want, actual, msg(f"check.{key}", **fields), msg(f"check.{fix_key}", **fields), exp.rule)

    misfit = classify(exp.shape, actual, env)
    if exp.role == "b" and len(want) == 2:
        units = want[0]
        if misfit.kind == "rank1_column" and actual == (units,):
            return problem("rank1_bias", "rank1_bias_fix", units=units)
        if misfit.kind == "row_for_column":
            return problem("row_bias", "row_bias_fix", units=units)
    if misfit.kind.startswith("rank"):
        return problem("rank", "rank_fix", ndim=len(actual))
    if misfit.kind in ("transposed", "row_for_column"):
        return problem("transposed", "transposed_fix", dims=dims)
    if exp.role == "gate_W" and misfit.kind == "gate_columns":
        return problem("gate_columns", "gate_columns_fix", columns=actual[1], n_a=env.get("n_a"), n_x=env.get("n_x"), expected_columns=want[1])
    if exp.role == "W" and exp.previous and misfit.axis == 1:
        previous, prev_index, units = units_of(exp)
        return problem("chain_columns", "chain_columns_fix", columns=actual[1], previous=previous, prev_index=prev_index, units=units)
    if exp.role == "W" and exp.layer and misfit.axis == 0 and actual[1] == want[1]:
        return problem("rows", "rows_fix", rows=actual[0], index=exp.layer, units=want[0])
    return problem("mismatch", "mismatch_fix")


def _run(expected: dict[str, Expected], env: dict[str, int], params: Mapping[str, Any], network: str, inferred: str | None = None) -> ParamsReport:
    problems: list[Problem] = []

    def units_of(exp: Expected) -> tuple[str, int, int]:
        index = exp.layer - 1
        return exp.previous, index, env[f"n{index}"]

    by_case = {str(k).lower(): k for k in params}
    for name, exp in expected.items():
        if name not in params and name.lower() in by_case:
            continue  # saved as w1 for W1: one problem, the key's name ("did you mean W1?"), said below
        if name not in params:
            want = resolve(exp.shape, env)
            fields = {"name": name, "network": network, "expected": show(want), "rule": exp.rule}
            fix = {"W": "check.missing_fix_W", "gate_W": "check.missing_fix_W", "b": "check.missing_fix_b"}.get(exp.role, "check.missing_fix")
            problems.append(Problem("missing", name, want, None, msg("check.missing", **fields), msg(fix, **fields), exp.rule))
            continue
        value = params[name]
        actual = _shape_of(value)
        if actual is None:
            problems.append(Problem("type", name, "array", type(value).__name__, msg("check.not_array", name=name, type=type(value).__name__), msg("check.not_array_fix")))
            continue
        found = _dtype_problem(name, value) or _check_tensor(name, actual, exp, env, units_of)
        if found:
            problems.append(found)
    known = list(expected)
    for name in params:
        if name not in expected:
            lowered = {k.lower(): k for k in known}
            close = [lowered[str(name).lower()]] if str(name).lower() in lowered else difflib.get_close_matches(str(name), known, n=1)
            hint = msg("check.did_you_mean", suggestion=close[0]) if close else msg("check.unexpected_fix", name=name)
            text = msg("check.unexpected", name=name, network=network, expected=", ".join(known))
            problems.append(Problem("unexpected", str(name), None, _shape_of(params[name]), text, hint))
    return ParamsReport(problems, network, len(expected), inferred)


def _as_mapping(params: Any) -> Mapping[str, Any]:
    if isinstance(params, (str, os.PathLike)):
        from shapecheck.validate.io import load_arrays  # numpy, only for files

        return load_arrays(params)
    if not isinstance(params, Mapping):
        raise ShapecheckError("check.not_array", name="params", type=type(params).__name__)
    return params


def check_params(spec: Spec | None, params: Any) -> ParamsReport:
    """Every shape violation in ``params`` (a dict of arrays or shapes, or an .npz path), in layer order.

    With ``spec=None`` the layer sizes are read off the arrays and the chain is checked.

    >>> check_params(dense_net([5, 4, 1]), {"W1": (4, 5), "b1": (4,), "W2": (1, 4), "b2": (1, 1)})[0].tensor
    'b1'
    """
    params = _as_mapping(params)
    inferred = None
    if spec is None:
        spec, inferred = infer_spec(params)
    if isinstance(spec, DenseNet):
        return _run(_dense_expected(spec), {f"n{l}": n for l, n in enumerate(spec.layer_dims)}, params, spec.describe(), inferred)
    if isinstance(spec, Sequential):
        course = any(re.fullmatch(r"[Wb]\d+", str(key)) for key in params)  # the course's W1, b1 for conv layers
        expected, env = _sequential_expected(spec, course)
        return _run(expected, env, params, repr(spec), inferred)
    if isinstance(spec, _Recurrent):
        return _run(spec.expected, spec.env, params, spec.label, inferred)
    raise ShapecheckError("trace.not_a_spec", value=type(spec).__name__)


@dataclass(frozen=True)
class _Recurrent:
    """Ng's LSTM or RNN parameters, sizes read off the arrays."""

    label: str
    expected: dict
    env: dict


def _vote(*candidates: int | None) -> int | None:
    """The size most sources agree on (the first one on a tie): one wrong tensor cannot outvote two right ones."""
    seen = [c for c in candidates if c is not None]
    return max(seen, key=seen.count) if seen else None


def _dim(params: Mapping[str, Any], name: str, axis: int) -> int | None:
    shape = _shape_of(params.get(name)) if name in params else None
    if not shape:
        return None
    if axis == "size":
        size = 1
        for d in shape:
            size *= d
        return size
    return shape[axis] if len(shape) > axis else None


def _course_case(key: str) -> str:
    """The course's spelling of a dense key written in another case: w1 -> W1, B2 -> b2; others unchanged."""
    if re.fullmatch(r"[Ww][1-9]\d*", key):
        return "W" + key[1:]
    if re.fullmatch(r"[Bb][1-9]\d*", key):
        return "b" + key[1:]
    return key


def infer_spec(params: Mapping[str, Any]) -> tuple[Spec | _Recurrent, str]:
    """Read the layer sizes off the arrays: n[l] is what W[l]'s rows, b[l] and W[l+1]'s columns agree on."""
    # w1 for W1, B1 for b1: the sizes are read off them all the same (the check then asks for the course's name)
    folded = {_course_case(k): v for k, v in params.items() if isinstance(k, str)}
    params = {**folded, **{k: v for k, v in params.items() if k in folded}}
    keys = [k for k in params if isinstance(k, str)]
    dense = sorted(int(k[1:]) for k in keys if re.fullmatch(r"[Wb][1-9]\d*", k))
    if dense:
        L = max(dense)
        n = [0] * (L + 1)
        w1 = _shape_of(params.get("W1")) if "W1" in params else None
        for l in range(1, L + 1):
            w = _shape_of(params.get(f"W{l}")) if f"W{l}" in params else None
            rows = w[0] if w and len(w) == 2 else None
            if rows is not None and l >= 2 and w[0] == n[l - 1] and w[1] != n[l - 1]:
                rows = w[1]  # W[l] looks transposed: its other side is n[l]
            n[l] = _vote(rows, _dim(params, f"b{l}", "size"), _dim(params, f"W{l+1}", 1)) or 1
        if w1 and len(w1) == 2:
            n[0] = w1[0] if (w1[1] == n[1] and w1[0] != n[1]) else w1[1]  # a transposed W1 still tells n0
        else:
            n[0] = 1
        spec = dense_net(n, hidden="relu", output="sigmoid")
        return spec, spec.describe()
    if any(f"W{g}" in params for g in tensors.LSTM_GATES):
        gates = tensors.LSTM_GATES
        n_a = _vote(*(_dim(params, f"W{g}", 0) for g in gates), *(_dim(params, f"b{g}", "size") for g in gates), _dim(params, "Wy", 1))
        cols = _vote(*(_dim(params, f"W{g}", 1) for g in gates))
        env = {"n_a": n_a, "n_x": max((cols or 0) - n_a, 1)}
        with_y = "Wy" in params or "by" in params
        if with_y:
            env["n_y"] = _vote(_dim(params, "Wy", 0), _dim(params, "by", "size"))
        label = "LSTM (n_a={n_a}, n_x={n_x})".format(**env)
        return _Recurrent(label, _lstm_expected(with_y), env), label
    if any(k in params for k in ("Wax", "Waa")):
        n_a = _vote(_dim(params, "Waa", 0), _dim(params, "Wax", 0), _dim(params, "ba", "size"), _dim(params, "Waa", 1))
        env = {"n_a": n_a, "n_x": _dim(params, "Wax", 1) or 1}
        with_y = "Wya" in params or "by" in params
        if with_y:
            env["n_y"] = _vote(_dim(params, "Wya", 0), _dim(params, "by", "size"))
        label = "RNN (n_a={n_a}, n_x={n_x})".format(**env)
        return _Recurrent(label, _rnn_expected(with_y), env), label
    keras = [k for k in keys if re.fullmatch(r".+/(kernel|recurrent_kernel|bias)(:0)?", k)]
    if keras:  # a Keras layer's weights do not say its units' order or activation: the model file does
        raise ShapecheckError("check.keras_needs_spec", keys=", ".join(keras[:3]) + (", ..." if len(keras) > 3 else ""))
    raise ShapecheckError("check.no_layer_keys", keys=", ".join(map(str, keys)) or "(none)")


# --- data: X and Y bind m ----------------------------------------------------------------------------


def check_data(spec: DenseNet, params: Any = None, X: Any = None, Y: Any = None) -> ParamsReport:  # noqa: N803
    """Parameters, X (n0, m) and Y (n[L], m) together: m must agree everywhere."""
    report = check_params(spec, params) if params is not None else ParamsReport([], spec.describe(), 0)
    env = {f"n{l}": n for l, n in enumerate(spec.layer_dims)}
    bindings = Bindings()
    L = spec.L
    for name, value, shape, rule_id in ((name, value, t.shape, t.rule_id) for name, value, t in
                                        (("X", X, dense("X", 0)), ("Y", Y, dense("Y", L, L)))):
        if value is None:
            continue
        actual = _shape_of(value)
        if actual is None:
            report.append(Problem("type", name, "array", type(value).__name__, msg("check.not_array", name=name, type=type(value).__name__), msg("check.not_array_fix")))
            continue
        found = _dtype_problem(name, value)
        if found:
            report.append(found)
            continue
        rows = evaluate(shape[0], env)
        rule = msg(rule_id)
        fields = {"name": name, "actual": show(actual), "rule": rule}
        if len(actual) == 2 and actual[0] == rows:
            conflict = bindings.bind("m", actual[1], name)
            if conflict:
                text = msg("check.conflict", symbol="m", first_size=conflict.first_size, first_place=conflict.first_place,
                           size=conflict.size, place=conflict.place, bindings=f"n0={env['n0']}, m={conflict.first_size}")
                report.append(Problem("shape", name, (rows, conflict.first_size), actual, text, msg("check.conflict_fix", symbol="m", place=name), rule))
            continue
        m = bindings.sizes.get("m")
        want = (rows, m if m is not None else "m")
        fields["expected"] = show(want)
        if len(actual) == 1 and name == "Y" and rows == 1:
            report.append(Problem("shape", name, want, actual, msg("check.y_rank1", **fields), msg("check.y_rank1_fix"), rule))
        elif len(actual) == 2 and actual[1] == rows and (actual[0] != rows or rows == 1):
            key = "x_transposed" if name == "X" else "y_transposed"
            report.append(Problem("shape", name, want, actual, msg(f"check.{key}", **fields), msg(f"check.{key}_fix"), rule))
        elif len(actual) != 2:
            report.append(Problem("shape", name, want, actual, msg("check.rank", ndim=len(actual), **fields), msg("check.rank_fix", name=name, expected=show(want)), rule))
        else:
            report.append(Problem("shape", name, want, actual, msg("check.mismatch", **fields), msg("check.mismatch_fix", name=name, expected=show(want)), rule))
    return report


def require_valid(spec: DenseNet, params: Any = None, X: Any = None, Y: Any = None) -> None:  # noqa: N803
    """Raise the first problem as a ShapecheckError (the engine calls this before any math)."""
    report = check_data(spec, params, X, Y)
    if report:
        first = report[0]
        raise ShapecheckError("check.first_problem", message=first.message, hint=first.hint)
