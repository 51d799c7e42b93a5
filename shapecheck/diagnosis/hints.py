"""Hints from evidence: why a student's output differs from the reference, read off the numbers.

A rule is ``HintRule(id, functions, message_id, detect)``: ``detect(evidence)`` says whether the
evidence shows the mistake; ``id`` is the hint id (the gallery's HINTS.md vocabulary), shared by
rules that name the same kind of mistake; the message (``locales/en/hints.toml``) says what the
evidence shows and the fix, in course terms. Two sorts:

- relations, which need nothing but the two outputs: off by exactly m, minus the reference, the
  reference transposed, a rank-1 (n,) for an (n, 1), an (m, m) from silent broadcasting, the value
  of a neighbouring layer, a softmax that sums to 1 over the wrong axis, ...
- mutants (``mutants.py``): the student's output equals the output of the course's code with one
  classic mistake in it, on the same inputs, where the reference's does not.

- swaps (``swaps.py``): the student's whole output equals the course's code with one variable read in
  place of another of its shape (Z1 where A1 belongs), a slip no list of mutants can enumerate.

The most specific rule wins: a mutant that explains the student's WHOLE output, then the exact
relations (``RELATIONS``, the plug-ins' own rules, then ``LATE_RELATIONS``, which a plug-in's rule says
better), then a mutant that explains this tensor only, then the weak relations; when nothing
fits, a generic hint that still says where (max abs error, worst index). To add a rule, append to
``RELATIONS`` (or add a mistake to ``mutants.MISTAKES``) and its message to hints.toml; every rule
has a test in tests/test_diagnosis_hints_*.py.

    >>> import numpy as np
    >>> from shapecheck.diagnosis.cases import cases_for
    >>> case = cases_for("linear_backward")[0]
    >>> right = np.ones((3, 5)); evidence = Evidence("linear_backward", "dW", right * 4, right, case)
    >>> explain(evidence).id
    'missing_1_over_m'
"""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from shapecheck.diagnosis.cases import Case
from shapecheck.diagnosis.contract import ALL
from shapecheck.diagnosis.mutants import BY_NAME, KIND_OF, MISTAKES, affected
from shapecheck.core.dims import show
from shapecheck.core.messages import msg

RTOL = 1e-6  # relative to the reference's scale (its largest |entry|)
ATOL = 1e-12


# --- numbers --------------------------------------------------------------------------------------


def as_array(value: Any) -> np.ndarray | None:
    """A float array of ``value``, or None when it is not numbers (None, a dict, a string, ...)."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def close(student: Any, reference: Any) -> bool:
    """Same shape and every entry within RTOL of the reference's scale (NaN never matches)."""
    s, r = as_array(student), as_array(reference)
    if s is None or r is None or s.shape != r.shape:
        return False
    if s.size == 0:
        return True
    scale = float(np.max(np.abs(r))) if np.all(np.isfinite(r)) else 1.0
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(s - r) <= RTOL * max(scale, 1e-300) + ATOL))


def error_at_worst(student: Any, reference: Any) -> tuple[float, tuple[int, ...], float, float]:
    """(max abs error, its index, the student's value there, the reference's value there), same shapes."""
    s, r = as_array(student), as_array(reference)
    with np.errstate(invalid="ignore"):
        diff = np.abs(s - r)
    diff = np.where(np.isnan(diff), np.inf, diff)
    flat = int(np.argmax(diff)) if diff.size else 0
    index = tuple(int(i) for i in np.unravel_index(flat, s.shape)) if s.ndim else ()
    return float(diff.flat[flat]) if diff.size else 0.0, index, float(s.flat[flat]), float(r.flat[flat])


def shape_of(value: Any) -> tuple[int, ...] | None:
    array = as_array(value)
    return None if array is None else tuple(array.shape)


# --- the evidence ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Evidence:
    """What is known about one output tensor of one call."""

    function: str
    tensor: str | None
    student: Any
    reference: Any
    case: Case
    mutants: Mapping[str, Any] = field(default_factory=dict)  # mutant name -> its value of this tensor
    whole: frozenset = frozenset()  # mutants whose whole output the student's equals
    student_tensors: Mapping[str, Any] = field(default_factory=dict)  # every output, by name
    reference_tensors: Mapping[str, Any] = field(default_factory=dict)
    # (what was read, where it belongs) for each input read in place of another of its shape that gives the student's
    # WHOLE output (swaps.py: an input, or one read in the course's code), computed when a rule first asks
    swaps: Callable[[], tuple[tuple[str, str], ...]] = field(default=lambda: ())

    @property
    def m(self) -> int | None:
        return self.case.sizes.get("m")

    @property
    def s(self) -> np.ndarray | None:
        return as_array(self.student)

    @property
    def r(self) -> np.ndarray | None:
        return as_array(self.reference)

    def same_shape(self) -> bool:
        s, r = self.s, self.r
        return s is not None and r is not None and s.shape == r.shape

    def matches_mutant(self, name: str) -> bool:
        """The student's value is this mutant's, and the mutant's is not the reference's."""
        if name not in self.mutants:
            return False
        value = self.mutants[name]
        return close(self.student, value) and not close(value, self.reference)


