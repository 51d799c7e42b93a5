"""Shape checks of the recurrent functions' inputs, against the tracer's rules, before any math.

Dims are bound in the order a learner reads a call: n_x, m, T_x from x; n_a from a0 (or a_prev);
n_y from Wy. The first array that breaks a rule raises ShapecheckError with the rule's sentence,
expected and actual shapes, the bindings, and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from math import prod
from typing import Callable

import numpy as np

from shapecheck.core.dims import Bindings, Conflict, Shape, resolve, show
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.unify import classify
from shapecheck.validate.params import masked_entries
from shapecheck.core.tensors import LSTM, LSTM_GATES, LSTM_STEP, RNN, RNN_STEP  # noqa: F401 - the engine's names for them

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))
_ARRAY_LIKE = (np.ndarray, np.generic, list, tuple, int, float)

# parameter -> (symbolic shape, id of its rule, rule fields), from the registry of the course's tensors
PARAMETER_RULES: dict[str, tuple[Shape, str, dict]] = {
    t.name: (t.shape, t.rule_id, dict(t.fields)) for table in (RNN, LSTM) for t in table.values() if t.role in ("W", "gate_W", "b")
}


Rule = "str | Callable[[], str]"  # a rule's sentence, or what makes it: rendered only when a check fails


def _text(rule) -> str:
    return rule() if callable(rule) else rule


class Shapes:
    """The dims of one call, bound as its arrays are checked; raises on the first broken rule."""

    def __init__(self, function: str) -> None:
        self.function = function
        self.bindings = Bindings()

    # --- one array ------------------------------------------------------------------------------

    def array(self, name: str, value: object, symbolic: Shape) -> np.ndarray:
        """``value`` as a float array, never a copy of a float64 (or float32) ndarray. A subclass's data as a plain
        array (a view): an np.matrix or a masked array would bring its own arithmetic to the course's equations
        where the kernels, which copy or multiply the data, do not. A masked array that hides entries is refused: the
        course's equations use every entry."""
        hidden = masked_entries(value)
        if hidden:
            raise ShapecheckError("rnn.masked", name=name, hidden=hidden, size=value.size, symbolic=show(symbolic))
        if isinstance(value, np.ndarray) and value.dtype in _FLOATS:
            return value if type(value) is np.ndarray else np.asarray(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, _ARRAY_LIKE):
            raise ShapecheckError("rnn.not_array", name=name, kind=type(value).__name__, symbolic=show(symbolic))
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ShapecheckError("rnn.not_array", name=name, kind=type(value).__name__, symbolic=show(symbolic)) from None

    def expect(self, name: str, value: object, symbolic: Shape, rule: Rule, fix: str | None = None) -> np.ndarray:
        """Check ``value`` against ``symbolic``, binding its bare symbols on first sight.

        ``rule`` may be a callable that makes the sentence: a passing check (every call of the
        course's functions) then renders no message at all.
        """
        array = self.array(name, value, symbolic)
        if array.ndim != len(symbolic):
            self.fail(name, array, symbolic, rule, fix)
        if 0 in array.shape:
            symbol = symbolic[array.shape.index(0)]
            raise ShapecheckError("rnn.empty", name=name, actual=show(array.shape), symbol=symbol, rule=_text(rule))
        for dim, size in zip(symbolic, array.shape):
            if isinstance(dim, str) and dim.isidentifier():
                conflict = self.bindings.bind(dim, size, name)
                if conflict:
                    self.clash(name, array, symbolic, rule, fix, conflict)
        if resolve(symbolic, self.bindings.sizes) != array.shape:
            self.fail(name, array, symbolic, rule, fix)
        return array

    def clash(self, name: str, array: np.ndarray, symbolic: Shape, rule: str, fix: str | None, conflict: Conflict):
        """A dim that an earlier array bound to another size: name both places."""
        expected = resolve(symbolic, self.bindings.sizes)
        shown = show(expected)
        fix = fix or self.reshaping_fix(name, array, expected) or msg(
            "rnn.fix_conflict", name=name, expected=shown, first_place=conflict.first_place)
        raise ShapecheckError(
            "rnn.conflict", name=name, actual=show(array.shape), expected=shown, symbolic=show(symbolic),
            symbol=conflict.symbol, first_size=conflict.first_size, first_place=conflict.first_place,
            size=conflict.size, bindings=self.bindings.describe(), rule=_text(rule), fix=fix,
        )

    def fail(self, name: str, array: np.ndarray, symbolic: Shape, rule: str, fix: str | None = None):
        """The array does not have the rule's shape (or rank)."""
        expected = resolve(symbolic, self.bindings.sizes)
        raise ShapecheckError(
            "rnn.shape", name=name, actual=show(array.shape), expected=show(expected), symbolic=show(symbolic),
            bindings=self.bindings.describe(), rule=_text(rule), fix=fix or self.fix(name, array, expected),
        )

    @classmethod
    def fix(cls, name: str, array: np.ndarray, expected: tuple) -> str:
        """The likeliest repair: transpose, reshape, or a fresh array of the right shape."""
        shown = show(expected)
        if found := cls.reshaping_fix(name, array, expected):
            return found
        if name.split(" ")[0].startswith("W"):
            return msg("rnn.fix_weight", expected=shown)
        return msg("rnn.fix_zeros", expected=shown)

    @staticmethod
    def reshaping_fix(name: str, array: np.ndarray, expected: tuple) -> str | None:
        """A transpose or a reshape, when the right numbers are there in the wrong arrangement."""
        if not all(isinstance(d, int) for d in expected):
            return None
        misfit = classify(expected, array.shape, {})
        if misfit.kind in ("transposed", "row_for_column"):
            return msg("rnn.fix_transpose", name=name)
        if misfit.kind.startswith("rank") and array.size == prod(expected):
            rank1 = misfit.kind.startswith("rank1")
            return msg("rnn.fix_rank1" if rank1 else "rnn.fix_reshape", name=name, expected=show(expected))
        return None

    # --- the course's arrays --------------------------------------------------------------------

    def sequence(self, value: object, n_x_hint: int | None, cell: str) -> np.ndarray:
        """x, (n_x, m, T_x); a 2-D x gets the reshape that makes it 3-D."""
        symbolic = ("n_x", "m", "T_x")
        rule = partial(msg, "rules.rnn_x")
        x = self.array("x", value, symbolic)
        if x.ndim != 3:
            if x.ndim == 2 and n_x_hint == 1 and x.shape[0] != 1:
                fix = msg("rnn.fix_x_series", rows=x.shape[0], columns=x.shape[1])
            elif x.ndim == 2:
                fix = msg("rnn.fix_x_one_step", rows=x.shape[0], columns=x.shape[1], cell=cell)
            else:
                fix = msg("rnn.fix_x_rank")
            raise ShapecheckError("rnn.x_not_3d", actual=show(x.shape), function=self.function,
                                  symbolic=show(symbolic), rule=_text(rule), fix=fix)
        return self.expect("x", x, symbolic, rule)

    def step_input(self, name: str, value: object, through_time: str) -> np.ndarray:
        """xt, one time step (n_x, m); a whole 3-D sequence is pointed to the through-time function."""
        symbolic = ("n_x", "m")
        rule = partial(msg, "rnn.rule_xt")
        xt = self.array(name, value, symbolic)
        if xt.ndim == 3:
            raise ShapecheckError("rnn.xt_not_2d", name=name, actual=show(xt.shape), function=self.function,
                                  symbolic=show(symbolic), rule=_text(rule), through_time=through_time)
        return self.expect(name, xt, symbolic, rule)

    def state(self, name: str, value: object, rule_id: str) -> np.ndarray:
        """a0, a_prev, c_prev, a_next, ...: (n_a, m)."""
        return self.expect(name, value, ("n_a", "m"), partial(msg, rule_id))

    def parameters(self, parameters: object, keys: tuple[str, ...], x: np.ndarray | None = None) -> list[np.ndarray]:
        """parameters[key] for every key, each checked against its rule, in the order given."""
        needed = ", ".join(keys)
        if not isinstance(parameters, Mapping):
            raise ShapecheckError("rnn.not_mapping", needed=needed, kind=type(parameters).__name__)
        arrays = []
        for key in keys:
            symbolic, rule_id, fields = PARAMETER_RULES[key]
            rule = partial(msg, rule_id, **fields)
            if key not in parameters:
                expected = show(resolve(symbolic, self.bindings.sizes))
                raise ShapecheckError("rnn.missing_param", key=key, function=self.function, needed=needed,
                                      rule=_text(rule), expected=expected)
            value = parameters[key]
            arrays.append(self.expect(key, value, symbolic, rule, self._special_fix(key, value, x)))
        return arrays

    def _special_fix(self, key: str, value: object, x: np.ndarray | None) -> str | None:
        """The fixes the generic ``fix`` cannot see: a batch-first x, an LSTM W without a_prev's part."""
        shape = getattr(value, "shape", None)
        sizes = self.bindings.sizes
        if shape is None or len(shape) != 2 or "n_a" not in sizes or "n_x" not in sizes:
            return None
        n_a, n_x = sizes["n_a"], sizes["n_x"]
        if key in ("Wax", "Wf", "Wi", "Wc", "Wo"):
            fits = shape[1] - (n_a if key != "Wax" else 0)  # the n_x this weight was made for
            if x is not None and fits != n_x and fits == x.shape[2]:
                return msg("rnn.fix_keras_x", name=key, size=fits)
            if key != "Wax" and shape[0] == n_a and shape[1] in (n_x, n_a) and shape[1] != n_a + n_x:
                expected = show((n_a, n_a + n_x))
                return msg("rnn.fix_stacked", columns=n_a + n_x, n_a=n_a, n_x=n_x, expected=expected)
        return None

    # --- caches ---------------------------------------------------------------------------------

    def through_time_caches(self, caches: object, producer: str) -> tuple[list, object]:
        """(list of step caches, x), as rnn_forward and lstm_forward return them."""
        if not (isinstance(caches, (tuple, list)) and len(caches) == 2 and isinstance(caches[0], (list, tuple))):
            raise ShapecheckError("rnn.caches_format", producer=producer, actual=_describe(caches))
        return caches[0], caches[1]

    def step_cache(self, name: str, cache: object, producer: str, items: tuple[str, ...]) -> tuple:
        if not (isinstance(cache, (tuple, list)) and len(cache) == len(items)):
            raise ShapecheckError("rnn.cache_format", name=name, producer=producer, count=len(items),
                                  items=", ".join(items), actual=_describe(cache))
        return tuple(cache)

    def same_length(self, step_caches: list, producer: str) -> None:
        T_x = self.bindings.sizes["T_x"]
        if len(step_caches) != T_x:
            raise ShapecheckError("rnn.caches_length", count=len(step_caches), T_x=T_x, producer=producer)

    def upstream(self, name: str, value: object, symbolic: Shape, rule_id: str) -> np.ndarray:
        """da (n_a, m, T_x) or da_next, dc_next (n_a, m): shaped like what they are gradients of."""
        array = self.array(name, value, symbolic)
        fix = None
        if len(symbolic) == 3 and array.ndim == 2:
            fix = msg("rnn.fix_da_last", expected=show(resolve(symbolic, self.bindings.sizes)))
        return self.expect(name, array, symbolic, partial(msg, rule_id), fix)


def _describe(value: object) -> str:
    """A short account of what was passed instead of a cache, never the arrays themselves."""
    if isinstance(value, (tuple, list)):
        kind = "list" if isinstance(value, list) else "tuple"        # not the name of a subclass
        return msg("rnn.describe_items", kind=kind, count=len(value))
    if isinstance(value, np.ndarray):
        return msg("rnn.describe_array", shape=show(value.shape))
    return msg("rnn.describe_other", kind=type(value).__name__)
