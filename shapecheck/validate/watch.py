"""``sc.watch``: the assignments' functions, checked at every call while a student works.

    import shapecheck as sc
    sc.watch(globals())            # in the notebook, after the cells that define the functions
    AL, caches = L_model_forward(X, parameters)   # arguments checked before the body runs, results after
    sc.unwatch(globals())          # the original functions again, exactly

Every contract function found in the namespace (``shapecheck.diagnosis.contract``) is
replaced by a wrapper that unifies its arguments with the symbolic shapes of the contract
(n_prev, n, m; n0 .. nL; n_x, n_a, n_y, T_x), bound from the first arrays of the call, and stops
at the first misfit with a ``WatchError`` that names the course rule, the function and argument,
expected vs actual, and the fix, before numpy's broadcasting message three calls later.
Results are checked the same way after the body runs; caches are the student's own business.

Sizes persist along the data: an array that went into or came out of a watched call remembers
where each of its sizes was first bound, so a later call that mixes it with an array of another m
names both places ("m is 209 in X (L_model_forward) but 208 in Y (compute_cost)"), while a fresh
test case of another size is not an error. Inner calls are checked too, because the wrappers
replace the names in the namespace the functions look their callees up in (a module's or a
notebook's globals).
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import numbers
import re
import threading
import warnings
import weakref
from collections import Counter
from contextlib import contextmanager
from types import ModuleType
from typing import Any, Callable, Iterator, Mapping, MutableMapping

from shapecheck.core import cells
from shapecheck.validate.params import Problem, check_params, infer_spec
from shapecheck.diagnosis.contract import BATCHES, COURSE_HELPERS, KINDS, Contract, answers
from shapecheck.core.dims import Bindings, evaluate, resolve, show, symbols
from shapecheck.core.errors import ShapecheckError
from shapecheck.core import tensors
from shapecheck.core.tensors import DICT_LAYOUTS
from shapecheck.core.unify import classify, is_symbol, unify
from shapecheck.core.messages import msg
from shapecheck.spec.networks import ACTIVATIONS, dense_net

__all__ = ["watch", "unwatch", "watching", "rewatch", "original", "WatchError", "WatchWarning", "Checker", "Violation"]


class WatchError(ShapecheckError):
    """A watched function was called with, or returned, an array that breaks a course rule.

    ``problem`` carries the details (expected, actual, rule, hint); ``function`` and ``argument``
    say where.
    """

    __module__ = "shapecheck"  # tracebacks name it as users import it (sc.WatchError), wherever it lives

    def __init__(self, problem: Problem, function: str, where: str, argument: str | None) -> None:
        self.problem = problem
        self.function = function
        self.argument = argument
        self.expected = problem.expected
        self.actual = problem.actual
        self.rule = problem.rule
        self.hint = problem.hint
        super().__init__("watch.error", where=where, message=problem.message, fix=problem.hint)


class WatchWarning(UserWarning):
    """sc.watch had nothing to do."""


class Violation(Exception):
    """The first misfit of one call (internal: the wrapper turns it into a WatchError, testing into an AssertionError)."""

    def __init__(self, problem: Problem, argument: str | None) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.argument = argument


# --- the course rule of each argument and result ---------------------------------------------------

# the rules of the contract functions' own argument names; every tensor of the course is in the registry
_RULES = {"AL": "watch.rule_AL", "A_prev": "watch.rule_A_prev", "dA": "watch.rule_dA", "cost": "watch.rule_cost",
          "learning_rate": "watch.rule_learning_rate"}
_TABLES = (tensors.DENSE, tensors.ARGUMENTS, tensors.RNN, tensors.LSTM, tensors.BATCH)  # "a" is the plain RNN's unless an LSTM says so


@functools.lru_cache(maxsize=1024)
def _place(name: str, function: str, output: bool) -> str:
    return msg("watch.place_output" if output else "watch.place_argument", name=name, function=function)


_NUMERIC = frozenset("biufc")


_DENSE_PARAMS = tensors.DICT_LAYOUTS["dense_params"]
_COSTS = frozenset(("cost", "J"))
_SIZES = frozenset(("n_x", "n_h", "n_y", "n_a", "pad"))  # an int argument of one of these names is that size  # numbers whose (1, 1) means a missing np.squeeze
_KIND_TABLES = {"logreg": tensors.LOGREG}  # names an assignment gives tensors of its own (logistic regression's b is a number)


@functools.lru_cache(maxsize=1024)
def rule_of(name: str, output: bool = False, kind: str | None = None) -> str:
    """The course rule an array called ``name`` follows (``A`` is A[l-1] going in and A[l] coming out)."""
    if name in _KIND_TABLES.get(kind, ()):
        return _KIND_TABLES[kind][name].rule
    if name == "A":
        return msg("rules.A" if output else "watch.rule_A_prev")
    if name in _RULES:
        return msg(_RULES[name], name=name)
    for table in _TABLES:
        if name in table:
            return table[name].rule
    dense = re.fullmatch(r"(d?)([WbA])(\d+)", name)
    if dense:
        grad, letter, _ = dense.groups()
        if letter == "A":
            return msg("rules.dA_prev") if grad else msg("rules.A")
        return msg(f"rules.{grad}{letter}")
    if re.fullmatch(r"d[Wb]\w+", name):
        return msg("rules.rnn_grad")
    return ""


def _elementwise(contract: Contract) -> bool:
    """One array in, one array of the same symbolic shape out, nothing else (sigmoid): any shape goes, kept."""
    ins, outs = list(contract.inputs.values()), list(contract.outputs.values())
    return len(ins) == 1 and len(outs) == 1 and isinstance(ins[0], tuple) and len(ins[0]) > 1 and ins[0] == outs[0]


# --- checking one call -------------------------------------------------------------------------


class Checker:
    """The arrays of one call against the contract's symbolic shapes; raises ``Violation`` at the first misfit.

    Symbols bind from the first array that mentions them; ``sizes`` binds some up front (testing).
    ``origins`` (the watch session) says where an array's sizes were bound in earlier calls.
    """

    def __init__(self, function: str, sizes: Mapping[str, int] | None = None,
                 origins: Callable[[Any, int], tuple[str, ...] | None] | None = None, kind: str | None = None) -> None:
        self.function = function
        self.kind = kind
        self.bindings = Bindings()
        self.L: int | None = None
        self.checked: list[tuple[Any, tuple, str]] = []  # (array, expected shape, place), for the session
        self.seen: list[tuple[str, tuple[int, ...]]] = []  # for the note on an error inside the body
        self._origins = origins or (lambda value, ndim: None)
        for symbol, size in (sizes or {}).items():
            self.bindings.bind(symbol, int(size), msg("watch.place_given", symbol=symbol, size=size))

    # -- places and failures --
    def place(self, name: str, output: bool = False) -> str:
        return _place(name, self.function, output)

    def fail(self, kind: str, name: str | None, expected: Any, actual: Any, key: str, fix: str, rule: str, /,
             **fields: Any) -> Violation:
        """The violation of message ``key`` (fix ``fix``); ``fields`` fill both sentences."""
        fields = {"name": name, "rule": rule, "function": self.function, **fields}
        problem = Problem(kind, name, expected, actual, msg(key, **fields), msg(fix, **fields), rule)
        return Violation(problem, name)

    def set_L(self, L: int) -> None:  # noqa: N802 - the course's name
        """The number of layers, once known: nL is then n{L}."""
        self.L = L
        if "nL" in self.bindings.sizes and f"n{L}" not in self.bindings.sizes:
            self.bindings.bind(f"n{L}", self.bindings.sizes["nL"], self.bindings.places["nL"])

    def _expected(self, shape: tuple) -> tuple:
        if self.L is None:
            return tuple(shape)
        return tuple(f"n{self.L}" if d == "nL" else d for d in shape)

    # -- arrays --
    def shape_of(self, name: str, value: Any, expected: tuple, rule: str) -> tuple[int, ...]:
        """The array's shape; a None, a Python list, a number or text in its place is a violation."""
        shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
        if shape is not None and getattr(dtype, "kind", None) in _NUMERIC and not isinstance(value, (list, tuple)):
            return tuple(map(int, shape))
        want = resolve(self._expected(expected), self.bindings.sizes)
        fields = {"expected": show(want), "actual": type(value).__name__}
        if value is None:
            raise self.fail("type", name, want, "None", "watch.none", "watch.none_fix", rule, **fields)
        if isinstance(value, (list, tuple)):
            raise self.fail("type", name, want, type(value).__name__, "watch.python_list", "watch.python_list_fix", rule,
                            type=type(value).__name__, **fields)
        if shape is None or dtype is None:
            raise self.fail("type", name, want, type(value).__name__, "watch.not_array", "watch.not_array_fix", rule,
                            type=type(value).__name__, **fields)
        if getattr(dtype, "kind", "f") not in "biufc":
            raise self.fail("dtype", name, "float64", str(dtype), "watch.dtype", "watch.dtype_fix", rule, dtype=dtype, **fields)
        return tuple(int(d) for d in shape)

    def array(self, name: str, value: Any, expected: tuple, rule: str | None = None, *, output: bool = False,
              fix: tuple[str, dict] | None = None) -> None:
        """Unify ``value``'s shape with ``expected``: bind its new symbols, or raise the misfit."""
        rule = rule_of(name, output, self.kind) if rule is None else rule
        expected = self._expected(expected)
        actual = self.shape_of(name, value, expected, rule)
        place = self.place(name, output)
        origins = self._origins(value, len(actual))
        fit = unify(expected, actual, self.bindings.sizes)
        if fit is None:
            raise self._misfit(name, expected, actual, place, rule, output, fix)
        for symbol, (size, axis) in fit.items():
            self.bindings.bind(symbol, size, origins[axis] if origins else place)
        self.checked.append((value, expected, place))
        self.seen.append((name, actual))

    def _misfit(self, name: str, expected: tuple, actual: tuple[int, ...], place: str, rule: str,
                output: bool, fix_of: tuple[str, dict] | None = None) -> Violation:
        want = resolve(expected, self.bindings.sizes)
        fields = {"actual": show(actual), "expected": show(want)}

        def violation(key: str, fix: str, **extra: Any) -> Violation:
            if fix_of is not None:  # the caller knows the fix better (a moment starts from its parameter's shape)
                fix, extra = fix_of[0], {**fix_of[1], **extra}
            return self.fail("shape", name, want, actual, key, fix, rule, **fields, **extra)

        misfit = classify(expected, actual, self.bindings.sizes)
        if misfit.kind == "rank1_column":  # b, db, by, ...
            units = actual[0]
            want = (want[0] if isinstance(want[0], int) else units, 1)
            fields["expected"] = show(want)
            if name.startswith("d") or output:
                return violation("watch.rank1_grad", "watch.rank1_grad_fix", units=units)
            return violation("check.rank1_bias", "check.rank1_bias_fix", units=units)
        if misfit.kind in ("rank1_row", "rank1"):
            if misfit.kind == "rank1_row" or name in ("Y", "AL"):
                return violation("watch.rank1_row", "watch.rank1_row_fix")
            return violation("watch.rank1", "watch.rank1_fix")
        if misfit.kind == "rank":
            return violation("watch.rank", "watch.rank_fix", ndim=len(actual))
        if misfit.kind in ("row_for_column", "transposed"):
            want = actual[::-1]  # it fits once transposed: that is the shape it must have
            fields["expected"] = show(want)
            dims = ", ".join(map(str, want))
            bound = [d for d in expected if is_symbol(d) and d in self.bindings.sizes]
            because = msg("watch.because", symbol=bound[0], size=self.bindings.sizes[bound[0]],
                          place=self.bindings.places[bound[0]]) if bound else ""
            if misfit.kind == "row_for_column" and not name.startswith("d"):
                return violation("check.row_bias", "check.row_bias_fix", units=actual[1])
            if name == "X":
                return violation("watch.x_transposed", "check.x_transposed_fix", because=because)
            if output:
                return violation("watch.transposed", "watch.transposed_output_fix", because=because)
            if name.startswith("W"):
                return violation("watch.transposed", "check.transposed_fix", dims=dims, because=because)
            return violation("watch.transposed", "watch.transposed_fix", because=because)
        dim, size = expected[misfit.axis], actual[misfit.axis]
        if misfit.kind == "conflict":
            fix = "watch.conflict_output_fix" if output else "watch.conflict_fix"
            return violation("watch.conflict", fix, symbol=dim, first_size=self.bindings.sizes[dim],
                             first_place=self.bindings.places[dim], size=size, place=place,
                             bindings=self.bindings.describe())
        if misfit.kind == "gate_columns":
            env = dict(misfit.bound)
            columns = evaluate(dim, env)
            if columns is None:  # n_x is unknown: the columns do not even cover a_prev
                return violation("watch.gate_columns_unknown", "watch.gate_columns_unknown_fix", columns=size,
                                 n_a=env.get("n_a", "n_a"))
            return violation("check.gate_columns", "check.gate_columns_fix", columns=size, n_a=env["n_a"],
                             n_x=env["n_x"], expected_columns=columns)
        return violation("watch.mismatch", "watch.mismatch_fix")

    # -- numbers and text --
    def number(self, name: str, value: Any, rule: str, *, scalar_array: bool = True) -> None:
        """One number: a float, an int, a numpy scalar or a 0-d array (the cost: never (1, 1))."""
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return
        shape = getattr(value, "shape", None)
        if value is None or shape is None or not scalar_array:
            raise self.fail("type", name, "number", type(value).__name__, "watch.not_number", "watch.not_number_fix", rule,
                            type=type(value).__name__)
        dtype = getattr(value, "dtype", None)
        if getattr(dtype, "kind", "f") not in "biuf":
            raise self.fail("dtype", name, "float64", str(dtype), "watch.dtype", "watch.dtype_fix", rule, dtype=dtype)
        shape = tuple(int(d) for d in shape)
        if shape == ():
            return
        if name not in _COSTS:
            raise self.fail("shape", name, (), shape, "watch.number_shape", "watch.number_shape_fix", rule, actual=show(shape))
        key = "watch.cost_shape" if math.prod(shape) == 1 else "watch.cost_many"
        raise self.fail("shape", name, (), shape, key, key + "_fix", rule, actual=show(shape))

    def sequence(self, name: str, value: Any) -> None:
        """A list of numbers, one per recorded iteration (costs): a list, a tuple or an array, never None."""
        if value is None or isinstance(value, (str, bytes, Mapping)) or not (
                isinstance(value, (list, tuple)) or getattr(value, "shape", None) is not None):
            raise self.fail("type", name, "list", type(value).__name__, "watch.not_a_list", "watch.not_a_list_fix", "",
                            type=type(value).__name__)

    def batches(self, name: str, value: Any, layout: str, *, output: bool = False) -> None:
        """A list of (mini_batch_X, mini_batch_Y) pairs: each pair agrees on its own size, together they hold m examples."""
        (x_key, x_shape), (y_key, y_shape) = ((re.sub(r"\{l\}", "", k), s) for k, s in DICT_LAYOUTS[layout].items())
        if not isinstance(value, (list, tuple)) or not value or not all(
                isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in value):
            raise self.fail("type", name, "list", type(value).__name__, "watch.not_batches", "watch.not_batches_fix", "",
                            type=type(value).__name__)
        total = 0
        for k, (batch_x, batch_y) in enumerate(value):
            for symbol in ("size",):  # each mini-batch has a size of its own (the last one is smaller)
                self.bindings.sizes.pop(symbol, None)
                self.bindings.places.pop(symbol, None)
            self.array(f"{name}[{k}][0]", batch_x, x_shape, rule_of(x_key), output=output)
            self.array(f"{name}[{k}][1]", batch_y, y_shape, rule_of(y_key), output=output)
            total += self.bindings.sizes["size"]
        m = self.bindings.sizes.get("m")
        if m is not None and total != m:
            raise self.fail("shape", name, m, total, "watch.batches_cover", "watch.batches_cover_fix", rule_of(x_key),
                            total=total, m=m, place=self.bindings.places["m"])

    def activation(self, name: str, value: Any) -> None:
        if not isinstance(value, str):
            raise self.fail("type", name, "str", type(value).__name__, "watch.not_text", "watch.not_text_fix", "",
                            type=type(value).__name__)
        if value not in ACTIVATIONS:
            lowered = value.strip().lower()
            close = [lowered] if lowered in ACTIVATIONS else difflib.get_close_matches(lowered, ACTIVATIONS, n=1, cutoff=0.5)
            raise self.fail("value", name, ACTIVATIONS, value, "watch.activation", "watch.activation_fix", "",
                            value=value, known=", ".join(ACTIVATIONS), suggestion=(close or ["relu"])[0])

    def layer_dims(self, name: str, value: Any) -> None:
        """[n0, ..., nL]: binds n0 .. nL and L."""
        sizes = list(value) if isinstance(value, (list, tuple)) or getattr(value, "ndim", None) == 1 else None
        if not sizes or len(sizes) < 2 or not all(
                isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1 for s in sizes):
            raise self.fail("type", name, "list", repr(value), "watch.layer_dims", "watch.layer_dims_fix", "", value=value)
        place = self.place(name)
        for l, size in enumerate(sizes):  # noqa: E741 - the course's index
            self.bindings.bind(f"n{l}", int(size), place)
        self.set_L(len(sizes) - 1)

    # -- dicts --
    def mapping(self, name: str, value: Any, keys: list[str]) -> Mapping:
        if not isinstance(value, Mapping):
            example = ", ".join(f"{k!r}: {k}" for k in keys[:2]) + ", ..."
            raise self.fail("type", name, "dict", type(value).__name__, "watch.not_a_dict", "watch.not_a_dict_fix", "",
                            type=type(value).__name__, keys=", ".join(keys), example=example)
        return value

    def missing(self, name: str, value: Mapping, key: str, keys_text: str, expected: tuple, known: Any = ()) -> Violation:
        """``key`` is missing from the dict ``name``; a close key that is not itself expected is suggested."""
        want = show(resolve(self._expected(expected), self.bindings.sizes))
        close = difflib.get_close_matches(key, [str(k) for k in value if k not in known], n=1, cutoff=0.6)
        fix = "watch.missing_key_close" if close else "watch.missing_key_fix"
        return self.fail("missing", key, want, None, "watch.missing_key", fix, rule_of(key, False, self.kind), name=name, key=key,
                         keys=keys_text, expected=want, suggestion=close[0] if close else "")

    def params(self, name: str, value: Any, layout: str, *, output: bool = False) -> None:
        """A parameters dict: every key present, every shape right (the shape checker's sentences), sizes bound."""
        if layout == "dense_params" or DICT_LAYOUTS.get(layout) == _DENSE_PARAMS:
            self._dense_params(name, value, output)
            return
        shapes = DICT_LAYOUTS[layout]
        if any(not isinstance(shape, tuple) or len(shape) < 2 for shape in shapes.values()):  # numbers or lists among them
            self._entries(name, value, list(shapes.items()), set(shapes), ", ".join(shapes), output)
            return
        value = self.mapping(name, value, list(shapes))
        for key, shape in shapes.items():
            if key not in value:
                raise self.missing(name, value, key, ", ".join(shapes), shape, shapes)
            self.shape_of(key, value[key], shape, rule_of(key, False, self.kind))
        # biases first (a column names its units unambiguously), then square matrices, then the rest:
        # a transposed Wax is then named as such, never blamed on the Waa that comes after it
        # and, of the LSTM's four gates, the most common shape first: the odd gate out is the one named
        common = Counter(getattr(value[k], "shape", None) for k, shape in shapes.items() if shape[-1] == "n_a + n_x")

        def order_of(item: tuple[str, tuple]) -> tuple[int, int]:
            key, shape = item
            rank = 0 if shape[-1] == 1 else 1 if shape[0] == shape[-1] else 2
            return rank, -common.get(getattr(value[key], "shape", None), 0) if shape[-1] == "n_a + n_x" else 0

        order = sorted(shapes.items(), key=order_of)
        for key, shape in order:
            self.array(key, value[key], shape, output=output)

    def _dense_params(self, name: str, value: Any, output: bool) -> None:
        value = self.mapping(name, value, ["W1", "b1"])
        layers = sorted({int(k[1:]) for k in value if isinstance(k, str) and re.fullmatch(r"[Wb][1-9]\d*", k)})
        if not layers and self.L is None:
            raise self.fail("missing", "W1", None, None, "watch.no_layers", "watch.no_layers_fix", "", name=name)
        for key in value:
            if isinstance(key, str) and re.fullmatch(r"[Wb][1-9]\d*", key):
                l = int(key[1:])  # noqa: E741 - the course's index
                self.shape_of(key, value[key], (f"n{l}", f"n{l - 1}") if key[0] == "W" else (f"n{l}", 1), rule_of(key))
        spec = None
        if self.L is not None and all(f"n{l}" in self.bindings.sizes for l in range(self.L + 1)):
            try:
                spec = dense_net([self.bindings.sizes[f"n{l}"] for l in range(self.L + 1)])
            except ShapecheckError:
                spec = None
        self._first_problem(value, spec)
        L = self.L if spec is not None else max(layers, default=self.L or 1)
        self.set_L(L)
        for l in range(1, L + 1):  # noqa: E741 - the course's index
            self.array(f"W{l}", value[f"W{l}"], (f"n{l}", f"n{l - 1}"), output=output)
            self.array(f"b{l}", value[f"b{l}"], (f"n{l}", 1), output=output)

    def _first_problem(self, params: Mapping, spec: Any) -> None:
        """The shape checker's first problem with ``params`` (unexpected extra keys are the student's business)."""
        try:
            if spec is None:
                spec, _ = infer_spec(params)
            report = check_params(spec, params)
        except ShapecheckError as error:  # no layer keys at all
            raise Violation(Problem("missing", None, None, None, str(error), msg("watch.params_fix")), None) from None
        for problem in report:
            if problem.kind != "unexpected":
                raise Violation(problem, problem.tensor)

    def grads(self, name: str, value: Any, layout: str, *, output: bool = False) -> None:
        """A gradients dict: every key present and shaped like what it is the gradient of."""
        if layout == "dense_grads":
            entries, required, keys_text = self._dense_grads(value)
        elif any("{l}" in key for key in DICT_LAYOUTS[layout]):
            entries, required, keys_text = self._layered(value, DICT_LAYOUTS[layout])
        else:
            entries = list(DICT_LAYOUTS[layout].items())
            required, keys_text = {k for k, _ in entries}, ", ".join(k for k, _ in entries)
        moments = layout == "moments" and name in ("v", "s", "v_corrected", "s_corrected")
        self._entries(name, value, entries, required, keys_text, output, moments)

    def _entries(self, name: str, value: Any, entries: list[tuple[str, Any]], required: set[str], keys_text: str,
                 output: bool, moments: bool = False) -> None:
        value = self.mapping(name, value, [k for k, _ in entries])
        for key, shape in entries:
            if key not in value:
                if key in required and (output or not key.startswith("dA")):
                    raise self.missing(name, value, key, keys_text, shape if isinstance(shape, tuple) else (), required)
            elif shape == ():
                self.number(key, value[key], rule_of(key, output, self.kind))
            elif shape == ("k",):
                self.sequence(key, value[key])
            elif moments:  # v["dW1"], s["db2"]: running averages of a gradient, made from its parameter's shape
                param = key[1:]
                self.array(f"{name}[{key!r}]", value[key], shape, msg("watch.rule_moment", name=name, key=key, param=param),
                           output=output, fix=("watch.moment_fix", {"dict": name, "key": key, "param": param}))
            else:
                self.array(key, value[key], shape, output=output)

    def _layered(self, value: Any, template: dict[str, tuple]) -> tuple[list[tuple[str, tuple]], set[str], str]:
        """A layout over the layers (``dW{l}``: (n{l}, n{l-1}), ...), expanded for l = L .. 1, the backward's order:
        the parameters' gradients are required, the others (dZ{l}, dA{l}) checked where present."""
        keys = value if isinstance(value, Mapping) else {}
        numbered = [int(m.group(1)) for k in keys if isinstance(k, str) and (m := re.fullmatch(r"d?[Wb]([1-9]\d*)", k))]
        if self.L is None:
            self.set_L(max(numbered, default=1))
        L = self.L
        order = sorted(template, key=lambda key: "bWZA".find(key.lstrip("d")[0]))  # db binds n[l] first, then dW n[l-1]
        entries, required = [], set()
        for l in range(L, 0, -1):  # noqa: E741 - the course's index
            for key in order:
                name = key.replace("{l}", str(l))
                entries.append((name, tuple(d.replace("{l-1}", str(l - 1)).replace("{l}", str(l)) if isinstance(d, str) else d
                                            for d in template[key])))
                if key.lstrip("d")[0] in "Wb":
                    required.add(name)
        shown = ", ".join(k.replace("{l}", "1") + ".." + k.replace("{l}", str(L)) for k in template if k.lstrip("d")[0] in "Wb")
        return entries, required, msg("watch.grads_keys", keys=shown, L=L)

    def _dense_grads(self, value: Any) -> tuple[list[tuple[str, tuple]], set[str], str]:
        keys = value if isinstance(value, Mapping) else {}
        numbered = [int(m.group(1)) for k in keys if isinstance(k, str) and (m := re.fullmatch(r"d[Wb]([1-9]\d*)", k))]
        if self.L is None:
            self.set_L(max(numbered, default=1))
        L = self.L
        old_edition = "dA0" not in keys and f"dA{L}" in keys  # dA[l-1] stored under dA{l}, as the 2017 notebook did
        entries = []
        for l in range(L, 0, -1):  # noqa: E741 - backward order: db binds n[l], dW then n[l-1]
            entries += [(f"db{l}", (f"n{l}", 1)), (f"dW{l}", (f"n{l}", f"n{l - 1}")),
                        (f"dA{l if old_edition else l - 1}", (f"n{l - 1}", "m"))]
        first = 1 if old_edition else 0
        if L == 1:
            text = f"dA{first}, dW1, db1"
        else:
            text = msg("watch.grads_keys", keys=f"dA{first}..dA{L - 1 + first}, dW1..dW{L}, db1..db{L}", L=L)
        return entries, {k for k, _ in entries}, text

    # -- a whole call --
    def inputs(self, contract: Contract, arguments: list[tuple[str, Any]]) -> None:
        """Each argument against the contract, parameters first (they set the layer sizes), then data."""
        pairs = list(zip(contract.inputs.items(), arguments))
        caches = [value for (spec_name, _), (_, value) in pairs if spec_name == "caches"]
        if caches and self.L is None and isinstance(caches[0], (list, tuple)) and caches[0]:
            self.set_L(len(caches[0]))

        def priority(item) -> int:
            (_, shape), _ = item
            if isinstance(shape, str):
                return 0
            if shape is None:
                return 4
            return 1 if 1 in shape else 2 if "m" not in shape else 3

        if _elementwise(contract):  # sigmoid(z): any shape in, the same shape out (the notebook calls it on a rank-1 array)
            self.elementwise = getattr(pairs[0][1][1], "shape", None) if pairs else None
            return
        for (spec_name, shape), (name, value) in sorted(pairs, key=priority):
            self.value(spec_name, name, value, shape, output=False)

    def outputs(self, contract: Contract, result: Any) -> None:
        """The result against the contract: tuple arity first, then each value (caches are not checked)."""
        if _elementwise(contract):
            (out, _), (arg, _) = next(iter(contract.outputs.items())), next(iter(contract.inputs.items()))
            if self.elementwise is not None and getattr(result, "shape", None) != self.elementwise:
                actual = show(tuple(result.shape)) if hasattr(result, "shape") else type(result).__name__
                raise self.fail("shape", out, self.elementwise, actual, "watch.elementwise", "watch.elementwise_fix", "",
                                argument=arg, expected=show(tuple(self.elementwise)), actual=actual)
            return
        older = int(contract.notes.get("older_arity", 0))
        if older and contract.returns_tuple and (
                (older == 1 and not isinstance(result, (tuple, list))) or
                (older > 1 and isinstance(result, (tuple, list)) and len(result) == older)):
            # the 2017-20 edition's return (parameters alone; Adam's parameters, v, s): its first values
            contract = Contract(contract.name, contract.kind, contract.role, contract.inputs,
                                dict(list(contract.outputs.items())[:older]), contract.callees)
        names = ", ".join(contract.outputs)
        if result is None and any(shape is not None for shape in contract.outputs.values()):
            raise self.fail("type", None, names, None, "watch.returned_none", "watch.returned_none_fix", "", names=names)
        if contract.returns_tuple:
            count = len(contract.outputs)
            if not isinstance(result, (tuple, list)) or len(result) != count:
                actual = (msg("watch.arity_values", count=len(result)) if isinstance(result, (tuple, list))
                          else type(result).__name__)
                raise self.fail("type", None, count, actual, "watch.arity", "watch.arity_fix", "", names=names,
                                count=count, actual=actual)
            values = list(result)
            self._order(contract, values)
        else:
            values = [result]
        for (spec_name, shape), value in zip(contract.outputs.items(), values):
            self.value(spec_name, spec_name, value, shape, output=True)

    def _order(self, contract: Contract, values: list) -> None:
        """Arrays that fit only with two of them swapped come back in the wrong order: say so, not "wrong shape"."""
        slots = [(i, shape) for i, shape in enumerate(contract.outputs.values()) if isinstance(shape, tuple) and shape]
        if self._all_fit([(values[i], shape) for i, shape in slots]):
            return
        for a, (i, _) in enumerate(slots):
            for j, _ in slots[a + 1:]:
                swapped = {i: values[j], j: values[i]}
                if self._all_fit([(swapped.get(k, values[k]), shape) for k, shape in slots]):
                    names = list(contract.outputs)
                    raise self.fail("shape", names[i], names[i], names[j], "watch.order", "watch.order_fix", "",
                                    first=names[i], second=names[j], names=", ".join(names))

    def _all_fit(self, pairs: list[tuple[Any, tuple]]) -> bool:
        saved = dict(self.bindings.sizes)
        try:
            for value, shape in pairs:
                shape = self._expected(shape)
                actual = getattr(value, "shape", None)
                fit = None if actual is None else unify(shape, tuple(actual), self.bindings.sizes)
                if fit is None:
                    return False
                self.bindings.sizes.update({symbol: size for symbol, (size, _) in fit.items()})
            return True
        finally:
            self.bindings.sizes = saved

    elementwise: tuple | None = None

    def value(self, spec_name: str, name: str, value: Any, shape: Any, *, output: bool) -> None:
        if shape is None:
            return  # a cache: the student's own business
        if shape == "int" and spec_name in _SIZES and isinstance(value, numbers.Integral) and not isinstance(value, bool) \
                and value >= (0 if spec_name == "pad" else 1):
            self.bindings.bind(spec_name, int(value), self.place(name))  # n_h given: the parameters must have n_h rows
            return
        if shape in ("int", "bool", "dict") or (shape == "list" and not spec_name.startswith("layer")):
            return  # counts, seeds, switches, char_to_ix, a list of character indices: Python says it well enough
        if shape == "str":
            self.activation(name, value)
        elif shape == "float":
            self.number(name, value, rule_of(spec_name, output, self.kind) or msg("watch.rule_number", name=spec_name),
                        scalar_array=True)
        elif shape == "list":
            self.layer_dims(name, value)
        elif shape == ("k",):
            self.sequence(name, value)
        elif shape == BATCHES:
            self.batches(name, value, shape, output=output)
        elif isinstance(shape, str) and (shape.endswith("_params") or DICT_LAYOUTS.get(shape) == _DENSE_PARAMS):
            self.params(name, value, shape, output=output)
        elif isinstance(shape, str):
            self.grads(name, value, shape, output=output)
        elif shape == ():
            self.number(name, value, rule_of(spec_name, output, self.kind) or msg("watch.rule_number", name=spec_name))
        else:
            self.array(name, value, shape, rule_of(spec_name, output, self.kind), output=output)

    def take_checked(self) -> list[tuple[Any, tuple, str]]:
        """What was checked since the last call, with the place where each of its dims was bound."""
        done, self.checked = self.checked, []
        return [(value, tuple(self.bindings.places.get(d, place) if is_symbol(d) else place for d in shape))
                for value, shape, place in done]