@dataclass(frozen=True)
class HintRule:
    """A mistake recognised from evidence. ``functions`` None: any function. ``mutant``: the evidence is that mutant."""

    id: str
    functions: tuple[str, ...] | None
    message_id: str
    detect: Callable[[Evidence], Any]  # truthy when the evidence shows it; a mapping adds the message's placeholders
    mutant: str | None = None
    strength: str = "exact"  # "exact" relations outrank a mutant matching one tensor; "weak" ones do not
    kind: str | None = None  # the assignment whose functions ``functions`` names (None: any with those names)
    extra: tuple[str, ...] = ()  # the message's placeholders that ``detect`` returns (beyond ``fields``)

    def applies_to(self, function: str, kind: str | None = None) -> bool:
        """Whether the rule reads this function's evidence (``kind``: the function's assignment, when known)."""
        if self.kind is not None and kind and kind != self.kind:
            return False
        return self.functions is None or function in self.functions


@dataclass(frozen=True)
class Hint:
    id: str
    text: str
    rule: HintRule | None


# --- relations ------------------------------------------------------------------------------------

_BIAS_GRADIENT = re.compile(r"^db[a-z]?\d*$")  # db, db3, dba, dbf, ... (sums over the examples)
_LAYERED = re.compile(r"^([A-Za-z_]+?)(\d+)$")
_SOFTMAX_OUTPUTS = ("yt_pred", "y_pred", "y")


def _ratio(e: Evidence, factor: float) -> bool:
    return e.same_shape() and not close(e.s, e.r) and close(e.s, e.r * factor)


def _times_m(e: Evidence) -> bool:
    return bool(e.m and e.m > 1 and _ratio(e, e.m))


def _over_m(e: Evidence) -> bool:
    return bool(e.m and e.m > 1 and _ratio(e, 1.0 / e.m))


# What the course averages over the m examples, one 1/m each: the cost and the parameters' gradients (dW, db; dw
# in logistic regression), in the assignments whose cost is a mean. Everything else a backward returns (dA_prev,
# dZ, dA[l]) carries no 1/m, and the recurrent, Dinosaurus and convolution gradients are plain sums.
_MEAN_KINDS = frozenset({"dnn", "logreg", "planar", "regularization", "gradcheck"})
_AVERAGED = re.compile(r"^(cost|J|d[Wbw]\d*)$")
_NOT_AVERAGED = re.compile(r"^d(A|Z)(_prev|L|\d*)$")


def _bare(tensor: str | None) -> str:
    """grads[dW1] -> dW1: the key of a dict output, the name of a plain one."""
    found = re.match(r"^\w+\[(\w+)\]$", tensor or "")
    return found.group(1) if found else (tensor or "")


def _averaged(e: Evidence) -> bool:
    return e.case.kind in _MEAN_KINDS and bool(_AVERAGED.match(_bare(e.tensor)))


def _averaged_times_m(e: Evidence) -> bool:
    """A mean over the examples without its 1/m (any assignment whose cost is a mean)."""
    return _averaged(e) and _times_m(e)


def _averaged_twice(e: Evidence) -> bool:
    """A mean over the examples divided by m twice (1/m written twice, or dZ divided by m before dW = (1/m)·dZ·Aᵀ)."""
    return _averaged(e) and _over_m(e)


def _unaveraged_over_m(e: Evidence) -> bool:
    """dZ, dA[l] or dA_prev divided by m: in the course they carry no 1/m."""
    return e.case.kind in _MEAN_KINDS and bool(_NOT_AVERAGED.match(_bare(e.tensor))) and _over_m(e)


def _update_contract(e: Evidence):
    """The contract of an update function that takes ``parameters`` and a ``learning_rate``, else None."""
    from shapecheck.diagnosis.contract import contract_of

    try:
        contract = contract_of(e.function, e.case.kind or None)
    except KeyError:
        return None
    inputs = list(contract.inputs)
    ok = contract.role == "update" and "parameters" in inputs and "learning_rate" in inputs
    return contract if ok and len(e.case.args) >= len(inputs) else None


def _read_as_gradient(label: str) -> bool:
    return not label.startswith("parameters")


def _swapped_operand(e: Evidence) -> Any:
    """The student's whole output is the course's with one input read in place of another of the same shape
    (Z1 where A1 belongs, a_next for a_prev): the first such pair, by name. An update reading another gradient
    has its own rule. Tried only when no named mistake (a mutant) explains the whole output: its sentence says more."""
    if e.whole:
        return False
    for used, meant in e.swaps():
        if not (_update_contract(e) and _read_as_gradient(used) and _read_as_gradient(meant)):
            return {"used": used, "meant": meant}
    return False


def _swapped_update(e: Evidence) -> Any:
    """An update whose whole output is the course's with one gradient read in place of another of its shape."""
    if e.whole or not _update_contract(e):
        return False
    for used, meant in e.swaps():
        if _read_as_gradient(used) and _read_as_gradient(meant):
            return {"used": used, "meant": meant}
    return False


