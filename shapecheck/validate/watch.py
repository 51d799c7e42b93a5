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
from shapecheck.diagnosis.contract import DICT_LAYOUTS, KINDS, Contract
from shapecheck.core.dims import Bindings, evaluate, resolve, show, symbols
from shapecheck.core.errors import ShapecheckError
from shapecheck.core import tensors
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
_TABLES = (tensors.DENSE, tensors.ARGUMENTS, tensors.RNN, tensors.LSTM)  # "a" is the plain RNN's unless an LSTM says so


@functools.lru_cache(maxsize=1024)
def _place(name: str, function: str, output: bool) -> str:
    return msg("watch.place_output" if output else "watch.place_argument", name=name, function=function)


_NUMERIC = frozenset("biufc")


@functools.lru_cache(maxsize=1024)
def rule_of(name: str, output: bool = False) -> str:
    """The course rule an array called ``name`` follows (``A`` is A[l-1] going in and A[l] coming out)."""
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


# --- checking one call -------------------------------------------------------------------------


class Checker:
    """The arrays of one call against the contract's symbolic shapes; raises ``Violation`` at the first misfit.

    Symbols bind from the first array that mentions them; ``sizes`` binds some up front (testing).
    ``origins`` (the watch session) says where an array's sizes were bound in earlier calls.
    """

    def __init__(self, function: str, sizes: Mapping[str, int] | None = None,
                 origins: Callable[[Any, int], tuple[str, ...] | None] | None = None) -> None:
        self.function = function
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

    def array(self, name: str, value: Any, expected: tuple, rule: str | None = None, *, output: bool = False) -> None:
        """Unify ``value``'s shape with ``expected``: bind its new symbols, or raise the misfit."""
        rule = rule_of(name, output) if rule is None else rule
        expected = self._expected(expected)
        actual = self.shape_of(name, value, expected, rule)
        place = self.place(name, output)
        origins = self._origins(value, len(actual))
        fit = unify(expected, actual, self.bindings.sizes)
        if fit is None:
            raise self._misfit(name, expected, actual, place, rule, output)
        for symbol, (size, axis) in fit.items():
            self.bindings.bind(symbol, size, origins[axis] if origins else place)
        self.checked.append((value, expected, place))
        self.seen.append((name, actual))

    def _misfit(self, name: str, expected: tuple, actual: tuple[int, ...], place: str, rule: str,
                output: bool) -> Violation:
        want = resolve(expected, self.bindings.sizes)
        fields = {"actual": show(actual), "expected": show(want)}

        def violation(key: str, fix: str, **extra: Any) -> Violation:
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
        key = "watch.cost_shape" if math.prod(shape) == 1 else "watch.cost_many"
        raise self.fail("shape", name, (), shape, key, key + "_fix", rule, actual=show(shape))

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
        return self.fail("missing", key, want, None, "watch.missing_key", fix, rule_of(key), name=name, key=key,
                         keys=keys_text, expected=want, suggestion=close[0] if close else "")

    def params(self, name: str, value: Any, layout: str, *, output: bool = False) -> None:
        """A parameters dict: every key present, every shape right (the shape checker's sentences), sizes bound."""
        if layout == "dense_params":
            self._dense_params(name, value, output)
            return
        shapes = DICT_LAYOUTS[layout]
        value = self.mapping(name, value, list(shapes))
        for key, shape in shapes.items():
            if key not in value:
                raise self.missing(name, value, key, ", ".join(shapes), shape, shapes)
            self.shape_of(key, value[key], shape, rule_of(key))
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
        else:
            entries = list(DICT_LAYOUTS[layout].items())
            required, keys_text = {k for k, _ in entries}, ", ".join(k for k, _ in entries)
        value = self.mapping(name, value, [k for k, _ in entries])
        for key, shape in entries:
            if key in value:
                self.array(key, value[key], shape, output=output)
            elif key in required and (output or not key.startswith("dA")):
                raise self.missing(name, value, key, keys_text, shape, required)

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

        for (spec_name, shape), (name, value) in sorted(pairs, key=priority):
            self.value(spec_name, name, value, shape, output=False)

    def outputs(self, contract: Contract, result: Any) -> None:
        """The result against the contract: tuple arity first, then each value (caches are not checked)."""
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

    def value(self, spec_name: str, name: str, value: Any, shape: Any, *, output: bool) -> None:
        if shape is None:
            return  # a cache: the student's own business
        if shape == "str":
            self.activation(name, value)
        elif shape == "float":
            self.number(name, value, msg("watch.rule_learning_rate"), scalar_array=True)
        elif shape == "list":
            self.layer_dims(name, value)
        elif isinstance(shape, str) and shape.endswith("_params"):
            self.params(name, value, shape, output=output)
        elif isinstance(shape, str):
            self.grads(name, value, shape, output=output)
        elif shape == ():
            self.number(name, value, rule_of(spec_name, output))
        else:
            self.array(name, value, shape, rule_of(spec_name, output), output=output)

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