# --- the session: where sizes were bound, along the data ---------------------------------------------


class Session:
    """What one namespace's wrappers share: the origin of each array's sizes, and the call stack."""

    def __init__(self) -> None:
        self._origins: dict[int, tuple[weakref.ref, tuple[str, ...]]] = {}
        self._local = threading.local()

    def origin(self, value: Any, ndim: int) -> tuple[str, ...] | None:
        entry = self._origins.get(id(value))
        if entry is None or entry[0]() is not value or len(entry[1]) != ndim:
            return None
        return entry[1]

    def remember(self, checked: list[tuple[Any, tuple[str, ...]]], overwrite: bool) -> None:
        for value, places in checked:
            key = id(value)
            if not overwrite and self.origin(value, len(places)) is not None:
                continue
            try:
                ref = weakref.ref(value, functools.partial(self._forget, key))
            except TypeError:
                continue  # not an ndarray (a numpy scalar, a duck array): nothing to follow
            self._origins[key] = (ref, places)

    def _forget(self, key: int, ref: weakref.ref) -> None:
        entry = self._origins.get(key)
        if entry is not None and entry[0] is ref:
            del self._origins[key]

    @property
    def stack(self) -> list[str]:
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack


# --- wrapping --------------------------------------------------------------------------------------

_WRAPPERS: "weakref.WeakKeyDictionary[Callable, tuple[Callable, Session, Contract]]" = weakref.WeakKeyDictionary()