def _moved_by_another_gradient(e: Evidence) -> Any:
    """update_parameters (gd, momentum): the parameter moved by α times another gradient than its own (W1 with
    dW2, W with db broadcast, b with dW, momentum's W with the raw dW): (P − yours)/α is that array, given or
    returned (v), and not what the course moves it by."""
    contract = _update_contract(e)
    if contract is None:
        return False
    inputs = list(contract.inputs)
    parameters, rate = e.case.args[inputs.index("parameters")], e.case.args[inputs.index("learning_rate")]
    name = _bare(e.tensor)
    given = as_array(parameters.get(name)) if isinstance(parameters, Mapping) else None
    s, r = e.s, e.r
    if given is None or s is None or r is None or not isinstance(rate, (int, float)) or not rate:
        return False
    with np.errstate(all="ignore"):
        try:
            step, right = (given - s) / rate, (given - r) / rate
        except ValueError:
            return False
    if step.shape == right.shape and close(step, right):
        return False
    arrays = [(f"{inputs[i]}[{key!r}]", value) for i, arg in enumerate(e.case.args) if i < len(inputs) and inputs[i] != "parameters"
              and isinstance(arg, Mapping) for key, value in arg.items()]
    arrays += [(f"{output}[{key!r}]", value) for output, value in e.reference_tensors.items()
               if (found := re.match(r"^(\w+)\[(\w+)\]$", output)) and found.group(1) != "parameters"
               for key in [found.group(2)]]
    for label, value in arrays:
        gradient = as_array(value)
        if gradient is None or (gradient.size < 2 and step.size < 2):
            continue  # a (1, 1) db broadcast over a whole W still says which array moved it
        try:
            spread = np.broadcast_to(gradient, step.shape)
        except ValueError:
            continue
        if close(step, spread) and not (step.shape == right.shape and close(spread, right)):
            return {"used": label}
    return False


def _negated(e: Evidence) -> bool:
    return _ratio(e, -1.0)


def _rank1_for_column(e: Evidence) -> bool:
    s, r = e.s, e.r
    return s is not None and r is not None and s.ndim == 1 and r.ndim == 2 and 1 in r.shape and s.size == r.size


def _keepdims(e: Evidence) -> bool:
    return _rank1_for_column(e) and bool(_BIAS_GRADIENT.match(e.tensor or ""))


def _rank1(e: Evidence) -> bool:
    return _rank1_for_column(e) and not _BIAS_GRADIENT.match(e.tensor or "")


_COSTS = ("cost", "J", "loss")  # a cost made by np.dot is (1, 1): np.squeeze is the course's fix


def _not_squeezed(e: Evidence) -> bool:
    s, r = e.s, e.r
    return s is not None and r is not None and r.shape == () and s.shape != () and s.size == 1 and not _scalar_kept_axis(e)


def _scalar_kept_axis(e: Evidence) -> bool:
    """A number (db of logistic regression, ...) returned as a (1,) array: a sum over axis=1 of a (1, m) row
    keeps that axis, where the course sums everything (np.sum(A - Y), no axis)."""
    s, r = e.s, e.r
    return s is not None and r is not None and r.shape == () and s.shape == (1,) and e.tensor not in _COSTS


def _transposed(e: Evidence) -> bool:
    s, r = e.s, e.r
    if s is None or r is None or s.ndim != 2 or r.ndim != 2:
        return False
    if s.shape != r.shape:
        return s.shape == r.shape[::-1]  # the shape alone says it (values are compared after .T)
    return not close(s, r) and close(s, r.T)


def _wrong_axis(e: Evidence) -> bool:
    """A sum over the examples' axis taken over another one: (1, m) or (m,) for (n, 1); (m,) for a scalar cost."""
    s, r, m = e.s, e.r, e.m
    if s is None or r is None or s.shape == r.shape or not m:
        return False
    if r.shape == () and m > 1:
        return s.shape in ((m,), (1, m), (m, 1))
    if r.ndim == 2 and r.shape[1] == 1 and _BIAS_GRADIENT.match(e.tensor or ""):
        summed_all = s.shape in ((), (1, 1)) and r.shape != (1, 1)  # np.sum without an axis
        return summed_all or (m != r.shape[0] and s.shape in ((1, m), (m,)))
    return False


def _broadcast(e: Evidence) -> bool:
    """(m, m) where (1, m) or (m, 1) is due: a rank-1 or a transposed operand broadcast silently."""
    s, r = e.s, e.r
    if s is None or r is None or s.ndim != 2 or s.shape == r.shape or s.shape[0] != s.shape[1]:
        return False
    k = s.shape[0]
    return k > 1 and k in r.shape and r.size < s.size


def _neighbour_layer(e: Evidence) -> bool:
    """The value the reference has at layer l ± 1 (dW2 holding dW1, ...)."""
    found = _LAYERED.match(e.tensor or "")
    if not found or found.group(1).startswith("mini_batch_") or close(e.student, e.reference):
        return False  # mini_batch_X2 is the second mini-batch, not a layer
    prefix, index = found.group(1), int(found.group(2))
    for other in (index - 1, index + 1):
        key = f"{prefix}{other}"
        if key in e.reference_tensors and close(e.student, e.reference_tensors[key]):
            return True
    return False


def _another_output(e: Evidence) -> Any:
    """The value the reference gives ANOTHER output of the same call (Y_prediction_test holding the
    training set's predictions, v where v_corrected belongs): two variables mixed up. Arrays of one
    value (zeros, ones) say nothing, so they are left out."""
    s = e.s
    if s is None or s.size < 2 or close(e.student, e.reference) or np.all(s == s.flat[0]) or _neighbour_layer(e):
        return False  # a neighbouring layer's value has its own, more telling rule
    for name, value in e.reference_tensors.items():
        if name != e.tensor and close(e.student, value) and not close(value, e.reference):
            return {"other": name}
    return False