_WRAPPERS: "weakref.WeakKeyDictionary[Callable, tuple[Callable, Session]]" = weakref.WeakKeyDictionary()


def _watched(value: Any) -> tuple[Callable, Session] | None:
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
        checker = Checker(contract.name, origins=session.origin)
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

    _WRAPPERS[watched] = (function, session)
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


def watch(namespace: ModuleType | MutableMapping[str, Any]) -> tuple[str, ...]:
    """Check every call of the assignments' functions found in ``namespace``; returns their names.

    ``namespace`` is a module or a dict such as a notebook's ``globals()``. Watching twice wraps
    nothing twice. In IPython or Jupyter, watching the notebook's own ``globals()`` follows it: when
    a cell that defines (or defines again) one of the functions has run, that function is watched.
    Elsewhere, a function defined again after ``watch`` is watched on the next ``watch``.
    A namespace with none of the functions gets a ``WatchWarning``, not an error.

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
    names = rewatch(ns)
    if not names:
        warnings.warn(msg("watch.nothing", namespace=_describe(namespace)), WatchWarning, stacklevel=2)
    if cells.is_user_namespace(ns):
        cells.follow(ns, rewatch)  # a definition cell run again, or a new one, is wrapped when its cell ends
    return names


# the assignments whose calls watch checks today: the deep network and the RNN/LSTM. The other plug-ins
# (logreg, init, regularization, gradcheck, optimization, dnn_app) have contracts whose layouts watch cannot
# read yet, and a deep-network file's own sigmoid (dnn_utils' pair) is not logistic regression's
WATCHED_KINDS = ("dnn", "rnn")
_WATCHED_CONTRACTS: dict[str, Contract] = {c.name: c for kind in WATCHED_KINDS for c in KINDS[kind]}
WATCHED = tuple(_WATCHED_CONTRACTS)


def rewatch(namespace: MutableMapping[str, Any]) -> tuple[str, ...]:
    """Wrap what is not wrapped yet (a function defined or defined again since): the names watched now."""
    ns = namespace
    sessions = [found[1] for found in map(_watched, list(ns.values())) if found]
    session = sessions[0] if sessions else Session()
    names = []
    for name in WATCHED:
        contract = _WATCHED_CONTRACTS[name]
        value = ns.get(name)
        if value is None or isinstance(value, type) or not callable(value):
            continue
        if _watched(value) is None:
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
def watching(namespace: ModuleType | MutableMapping[str, Any]) -> Iterator[tuple[str, ...]]:
    """``with sc.watching(globals()):`` watch for the block only; what was watched before stays watched."""
    ns = _namespace(namespace)
    before = {name for name, value in ns.items() if _watched(value)}
    followed = cells.following(ns)
    names = watch(namespace)
    try:
        yield names
    finally:
        if not followed:
            cells.stop_following(ns)
        for name, value in list(ns.items()):
            found = _watched(value)
            if name not in before and found is not None:
                ns[name] = found[0]