def _watched(value: Any) -> tuple[Callable, Session, Contract] | None:
    try:
        return _WRAPPERS.get(value)
    except TypeError:  # an unhashable callable object
        return None


def original(value: Any) -> Any:
    """The student's own function behind a watch wrapper (anything else as it is)."""
    found = _watched(value)
    return value if found is None else found[0]


def _wrap(function: Callable, contract: Contract, session: Session) -> Callable:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        signature = None

    @functools.wraps(function)
    def watched(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # noqa: F841 - pytest and IPython hide this frame
        try:
            bound = signature.bind(*args, **kwargs) if signature is not None else None
        except TypeError:
            bound = None  # Python's own message about the call says it best
        if bound is None:
            return function(*args, **kwargs)
        bound.apply_defaults()
        stack = session.stack
        caller = stack[-1] if stack else None
        where = msg("watch.called_from", function=contract.name, caller=caller) if caller else contract.name
        in_cells = False
        if cells.shell() is not None:  # in a notebook: the cells, which is what the student can find
            where, in_cells = _in_cells(where, function, None if caller else cells.calling_cell())
        checker = Checker(contract.name, origins=session.origin, kind=contract.kind)
        arguments = [(name, value) for name, value in bound.arguments.items()
                     if signature.parameters[name].kind in (inspect.Parameter.POSITIONAL_ONLY,
                                                            inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        try:
            checker.inputs(contract, arguments)
        except Violation as violation:
            raise _error(violation, contract.name, where, in_cells) from None
        session.remember(checker.take_checked(), overwrite=False)
        stack.append(contract.name)
        try:
            result = function(*args, **kwargs)
        except WatchError:
            raise
        except Exception as error:
            _note(error, contract, checker.seen)
            raise
        finally:
            stack.pop()
        try:
            checker.outputs(contract, result)
        except Violation as violation:
            raise _error(violation, contract.name, where, in_cells) from None
        session.remember(checker.take_checked(), overwrite=True)
        return result

    _WRAPPERS[watched] = (function, session, contract)
    return watched


def _in_cells(where: str, function: Callable, call: str | None) -> tuple[str, bool]:
    """``where``, then the cell that defines the function and the cell (and line) of the call, when those are cells."""
    defined = cells.defined_in(function)
    if defined is not None:
        where = msg("watch.where_defined", where=where, place=defined)
    if call is not None:
        where = msg("watch.where_called", where=where, place=call)
    return where, defined is not None or call is not None


def _error(violation: Violation, function: str, where: str, in_cells: bool) -> WatchError:
    error = WatchError(violation.problem, function, where, violation.argument)
    if in_cells:  # IPython shows this instead of the frames: the message names the cells, our wrapper is noise
        error._render_traceback_ = lambda: [f"{type(error).__name__}: {error}"]
    return error


def _note(error: Exception, contract: Contract, seen: list[tuple[str, tuple[int, ...]]]) -> None:
    """numpy's message, plus one line: the arguments fitted, so the mistake is inside the innermost function."""
    if getattr(error, "_shapecheck_noted", False) or not hasattr(error, "add_note"):
        return
    shapes = ", ".join(f"{name} {show(shape)}" for name, shape in seen[:8]) + (", ..." if len(seen) > 8 else "")
    key = "watch.body_failed_cache" if None in contract.inputs.values() else "watch.body_failed"
    try:
        error.add_note(msg(key, function=contract.name, shapes=shapes or "-"))
        error._shapecheck_noted = True
    except (AttributeError, TypeError):  # an exception type that takes no attributes
        pass


def _namespace(namespace: Any) -> MutableMapping[str, Any]:
    if isinstance(namespace, ModuleType):
        return vars(namespace)
    if isinstance(namespace, MutableMapping):
        return namespace
    raise ShapecheckError("watch.not_a_namespace", type=type(namespace).__name__)


def _describe(namespace: Any) -> str:
    if isinstance(namespace, ModuleType):
        return namespace.__name__
    return str(namespace.get("__name__", "the dict given"))


def watch(namespace: ModuleType | MutableMapping[str, Any], *, kind: str | None = None) -> tuple[str, ...]:
    """Check every call of the assignments' functions found in ``namespace``; returns their names.

    ``namespace`` is a module or a dict such as a notebook's ``globals()``. Watching twice wraps
    nothing twice. In IPython or Jupyter, watching the notebook's own ``globals()`` follows it: when
    a cell that defines (or defines again) one of the functions has run, that function is watched.
    Elsewhere, a function defined again after ``watch`` is watched on the next ``watch``.
    A namespace with none of the functions gets a ``WatchWarning``, not an error.
    The assignment is recognised from the functions the namespace defines (``kind`` forces one:
    "logreg", "optimization", ...; ``shapecheck diagnose --list`` lists them).

    >>> import numpy as np
    >>> def linear_forward(A, W, b):
    ...     return W @ A + b, (A, W, b)
    >>> names = watch(ns := {"linear_forward": linear_forward})
    >>> ns["linear_forward"](np.ones((3, 2)), np.ones((4, 3)), np.zeros(4))
    Traceback (most recent call last):
    shapecheck.WatchError: linear_forward: b is rank-1 (4,) but must be the column (4, 1): ...
    >>> unwatch(ns)[0], ns["linear_forward"] is linear_forward
    ('linear_forward', True)
    """
    ns = _namespace(namespace)
    names = rewatch(ns, kind)
    if not names:
        warnings.warn(msg("watch.nothing", namespace=_describe(namespace)), WatchWarning, stacklevel=2)
    if cells.is_user_namespace(ns):
        cells.follow(ns, functools.partial(rewatch, kind=kind))  # a definition cell run again, or a new one, is wrapped when its cell ends
    return names


# every assignment's functions: which contract a name stands for depends on the assignment the namespace
# holds (compute_cost, predict, forward_propagation, ... exist in several), see ``contracts_for``
WATCHED = tuple(dict.fromkeys(c.name for contracts in KINDS.values() for c in contracts))
_TELLING = {kind: frozenset(c.name for c in contracts) - frozenset(
    c.name for other, cs in KINDS.items() if other != kind for c in cs) for kind, contracts in KINDS.items()}


def _defined_here(ns: Mapping[str, Any]) -> set[str]:
    """The names of the functions ``ns`` itself defines (a notebook's cells, a module's defs); none: every callable.

    Functions a notebook imports (reg_utils' forward_propagation, dnn_app_utils' L_model_forward) are the
    course's own: they say nothing about which assignment the student is writing.
    """
    def own(value: Any) -> bool:
        return getattr(original(value), "__globals__", None) is ns

    names = {name for name, value in ns.items() if own(value)}
    return names or {name for name, value in ns.items() if callable(value) and not isinstance(value, type)}


def contracts_for(ns: Mapping[str, Any], kind: str | None = None) -> dict[str, Contract]:
    """Name -> contract of what ``ns`` holds: the assignment it defines most functions of (or ``kind``), then any
    other assignment it defines at least two functions only that assignment has (a file of several assignments).
    A course helper of the main assignment (dnn_utils' sigmoid) is never taken for another assignment's function."""
    if kind is not None:
        if kind not in KINDS:
            raise ShapecheckError("watch.unknown_kind", kind=kind, kinds=", ".join(KINDS))
        return {c.name: c for c in KINDS[kind]}
    defined = _defined_here(ns)
    counts = {k: len(answers(k, defined)) for k in KINDS}  # a pasted collaborator of another assignment's is not one
    main = max(counts, key=lambda k: (counts[k], k == "dnn"))
    chosen = {c.name: c for c in KINDS[main]}
    for other, contracts in KINDS.items():
        if other != main and len(_TELLING[other] & defined) >= 2:
            for c in contracts:
                if c.name not in COURSE_HELPERS.get(main, ()):
                    chosen.setdefault(c.name, c)
    return chosen


def rewatch(namespace: MutableMapping[str, Any], kind: str | None = None) -> tuple[str, ...]:
    """Wrap what is not wrapped yet (a function defined or defined again since): the names watched now.
    A function wrapped before under another assignment's contract is wrapped again under the right one."""
    ns = namespace
    sessions = [found[1] for found in map(_watched, list(ns.values())) if found]
    session = sessions[0] if sessions else Session()
    names = []
    for name, contract in contracts_for(ns, kind).items():
        value = ns.get(name)
        if value is None or isinstance(value, type) or not callable(value):
            continue
        found = _watched(value)
        if found is not None and found[2] != contract:
            value, found = found[0], None
        if found is None:
            ns[name] = _wrap(value, contract, session)
        names.append(name)
    return tuple(names)


def unwatch(namespace: ModuleType | MutableMapping[str, Any]) -> tuple[str, ...]:
    """Put the original functions back (the very same objects); returns the names restored.
    In a notebook, new cells are no longer watched either."""
    ns = _namespace(namespace)
    cells.stop_following(ns)
    restored = []
    for name, value in list(ns.items()):
        found = _watched(value)
        if found is not None:
            ns[name] = found[0]
            restored.append(name)
    return tuple(restored)


@contextmanager
def watching(namespace: ModuleType | MutableMapping[str, Any], *, kind: str | None = None) -> Iterator[tuple[str, ...]]:
    """``with sc.watching(globals()):`` watch for the block only; what was watched before stays watched."""
    ns = _namespace(namespace)
    before = {name for name, value in ns.items() if _watched(value)}
    followed = cells.following(ns)
    names = watch(namespace, kind=kind)
    try:
        yield names
    finally:
        if not followed:
            cells.stop_following(ns)
        for name, value in list(ns.items()):
            found = _watched(value)
            if name not in before and found is not None:
                ns[name] = found[0]