def _misnormalised_softmax(e: Evidence) -> np.ndarray | None:
    """The student's softmax output when it does not sum to 1 over the classes (axis 0); else None."""
    s = e.s
    if e.tensor not in _SOFTMAX_OUTPUTS or s is None or s.ndim < 2 or not np.all(np.isfinite(s)):
        return None
    return None if np.allclose(s.sum(axis=0), 1.0) else s


def _softmax_axis(e: Evidence) -> bool:
    s = _misnormalised_softmax(e)
    if s is None:
        return False
    axes = range(s.ndim)
    for k in range(1, s.ndim + 1):
        for subset in itertools.combinations(axes, k):
            if subset != (0,) and np.allclose(s.sum(axis=subset), 1.0):
                return True
    return False


def _softmax_over_all(e: Evidence) -> bool:
    """Normalised over the classes and the examples together (a softmax whose sum has no axis)."""
    s = _misnormalised_softmax(e)
    if s is None:
        return False
    rest = tuple(range(2, s.ndim))
    return any(np.allclose(s.sum(axis=(0, 1) + extra), 1.0)
               for k in range(len(rest) + 1) for extra in itertools.combinations(rest, k))


def _not_finite(e: Evidence) -> bool:
    s, r = e.s, e.r
    return s is not None and r is not None and not np.all(np.isfinite(s)) and bool(np.all(np.isfinite(r)))


def _unchanged(e: Evidence) -> bool:
    """update_parameters: the value it was given, not updated."""
    parameters = e.case.args[0] if e.case.args and isinstance(e.case.args[0], dict) else {}
    return e.tensor in parameters and not close(e.student, e.reference) and close(e.student, parameters[e.tensor])


def _zero_init(e: Evidence) -> bool:
    s = e.s
    return bool((e.tensor or "").startswith("W") and s is not None and s.size and not np.any(s))


# Scales the course's editions (and the later courses) give W[l] = randn(n[l], n[l-1]) * k: 0.01, 1/√n[l-1]
# (application notebook), √(2/n[l-1]) (He), √(2/(n[l-1] + n[l])) (Glorot). Seeds tried: the notebooks' own first.
INIT_SEEDS = (3, 1, 0, 2, 4, 5, 6, 7, 8, 9, 10, 42)


def init_scale(layer_dims: list[int], tensor: str, W: Any) -> float | None:
    """k when W{l} is exactly k times what np.random.seed(s) then np.random.randn(n[l], n[l-1]) for
    l = 1, 2, ... draws, for one of ``INIT_SEEDS``; None when it is no such draw (another seed, another
    generator, another order): the scale cannot be read then, and nothing is said."""
    found = _LAYERED.match(tensor or "")
    W = as_array(W)
    if not found or found.group(1) != "W" or W is None or W.ndim != 2 or not np.any(W):
        return None
    l = int(found.group(2))  # noqa: E741
    if not 1 <= l < len(layer_dims) or W.shape != (layer_dims[l], layer_dims[l - 1]):
        return None
    for seed in INIT_SEEDS:
        rng = np.random.RandomState(seed)
        for k in range(1, l + 1):
            raw = rng.randn(layer_dims[k], layer_dims[k - 1])
        flat = int(np.argmax(np.abs(raw)))
        factor = float(W.flat[flat] / raw.flat[flat])
        if factor and np.allclose(W, raw * factor, rtol=1e-5, atol=0):
            return factor
    return None


def _too_large_init(e: Evidence) -> bool:
    """initialize_parameters_deep: W[l] = randn · k with k ≥ 1 (no scaling, or a scale up) that is none of
    the course's scales for this layer."""
    dims = e.case.sizes.get("layer_dims")
    k = init_scale(dims, e.tensor, e.student) if dims else None
    if k is None:
        return False
    l = int(_LAYERED.match(e.tensor).group(2))  # noqa: E741
    n_prev, n = dims[l - 1], dims[l]
    allowed = (0.01, 1 / np.sqrt(n_prev), np.sqrt(2 / n_prev), np.sqrt(2 / (n_prev + n)), np.sqrt(1 / (n_prev + n)))
    return (k >= 0.99 or k <= 0) and not any(np.isclose(k, a, rtol=1e-4) for a in allowed)


def _ones_for_zeros(e: Evidence) -> bool:
    """An initializer's ones where the course starts from zeros (np.ones for np.zeros: a velocity, Adam's moments,
    a bias). Only initializers: elsewhere all ones against all zeros is what many mistakes give (labels flipped)."""
    s, r = e.s, e.r
    return e.function.startswith("initialize") and e.same_shape() and s.size > 0 and not np.any(r) and bool(np.all(s == 1))


def _nonzero_bias(e: Evidence) -> bool:
    """An initializer's bias that is not zeros where the course's is (any initializer: deep, two-layer, He ...)."""
    s, r = e.s, e.r
    return bool(e.function.startswith("initialize") and (e.tensor or "").startswith("b") and s is not None and s.size
                and np.any(s) and r is not None and not np.any(r))


def _all_zero(e: Evidence) -> bool:
    s, r = e.s, e.r
    return e.same_shape() and not np.any(s) and bool(np.any(r))


def _constant_factor(e: Evidence) -> bool:
    """Off by the same factor everywhere (when it is not m, 1/m or -1)."""
    s, r = e.s, e.r
    if e.function in _INIT or not e.same_shape() or s.size < 2 or close(s, r):
        return False  # initial weights are random: a factor against the reference's draw means nothing (init_scale reads it)
    k = _factor(e)
    if k is None or any(np.isclose(k, special) for special in (0.0, -1.0, e.m or 0.0, 1.0 / (e.m or 1.0))):
        return False  # zero and the exact factors have rules of their own
    return close(s, r * k)


def _factor(e: Evidence) -> float | None:
    s, r = e.s, e.r
    if s is None or r is None or s.shape != r.shape or not np.any(r):
        return None
    flat = int(np.argmax(np.abs(r)))
    return float(s.flat[flat] / r.flat[flat])


_DENSE = tuple(c.name for c in ALL if c.kind == "dnn")
_RECURRENT = tuple(c.name for c in ALL if c.kind == "rnn")
_UPDATE = ("update_parameters",)
_INIT = ("initialize_parameters_deep", "initialize_parameters")  # the deep and the two-layer initializers
_CELL_FORWARDS = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward")

# Table order is priority order within a strength.
RELATIONS: tuple[HintRule, ...] = (
    HintRule("not_finite", None, "hints.not_finite", _not_finite),
    HintRule("zero_init", _INIT, "hints.zero_init", _zero_init),
    HintRule("nonzero_bias", None, "hints.nonzero_bias", _nonzero_bias),
    HintRule("init_scale", _INIT, "hints.init_scale", _too_large_init),
    HintRule("missing_keepdims", None, "hints.missing_keepdims", _keepdims),
    HintRule("rank_1_array", None, "hints.rank_1_array", _rank1),
    HintRule("missing_squeeze", None, "hints.missing_squeeze", _not_squeezed),
    HintRule("wrong_axis", None, "hints.scalar_kept_axis", _scalar_kept_axis),
    HintRule("silent_broadcast", None, "hints.silent_broadcast", _broadcast),
    HintRule("wrong_axis", None, "hints.wrong_axis", _wrong_axis),
    HintRule("off_by_one_layer", None, "hints.off_by_one_layer", _neighbour_layer),
    HintRule("transposed", None, "hints.transposed", _transposed),
    HintRule("softmax_axis", _CELL_FORWARDS, "hints.softmax_over_all_entries", _softmax_over_all),
    HintRule("softmax_axis", _CELL_FORWARDS, "hints.softmax_axis", _softmax_axis),
    HintRule("missing_1_over_m", ("compute_cost",), "hints.missing_1_over_m_cost", _times_m),
    HintRule("missing_1_over_m", _DENSE, "hints.missing_1_over_m", _times_m),
    HintRule("missing_1_over_m", None, "hints.twice_1_over_m", _averaged_twice),  # "a factor m off", both ways
    HintRule("extra_1_over_m", None, "hints.extra_1_over_m", _unaveraged_over_m),
    HintRule("extra_1_over_m", _DENSE, "hints.extra_1_over_m", _over_m),
    HintRule("extra_1_over_m", _RECURRENT, "hints.extra_1_over_m_rnn", _over_m),
    HintRule("wrong_sign", None, "hints.wrong_sign", _negated),
    HintRule("not_updated", _UPDATE, "hints.not_updated", _unchanged),
    HintRule("wrong_formula", None, "hints.ones_for_zeros", _ones_for_zeros),
    HintRule("update_with_wrong_gradient", None, "hints.update_other_gradient", _moved_by_another_gradient, extra=("used",)),
    HintRule("all_zero", None, "hints.all_zero", _all_zero, strength="weak"),
    HintRule("constant_factor", None, "hints.constant_factor", _constant_factor, strength="weak"),
    HintRule("wrong_variable", None, "hints.another_output", _another_output, strength="weak", extra=("other",)),
)


def _mutant_rule(mistake) -> HintRule:
    name = mistake.name

    def detect(e: Evidence) -> bool:
        # zeros are what many mistakes give one tensor: alone they are no evidence of this one
        return e.matches_mutant(name) and (name in e.whole or bool(np.any(e.s)))

    return HintRule(mistake.hint, affected(mistake), mistake.message_id, detect, mutant=name, kind=KIND_OF[name])


MUTANT_RULES: tuple[HintRule, ...] = tuple(_mutant_rule(m) for m in MISTAKES)
def _plugin_rules() -> tuple[HintRule, ...]:
    """Each assignment's own rules (plugin.Assignment.hint_rules), tried after the shared relations."""
    from shapecheck.diagnosis.assignments import ASSIGNMENTS

    return tuple(rule if isinstance(rule, HintRule) else HintRule(rule[0], rule[1], rule[2], rule[3], strength=rule[4],
                                                                  kind=assignment.kind, extra=tuple(rule[5:6] and rule[5]))
                 for assignment in ASSIGNMENTS.values() for rule in assignment.hint_rules)


# Relations an assignment's own rule says better (logistic regression's missing 1/m names dw = (1/m)·X·(A − Y)ᵀ;
# a cost's wrong operand is named as a formula by cross_entropy.py)
LATE_RELATIONS: tuple[HintRule, ...] = (
    HintRule("missing_1_over_m", None, "hints.missing_1_over_m", _averaged_times_m),
    HintRule("update_with_wrong_gradient", None, "hints.update_swapped_gradient", _swapped_update, extra=("used", "meant")),
    HintRule("wrong_variable", None, "hints.operand_swapped", _swapped_operand, extra=("used", "meant")),
)

RULES: tuple[HintRule, ...] = RELATIONS + _plugin_rules() + LATE_RELATIONS + MUTANT_RULES

GENERIC_SHAPE = HintRule("wrong_shape", None, "hints.wrong_shape", lambda e: True)
GENERIC_VALUES = HintRule("values_differ", None, "hints.values_differ", lambda e: True)


# --- choosing ------------------------------------------------------------------------------------------


class HintRuleWarning(UserWarning):
    """A hint rule raised: it was skipped (for the rule's author; the student's verdict is unchanged)."""


def detected(rule: HintRule, evidence: Evidence) -> Any:
    """What ``rule.detect`` says of the evidence: False, True or a mapping of the message's extra
    placeholders. A rule that raises is a defect of the rule, never of the student's code: it is
    skipped with a HintRuleWarning, so a broken plug-in cannot crash a diagnosis or change a verdict."""
    try:
        with np.errstate(all="ignore"):
            return rule.detect(evidence)
    except Exception as exc:  # noqa: BLE001 - any defect of a plug-in's rule, by design
        warnings.warn(msg("hints.rule_failed", rule=rule.id, function=evidence.function,
                          error=f"{type(exc).__name__}: {exc}"), HintRuleWarning, stacklevel=2)
        return False


def fired(evidence: Evidence) -> list[HintRule]:
    """Every rule whose evidence is there, in table order."""
    kind = evidence.case.kind or None
    return [rule for rule in RULES if rule.applies_to(evidence.function, kind) and detected(rule, evidence)]


def _rank(rule: HintRule, evidence: Evidence) -> int:
    """Lower is more specific. A mistake written in this function's own code outranks the same
    output made by a mistake in a callee (a callee's mistake shows in the callee's own check)."""
    if rule.mutant is None:
        return 2 if rule.strength == "exact" else 5
    inherited = evidence.function not in BY_NAME[rule.mutant].where
    if rule.mutant in evidence.whole:
        return 0 + inherited  # one mistake explains everything the function returned
    return 3 + inherited


def choose(evidence: Evidence) -> HintRule:
    """The most specific rule that fires, or the generic one (shape or values)."""
    candidates = fired(evidence)
    if candidates:
        return min(candidates, key=lambda rule: _rank(rule, evidence))  # min is stable: table order breaks ties
    return GENERIC_VALUES if evidence.same_shape() else GENERIC_SHAPE


def fields(evidence: Evidence) -> dict[str, Any]:
    """Everything a hint message may name."""
    s, r = evidence.s, evidence.r
    out: dict[str, Any] = {
        "function": evidence.function,
        "tensor": evidence.tensor or msg("hints.the_result"),
        "m": evidence.m,
        "case": evidence.case.label,
        "expected": _show(None if r is None else r.shape),
        "actual": _show(None if s is None else s.shape),
        "max_error": "?", "worst_index": "?", "yours": "?", "right": "?",
        "factor": "?", "n": r.shape[0] if r is not None and r.ndim else "?",
    }
    if evidence.same_shape() and s.size:
        error, index, yours, right = error_at_worst(s, r)
        out.update(max_error=f"{error:.3g}", worst_index=list(index), yours=f"{yours:.6g}", right=f"{right:.6g}")
        factor = _factor(evidence)
        if factor is not None:
            out["factor"] = f"{factor:.4g}"
    return out


def _show(shape) -> str:
    return msg("hints.shape_not_an_array") if shape is None else show(shape)


def explain(evidence: Evidence) -> Hint:
    """The hint for one mismatching tensor: its id and its sentence (with what its rule read off the
    numbers, when ``detect`` returned a mapping: the t an Adam correction used, a formula's name, ...)."""
    rule = choose(evidence)
    values = fields(evidence)
    if rule.extra:
        found = detected(rule, evidence)
        values.update({name: "?" for name in rule.extra})  # a detector that said True without them still fills the sentence
        if isinstance(found, Mapping):
            values.update({name: found[name] for name in rule.extra if name in found})
    return Hint(rule.id, msg(rule.message_id, **values), rule)


def hint_text(hint_id: str, **values: Any) -> str:
    """The sentence of a hint that compare states without evidence (missing return, tuple order, keys)."""
    return msg(f"hints.{hint_id}", **values)


# --- exceptions: what numpy's message says, in the case's sizes ---------------------------------------

_SHAPE_IN_TEXT = re.compile(r"\((\d+(?:,\s*\d+)*),?\s*\)")
_KEY_IN_TEXT = re.compile(r"""^['"]?([A-Za-z_]+)(\d*)['"]?$""")


def _shapes_in(message: str) -> list[tuple[int, ...]]:
    return [tuple(int(d) for d in found.split(",")) for found in _SHAPE_IN_TEXT.findall(message)]


_SYMBOLS = ("n_x", "n_a", "n_y", "m", "T_x", "n_prev", "n")


def _symbols(shape: tuple[int, ...], sizes: Mapping) -> str:
    """A shape in the course's symbols where a size names one symbol only: (2, 4) -> (n_y, m)."""
    names = []
    for dim in shape:
        matching = [name for name in _SYMBOLS if sizes.get(name) == dim]
        names.append(matching[0] if len(matching) == 1 else str(dim))
    return "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"


def _another_size(value: tuple[int, ...], slot: tuple[int, ...], sizes: Mapping) -> bool:
    """The slot differs from the value only where it has another of the course's sizes (n_a where n_y belongs):
    the array was created with that other size. A slot of a size no symbol names is a slice off, or anything."""
    if len(value) != len(slot) or value == slot:
        return False
    named = lambda dim: sum(sizes.get(name) == dim for name in _SYMBOLS) == 1  # noqa: E731
    return all(named(v) and named(s) for v, s in zip(value, slot) if v != s)


def _input_shapes(case: Case | None) -> set[tuple[int, ...]]:
    """The shapes of every array the case hands over (parameters and caches included)."""
    shapes: set[tuple[int, ...]] = set()

    def walk(value: Any, depth: int = 0) -> None:
        if depth > 4:
            return
        if isinstance(value, np.ndarray):
            shapes.add(tuple(value.shape))
        elif isinstance(value, Mapping):
            for v in value.values():
                walk(v, depth + 1)
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v, depth + 1)

    if case is not None:
        walk(case.args)
        walk(case.forward_args)
    return shapes


# range(n_H) or np.zeros((m, n_H, ...)) with n_H = (n + 2*pad - f) / stride + 1: a float where a count belongs
_FLOAT_SIZE = re.compile(r"'(numpy\.)?float(64|32)?' object cannot be interpreted as an integer")


def _exception_rules(function: str, case: Case | None) -> tuple:
    """The exception readers of the assignment ``function`` belongs to (plugin.Assignment.exception_rules)."""
    from shapecheck.diagnosis.assignments import by_function

    try:
        return by_function(function, getattr(case, "kind", None) or None).exception_rules
    except KeyError:  # not a contract function, or one several assignments share and no kind says whose
        return ()


def _other_layer_operand(function: str, case: Case | None, first: tuple, second: tuple) -> dict | None:
    """A product np.dot(first, second) that failed where one operand has the shape of exactly one input array
    (W1) and exactly one other input of the same name but another layer (W2) would fit the other operand: the
    formula reads the wrong layer's array. Only names that differ in their layer number are paired, so a
    transposed operand or an unrelated array is never named this way."""
    from shapecheck.diagnosis.contract import contract_of
    from shapecheck.diagnosis.swaps import input_arrays

    if case is None or len(first) != 2 or len(second) != 2:
        return None
    try:
        inputs = tuple(contract_of(function, case.kind or None).inputs)
    except KeyError:
        return None
    arrays = input_arrays(function, case.args, inputs, case.kind or None)
    base = lambda label: re.sub(r"\d+", "", label)  # noqa: E731 - W2 -> W, cache['A1'] -> cache['A']
    for position, shape in ((0, first), (1, second)):
        used = [label for label, s in arrays if s == shape]
        if len(used) != 1 or not re.search(r"\d", used[0]):
            continue
        fits = (lambda s: s[1] == second[0]) if position == 0 else (lambda s: s[0] == first[1])
        meant = [label for label, s in arrays if len(s) == 2 and s != shape and fits(s) and base(label) == base(used[0])]
        if len(meant) == 1:
            right = dict(arrays)[meant[0]]
            return {"used": used[0], "used_shape": _show(shape), "meant": meant[0], "meant_shape": _show(right)}
    return None


# numpy 2's refusals of one array as one number; numpy 1 refused them too when the array held several values
_ONE_NUMBER = re.compile(r"only 0-dimensional arrays can be converted|only (?:size|length)-1 arrays can be converted"
                         r"|setting an array element with a sequence")


def exception_hint(function: str, exc_type: str, message: str, case: Case | None = None,
                   elements: int | None = None) -> tuple[str, str] | None:
    """(hint id, sentence) for an exception a student's function raised on ``case``, or None.

    ``elements``: how many values the array held where one number was refused (the worker saw it, worker.ELEMENTS;
    None when unknown). Only a one-element array is numpy 2's refusal of numpy 1's code; several values are a
    shape mistake under either numpy (``several_values``), whatever the assignment's own rules would say.

    Reads numpy's message against the case's sizes: a matrix product of a transposed input
    ("shapes (5,3) and (5,4) not aligned" where W is (3, 5); "@": "size 5 is different from 3" where an
    input is (3, 5); or a product that one transpose would fit) -> transposed; a broadcast of two
    matrix product operands ("(3,5) (5,4)") -> elementwise_instead_of_dot; 'W0' or 'W{L+1}' missing ->
    off_by_one_layer; in L_model_forward / L_model_backward, sizes of two neighbouring layers meeting
    -> off_by_one_layer / off_by_one_cache; in the LSTM backward, an (n_a, m) meeting an (n_x, m) ->
    wrong_slice; a T_x-wide array meeting an m-wide one -> wrong_time_axis; NameError -> undefined_name;
    arithmetic on None -> unfinished_template; a bad unpacking or an unbound variable -> "exception"
    with a sentence about the course's caches or the activation strings.

    >>> from shapecheck.diagnosis.cases import cases_for
    >>> exception_hint("L_model_forward", "KeyError", "'W0'", cases_for("L_model_forward")[0])[0]
    'off_by_one_layer'
    """
    if elements is not None and elements != 1 and exc_type in ("TypeError", "ValueError") and _ONE_NUMBER.search(message):
        return "several_values", msg("hints.exc_several_values", function=function, type=exc_type, message=message,
                                     elements=elements)
    for rule in _exception_rules(function, case):
        found = rule(function, exc_type, message, case)
        if found is not None:
            return found
    sizes = case.sizes if case is not None else {}
    shapes = _shapes_in(message)
    fields = {"function": function, "type": exc_type, "message": message}
    if exc_type == "TypeError" and _FLOAT_SIZE.search(message):
        return "float_size", msg("hints.exc_float_size", **fields)
    if exc_type == "NameError":
        name = message.split("'")[1] if message.count("'") >= 2 else message
        return "undefined_name", msg("hints.exc_undefined_name", name=name, **fields)
    if exc_type == "KeyError":
        key = message.strip().strip("'\"")
        found = _KEY_IN_TEXT.match(key)
        L = sizes.get("L")
        if found and found.group(2) and L and int(found.group(2)) in (0, L + 1):
            if function == "L_model_forward" and int(found.group(2)) == L + 1:   # or L = len(parameters), not // 2
                return "off_by_one_layer", msg("hints.exc_layer_key_forward", key=key, L=L, **fields)
            return "off_by_one_layer", msg("hints.exc_layer_key", key=key, L=L, **fields)
        T_x = sizes.get("T_x")
        if key.lstrip("-").isdigit() and T_x and int(key) in (T_x, -2):  # a[len(X)] or a[t - 1] at t = -1: one step off
            return "off_by_one_step", msg("hints.exc_step_key", key=key, T_x=T_x, last=T_x - 1, **fields)
        return "exception", msg("hints.exc_key", key=key, **fields)
    if exc_type == "UnboundLocalError":
        return "exception", msg("hints.exc_unbound", **fields)
    if exc_type == "ValueError" and "setting an array element with a sequence" in message:
        return "numpy2", msg("hints.exc_numpy2_element", **fields)  # a (1, 1) cost into costs[i]: numpy 1 took it
    if exc_type == "TypeError" and "only 0-dimensional arrays can be converted" in message:
        return "numpy2", msg("hints.exc_numpy2_scalar", **fields)
    if exc_type == "TypeError" and "NoneType" in message:
        return "unfinished_template", msg("hints.exc_none", **fields)
    if exc_type == "TypeError" and "'tuple'" in message:
        return "tuple_not_unpacked", msg("hints.exc_tuple_operand", **fields)
    inputs = _input_shapes(case)
    if "values to unpack" in message:
        return "exception", msg("hints.exc_unpack", **fields)
    # the loops of L_model_* only index layers (the callees do the math): a size clash there is an index
    if function in ("L_model_backward", "L_model_forward") and "layer_dims" in sizes:
        dims = sizes["layer_dims"]
        numbers = {int(n) for n in re.findall(r"\d+", message)}
        if any(dims[l] != dims[l + 1] and {dims[l], dims[l + 1]} <= numbers for l in range(1, len(dims) - 1)):
            if function == "L_model_forward":
                return "off_by_one_layer", msg("hints.exc_neighbour_layers_forward", **fields)
            return "off_by_one_cache", msg("hints.exc_neighbour_layers", **fields)
    if "not aligned" in message and len(shapes) >= 2:
        first, second = shapes[0], shapes[1]
        other = _other_layer_operand(function, case, first, second)
        if other is not None:  # W1 where W2 belongs: an input as it was given, and another layer's array fits the product
            return "wrong_variable", msg("hints.exc_other_layer_operand", **other, **fields)
        for shape in (first, second):  # an input the student transposed
            if len(shape) == 2 and shape[::-1] in inputs and shape not in inputs and shape[0] != shape[1]:
                return "transposed", msg("hints.exc_transposed", actual=_show(shape), expected=_show(shape[::-1]), **fields)
        if len(first) == 2 and len(second) == 2 and (first[0] == second[0] or first[1] == second[1]):
            return "transposed", msg("hints.exc_transposable", first=_show(first), second=_show(second), **fields)
    sizes_found = re.search(r"size (\d+) is different from (\d+)", message)
    if "mismatch in its core dimension" in message and sizes_found:  # the @ operator names sizes only
        p, q = int(sizes_found.group(1)), int(sizes_found.group(2))
        if p != q and any(len(shape) == 2 and set(shape) == {p, q} for shape in inputs):
            return "transposed", msg("hints.exc_matmul_sizes", p=p, q=q, **fields)
    if "could not broadcast input array" in message and len(shapes) >= 2:  # x[...] = value, the slot's shape differs
        value, slot = shapes[0], shapes[1]
        texts = {"value": _show(value), "slot": _show(slot), "value_symbols": _symbols(value, sizes),
                 "slot_symbols": _symbols(slot, sizes), **fields}
        if _another_size(value, slot, sizes):
            return "wrong_allocation", msg("hints.exc_wrong_allocation", **texts)
        return "slot_mismatch", msg("hints.exc_slot_mismatch", **texts)
    if "broadcast" in message and len(shapes) >= 2:
        first, second = shapes[0], shapes[1]
        n_a, n_x, m, T_x = sizes.get("n_a"), sizes.get("n_x"), sizes.get("m"), sizes.get("T_x")
        if function in ("lstm_cell_backward", "lstm_backward") and n_a and n_x and {first, second} == {(n_a, m), (n_x, m)}:
            return "wrong_slice", msg("hints.exc_wrong_slice", **fields)
        if T_x and m and T_x != m and any(len(s) == 2 and s[1] == T_x for s in (first, second)) \
                and any(len(s) == 2 and s[1] == m for s in (first, second)):
            return "wrong_time_axis", msg("hints.exc_time_axis", **fields)
        if len(first) == 2 and len(second) == 2 and first[1] == second[0] and first != second:
            return "elementwise_instead_of_dot", msg("hints.exc_elementwise", first=_show(first), second=_show(second), **fields)
    return None
