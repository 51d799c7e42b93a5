"""Gradient checking, the course's way, one tensor at a time.

    import shapecheck as sc
    report = sc.gradcheck(lambda p: cost(p), params, grads)   # every coordinate, ε = 1e-7
    report.passed, report.difference                          # the course's bar: below 2e-7
    print(report.conclusion())                                # the first wrong tensor, and why

For each parameter θ_i the numeric gradient is the centered difference
(J(θ + ε·e_i) − J(θ − ε·e_i)) / 2ε, in float64, and each tensor gets the course's measure
difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) over its checked coordinates.

Modes: ``full`` (every coordinate), ``sample`` (k seeded coordinates per tensor, so each tensor is
covered) and ``directional`` (k seeded random directions v over all parameters at once:
(J(θ + εv) − J(θ − εv)) / 2ε against g·v, 2k cost evaluations whatever the size; when it fails,
the same directions restricted to each tensor say which one).

Verdict bands, per tensor (d is its difference, kinks left out):

    great       d ≤ threshold (2e-7, the course's bar)                                    pass
    acceptable  d > threshold, but every error is within the rounding noise              pass
                (said "passes (rounding)", with the case's measured rounding floor)
    suspicious  d > threshold, an error above the noise, d < 1e-3                          fail
    wrong       d ≥ 1e-3, or a gradient that is missing or not its parameter's shape      fail
    not_finite  NaN or inf in the parameter, the gradient, or the cost around it         fail
    all_kinks   every checked coordinate crossed a kink: no evidence either way           pass

The rounding noise of one centered difference is (S + |θ_i·g̃_i|)·2⁻⁵²/ε: S = |J| by default (the
cost's last bit; the second term is the step θ + ε that is not exactly ε away), and an error
within 8 times that says nothing about the code. A cost made of larger pieces that cancel rounds
more than |J| says: give ``noise_scale``; ``gradcheck_network`` works S out from the network itself.
The fast exact checks of the engine's own networks build on this module: ``gradcheck_network``
(fastcheck.py), ``gradcheck_lstm`` (fastcheck_lstm.py) and ``gradcheck_model`` (model_check.py).
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from shapecheck.core.errors import ShapecheckError
from shapecheck.core.seeds import check_seed
from shapecheck.core.messages import msg
from shapecheck.core.unify import classify
from shapecheck.gradients.reading import Pattern, _num, explain, fingerprint
from shapecheck.validate.params import refuse_masked
from shapecheck.views.base import Report

MODES = ("full", "sample", "directional")
THRESHOLD = 2e-7  # the course's bar
EPS = 1e-7  # the course's ε
WRONG_FROM = 1e-3  # a difference this large is a mistake, not a nuance
NOISE_MARGIN = 8.0  # an error within 8× the estimated rounding noise is rounding
ROUNDING = 2.0**-52
BANDS = ("great", "acceptable", "suspicious", "wrong", "not_finite", "all_kinks")
PASSING = ("great", "acceptable", "all_kinks")
THETA = "theta"  # the row of a directional check: all parameters at once, the course's θ

__all__ = ["gradcheck", "GradcheckReport", "TensorCheck",
           "Entry", "Pattern", "BANDS", "MODES"]


class GradcheckWarning(UserWarning):
    """Something the check did for you that you should know about (a float32 input was upcast)."""


# --- the data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One compared coordinate (or direction): where, the analytic value, the numeric one."""

    index: tuple[int, ...]
    analytic: float
    numeric: float

    @property
    def error(self) -> float:
        return abs(self.analytic - self.numeric)

    def to_json(self) -> dict:
        return {"index": list(self.index), "analytic": _num(self.analytic), "numeric": _num(self.numeric)}


@dataclass(frozen=True)
class TensorCheck:
    """The check of one gradient tensor (``dW2`` against its parameter ``W2``)."""

    name: str  # the gradient's key, "dW2"
    param: str  # the parameter's key, "W2"
    shape: tuple[int, ...]  # the parameter's shape
    grad_shape: tuple[int, ...] | None  # the gradient's shape as given (None: missing)
    checked: int  # coordinates (directions) compared, kinks left out
    kinks: int  # coordinates (directions) set aside because a perturbation crossed a kink
    difference: float  # the course's measure over the checked coordinates (nan: nothing comparable)
    max_abs_error: float
    worst: tuple[Entry, ...]  # the largest errors, largest first (at most 3)
    noise: float  # the largest estimated rounding noise of one checked coordinate
    below_noise: bool  # every error within NOISE_MARGIN × its noise
    band: str
    pattern: Pattern | None = None  # for a failing tensor: what its numbers look like
    sums: tuple[float, float, float] = (0.0, 0.0, 0.0)  # ‖g − g̃‖², ‖g‖², ‖g̃‖² (for the overall difference)
    directional: bool = False  # entries are directions, not coordinates

    @property
    def passed(self) -> bool:
        return self.band in PASSING

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def worst_index(self) -> tuple[int, ...] | None:
        return self.worst[0].index if self.worst else None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "param": self.param,
            "shape": list(self.shape),
            "grad_shape": None if self.grad_shape is None else list(self.grad_shape),
            "difference": _num(self.difference),
            "max_abs_error": _num(self.max_abs_error),
            "worst_index": None if self.worst_index is None else list(self.worst_index),
            "passed": self.passed,
            "kinks": self.kinks,
            "band": self.band,
            "checked": self.checked,
            "size": self.size,
            "noise_floor": _num(self.noise),
            "below_noise": self.below_noise,
            "worst": [e.to_json() for e in self.worst],
            "pattern": None if self.pattern is None else self.pattern.to_json(),
            "directional": self.directional,
        }


@dataclass(frozen=True)
class GradcheckReport(Report):
    """Per-tensor results of a gradient check, in backward order (dW[L] first), plus how it was run."""

    tensors: tuple[TensorCheck, ...]
    mode: str = "full"
    threshold: float = THRESHOLD
    eps: float = EPS
    k: int | None = None
    seed: int | None = None
    evaluations: int = 0  # cost evaluations (or, for the fast check, perturbations evaluated)
    cost: float = float("nan")  # J at θ
    parameters: int = 0  # all the parameters, checked or not
    m: int | None = None  # examples, when known: "off by a factor m" is then "missing 1/m"
    warnings: tuple[str, ...] = ()
    network: str | None = None  # "[5, 4, 3, 1]" when the engine's network was checked
    method: str = "black_box"  # or "fast_exact" (gradcheck_network)
    bug: str | None = None  # the injected mistake, when one was
    cost_finite: bool = True
    extra: dict = field(default_factory=dict, compare=False)

    # -- the verdict --
    @property
    def passed(self) -> bool:
        return self.cost_finite and all(t.passed for t in self.tensors)

    @property
    def difference(self) -> float:
        """The course's measure over every checked coordinate of every tensor (directional: the θ row)."""
        rows = [t for t in self.tensors if t.name == THETA] or [t for t in self.tensors if not t.directional]
        err2 = sum(t.sums[0] for t in rows)
        norm = math.sqrt(sum(t.sums[1] for t in rows)) + math.sqrt(sum(t.sums[2] for t in rows))
        if not all(math.isfinite(s) for t in rows for s in t.sums):
            return float("nan")
        return 0.0 if norm == 0 else math.sqrt(err2) / norm

    @property
    def rounding_floor(self) -> float:
        """The rounding floor measured for this case: the largest rounding noise of one checked centered
        difference, (|J| + |θ_i·g̃_i|)·2⁻⁵²/ε. A tensor whose every error is within it passes (rounding)."""
        floors = [t.noise for t in self.tensors if math.isfinite(t.noise)]
        return max(floors) if floors else float("nan")

    @property
    def kinks(self) -> int:
        """Perturbations (coordinates, or directions) set aside because they crossed a kink."""
        return sum(t.kinks for t in self.tensors)

    @property
    def first_failure(self) -> TensorCheck | None:
        """The first failing tensor in backward order: where a mistake enters (the directional row last)."""
        failing = [t for t in self.tensors if not t.passed]
        named = [t for t in failing if t.name != THETA]
        return (named or failing or [None])[0]

    def coverage(self) -> str:
        checked = sum(t.checked + t.kinks for t in self.tensors if t.name != THETA and not t.directional)
        if self.mode == "directional":
            text = msg("gradcheck.coverage_directional", k=self.k, total=self.parameters, evaluations=self.evaluations,
                       seed=self.seed)
            left_out = self.extra.get("left_out", 0)
            return text + msg("gradcheck.coverage_left_out", count=left_out) if left_out else text
        if self.mode == "sample":
            return msg("gradcheck.coverage_sample", k=self.k, count=checked, total=self.parameters, seed=self.seed)
        key = "gradcheck.coverage_fast" if self.method == "fast_exact" else "gradcheck.coverage_full"
        return msg(key, count=checked, evaluations=self.evaluations)

    def conclusion(self) -> str:
        """One line: all good (and what was set aside), or the first wrong tensor and what it usually means."""
        return explain(self)

    def to_json(self) -> dict:
        return {
            "passed": self.passed,
            "difference": _num(self.difference),
            "threshold": self.threshold,
            "rounding_floor": _num(self.rounding_floor),
            "mode": self.mode,
            "method": self.method,
            "eps": self.eps,
            "k": self.k,
            "seed": self.seed,
            "evaluations": self.evaluations,
            "cost": _num(self.cost),
            "parameters": self.parameters,
            "m": self.m,
            "network": self.network,
            "bug": self.bug,
            "kinks": self.kinks,
            "coverage": self.coverage(),
            "left_out": self.extra.get("left_out", 0),
            "conclusion": self.conclusion(),
            "first_failure": None if self.first_failure is None else self.first_failure.name,
            "warnings": list(self.warnings),
            "tensors": [t.to_json() for t in self.tensors],
        }

    def plot(self):
        """Each tensor's difference against the pass line, on a log scale (a matplotlib Figure; the ``png`` extra)."""
        from shapecheck.views.figures import gradcheck_figure

        return gradcheck_figure(self)

    def _renderable(self):
        from shapecheck.views.gradcheck_view import gradcheck_view  # rich loads only when drawn

        return gradcheck_view(self)


# --- comparing one tensor -------------------------------------------------------------------------------


def rounding_noise(J: float, eps: float, theta: np.ndarray | float = 0.0,
                   numeric: np.ndarray | float = 0.0) -> np.ndarray:
    """Estimated rounding error of centered differences: (|J| + |θ_i·g̃_i|)·2⁻⁵²/ε, per coordinate."""
    return (abs(J) + np.abs(np.asarray(theta) * np.asarray(numeric))) * ROUNDING / eps


def course_difference(analytic: np.ndarray, numeric: np.ndarray,
                      errors: np.ndarray | None = None) -> tuple[float, tuple[float, float, float]]:
    """The course's ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) of two 1-D arrays, and its sums of squares (‖g − g̃‖², ‖g‖², ‖g̃‖²).

    All zero on both sides is agreement, 0, not 0/0. ``errors``: |g − g̃| when the caller has it.
    """
    errors = np.abs(analytic - numeric) if errors is None else errors
    err2, a2, n2 = float(errors @ errors), float(analytic @ analytic), float(numeric @ numeric)
    norm = math.sqrt(a2) + math.sqrt(n2)
    return (0.0 if norm == 0 else math.sqrt(err2) / norm), (err2, a2, n2)


def band_of(difference: float, below_noise: bool, threshold: float) -> str:
    """The verdict band of a finite difference (see the module's table)."""
    if difference <= threshold:
        return "great"
    if below_noise:
        return "acceptable"
    return "suspicious" if difference < WRONG_FROM else "wrong"


def compare(
    name: str,
    param: str,
    shape: tuple[int, ...],
    analytic: np.ndarray,
    numeric: np.ndarray,
    indices: np.ndarray,
    kinks: np.ndarray,
    noise: np.ndarray,
    threshold: float,
    *,
    grad_shape: tuple[int, ...] | None = None,
    transposed: np.ndarray | None = None,
    m: int | None = None,
    shape_kind: str | None = None,
    directional: bool = False,
) -> TensorCheck:
    """One tensor's verdict from its compared values (1-D, aligned with ``indices``, one index per row).

    ``kinks`` marks the entries set aside; ``noise`` is each entry's rounding noise;
    ``transposed`` holds the analytic values at the transposed index (square matrices), so a
    transposed gradient can be recognised; ``shape_kind`` says the gradient had the wrong shape.
    """
    analytic = np.asarray(analytic, dtype=np.float64).ravel()
    numeric = np.asarray(numeric, dtype=np.float64).ravel()
    kinks = np.asarray(kinks, dtype=bool).ravel()
    noise = np.broadcast_to(np.asarray(noise, dtype=np.float64), numeric.shape)
    keep = ~kinks
    a, n, s = analytic[keep], numeric[keep], noise[keep]
    kept_indices = np.asarray(indices, dtype=np.int64).reshape(numeric.size, -1 if numeric.size else 1)[keep]
    common = dict(name=name, param=param, shape=tuple(shape), checked=int(keep.sum()), kinks=int(kinks.sum()),
                  grad_shape=tuple(shape) if grad_shape is None else grad_shape, directional=directional)

    bad = ~(np.isfinite(a) & np.isfinite(n))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        where = "analytic" if not np.isfinite(a[first]) else "numeric"
        entry = Entry(_index(kept_indices[first]), float(a[first]), float(n[first]))
        return TensorCheck(**common, difference=float("nan"), max_abs_error=float("nan"), worst=(entry,),
                           noise=float(s.max(initial=0.0)), below_noise=False, band="not_finite",
                           pattern=Pattern("not_finite", where=where, index=entry.index, total=int(bad.sum())),
                           sums=(float("nan"),) * 3)

    if keep.size and not keep.any():  # nothing left to compare: no evidence against, none for
        return TensorCheck(**common, difference=float("nan"), max_abs_error=float("nan"), worst=(), noise=0.0,
                           below_noise=False, band="all_kinks", sums=(0.0, 0.0, 0.0))
    errors = np.abs(a - n)
    difference, (err2, a2, n2) = course_difference(a, n, errors)
    below_noise = bool(np.all(errors <= NOISE_MARGIN * s))
    order = np.argsort(-errors, kind="stable")[:3]
    worst = tuple(Entry(_index(kept_indices[i]), float(a[i]), float(n[i])) for i in order)
    band = "wrong" if shape_kind else band_of(difference, below_noise, threshold)
    pattern = None
    if band not in PASSING:
        t = None if transposed is None else np.asarray(transposed, dtype=np.float64).ravel()[keep]
        pattern = fingerprint(a, n, s * NOISE_MARGIN, transposed=t, m=m, shape_kind=shape_kind)
    return TensorCheck(**common, difference=difference, max_abs_error=float(errors.max(initial=0.0)), worst=worst,
                       noise=float(s.max(initial=0.0)), below_noise=below_noise, band=band, pattern=pattern,
                       sums=(err2, a2, n2))


def _index(row: np.ndarray) -> tuple[int, ...]:
    return tuple(int(x) for x in row)


def missing_check(name: str, param: str, shape: tuple[int, ...]) -> TensorCheck:
    """The row of a gradient that was not given at all."""
    return TensorCheck(name=name, param=param, shape=tuple(shape), grad_shape=None, checked=0, kinks=0,
                       difference=float("nan"), max_abs_error=float("nan"), worst=(), noise=0.0, below_noise=False,
                       band="wrong", pattern=Pattern("missing"), sums=(0.0, 0.0, 0.0))


def shape_check(name: str, param: str, shape: tuple[int, ...], grad_shape: tuple[int, ...], kind: str) -> TensorCheck:
    """The row of a gradient whose shape is not its parameter's, when its values are not compared."""
    return TensorCheck(name=name, param=param, shape=tuple(shape), grad_shape=tuple(grad_shape), checked=0, kinks=0,
                       difference=float("nan"), max_abs_error=float("nan"), worst=(), noise=0.0, below_noise=False,
                       band="wrong", pattern=Pattern(kind), sums=(0.0, 0.0, 0.0))


def nonfinite_param_check(name: str, param: str, value: np.ndarray) -> TensorCheck:
    """The row of a parameter that holds NaN or inf: no difference around it means anything."""
    first = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
    return TensorCheck(name=name, param=param, shape=value.shape, grad_shape=value.shape, checked=0, kinks=0,
                       difference=float("nan"), max_abs_error=float("nan"), worst=(), noise=0.0, below_noise=False,
                       band="not_finite", pattern=Pattern("not_finite", where="parameter", index=first,
                                                          total=int((~np.isfinite(value)).sum())),
                       sums=(float("nan"),) * 3)


def align(grad: np.ndarray, shape: tuple[int, ...]) -> tuple[np.ndarray | None, str | None]:
    """The gradient laid out as its parameter, and what was wrong with its shape (None when nothing).

    A transposed matrix is transposed back and a rank-1 (or otherwise squeezed) vector reshaped, so
    its values can still be compared; the tensor fails on its shape all the same. Other shapes
    cannot be lined up: (None, "shape").
    """
    grad = np.asarray(grad)
    if grad.shape == tuple(shape):
        return grad, None
    if classify(tuple(shape), grad.shape, {}).kind in ("transposed", "row_for_column"):
        return grad.T, "transposed"
    if grad.size == math.prod(shape) and [d for d in grad.shape if d != 1] == [d for d in shape if d != 1]:
        return grad.reshape(shape), "rank1" if grad.ndim < len(shape) else "shape"
    return None, "shape"


def backward_order(names: list[str]) -> list[str]:
    """dW[L], db[L], ..., dW[1], db[1]: the order backpropagation computes them (reversed when unnumbered)."""
    numbered = [re.search(r"(\d+)$", n) for n in names]
    if all(numbered):
        position = {n: i for i, n in enumerate(names)}
        return sorted(names, key=lambda n: (-int(re.search(r"(\d+)$", n).group(1)), position[n]))
    return list(reversed(names))


# --- the black-box check --------------------------------------------------------------------------------


def check_options(mode: str, eps: float, k: int, threshold: float) -> None:
    """Bad options are bad input: one sentence each."""
    if mode not in MODES:
        raise ShapecheckError("gradcheck.bad_mode", value=mode, known=", ".join(MODES))
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < 1:
        raise ShapecheckError("gradcheck.bad_eps", value=eps)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ShapecheckError("gradcheck.bad_k", value=k)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
        raise ShapecheckError("gradcheck.bad_threshold", value=threshold)


def as_float64(arrays: Mapping[str, Any], what: str) -> tuple[dict[str, np.ndarray], list[str]]:
    """float64 copies (the user's arrays are never touched) and the names that were float32 or smaller."""
    if not isinstance(arrays, Mapping) or not arrays:
        raise ShapecheckError("gradcheck.not_a_dict", what=what, value=type(arrays).__name__)
    copies, upcast = {}, []
    for name, value in arrays.items():
        refuse_masked(**{str(name): value})                      # (np.asarray would drop its mask without a word)
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ShapecheckError("gradcheck.not_numbers", what=what, name=name, dtype=str(array.dtype))
        if array.dtype.kind == "f" and array.dtype.itemsize < 8:
            upcast.append(str(name))
        copies[name] = np.array(array, dtype=np.float64, copy=True)
    return copies, upcast


def upcast_warning(names: list[str], eps: float) -> str | None:
    if not names:
        return None
    text = msg("gradcheck.float32_upcast", names=", ".join(names), eps=eps)
    warnings.warn(text, GradcheckWarning, stacklevel=3)
    return text


def grad_name(param: str) -> str:
    """The course's name of a parameter's gradient: dW1 for W1; a Keras weight ("lstm/kernel") keeps its own."""
    return "d" + param if str(param).isidentifier() else str(param)


def grad_key(grads: Mapping[str, Any], param: str) -> str | None:
    """``dW1`` for ``W1`` (the course's keys), or ``W1`` itself."""
    for key in ("d" + param, param):
        if key in grads:
            return key
    return None


def _evaluate(f: Callable, theta: dict[str, np.ndarray]) -> float:
    value = f(theta)
    array = np.asarray(value)
    if array.size != 1 or array.dtype.kind not in "biuf":
        raise ShapecheckError("gradcheck.cost_not_scalar", shape=array.shape, type=type(value).__name__)
    return float(array.reshape(()))


def gradcheck(
    f: Callable[[dict[str, np.ndarray]], float],
    params: Mapping[str, Any],
    grads: Mapping[str, Any],
    *,
    eps: float = EPS,
    mode: str = "full",
    k: int = 10,
    seed: int = 0,
    threshold: float = THRESHOLD,
    detect_kinks: bool = False,
    localize: bool = True,
    m: int | None = None,
    noise_scale: float | None = None,
    progress: Callable[[int, int], None] | bool | None = None,
) -> GradcheckReport:
    """Check ``grads`` against centered differences of ``f``, per tensor; f(params) -> scalar cost J.

    difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) with g̃_i = (J(θ + ε·e_i) − J(θ − ε·e_i)) / 2ε; pass below 2e-7.
    ``grads`` keys are the course's (``dW1`` for ``W1``) or the parameters' own. ``detect_kinks``
    adds J(θ ± 2ε·e_i) to set aside coordinates where f has no derivative (the left and right
    slopes disagree). ``m`` (examples) lets the conclusion say "missing 1/m". ``noise_scale``: the
    size of what rounding touches in J when it is more than |J| (terms that cancel; an output that
    nearly fits its target); the noise floor is noise_scale·2⁻⁵²/ε. ``progress(done, total)``
    is called as the check advances (True: a rich progress bar on stderr).

    >>> import numpy as np
    >>> report = gradcheck(lambda p: float(np.sum(p["W"] ** 2)), {"W": np.ones((2, 3))}, {"dW": 2 * np.ones((2, 3))})
    >>> report.passed, report.tensors[0].name
    (True, 'dW')
    """
    check_options(mode, eps, k, threshold)
    seed = check_seed(seed)
    if not callable(f):
        raise ShapecheckError("gradcheck.not_callable", value=type(f).__name__)
    if not isinstance(grads, Mapping):
        raise ShapecheckError("gradcheck.not_a_dict", what="grads", value=type(grads).__name__)
    theta, upcast = as_float64(params, "params")
    given, upcast_grads = as_float64(grads, "grads") if grads else ({}, [])
    notes = [w for w in (upcast_warning(upcast + upcast_grads, eps),) if w]
    eps = float(eps)
    base = dict(mode=mode, threshold=float(threshold), eps=eps, k=None if mode == "full" else int(k),
                seed=None if mode == "full" else seed, parameters=sum(v.size for v in theta.values()), m=m,
                warnings=tuple(notes))
    J0 = _evaluate(f, theta)
    rows, usable, shape_kinds, names = line_up(theta, given, mode)
    if not math.isfinite(J0):
        return GradcheckReport(tensors=_ordered(rows, theta), cost=J0, cost_finite=False, **base)
    scale = abs(J0) if noise_scale is None else max(abs(J0), float(noise_scale))
    tick = _progress(progress)
    if mode == "directional":
        found, evaluations = _directional(f, theta, usable, names, J0, scale, eps, int(k), seed, threshold,
                                          detect_kinks, localize, m, tick)
        rows.update(found)
        return GradcheckReport(tensors=_ordered(rows, theta), cost=J0, evaluations=evaluations, **base)

    def black_box(param: str, flat: np.ndarray, advance: Callable[[int], None]):
        return _coordinates(f, theta, param, flat, J0, eps, detect_kinks, advance)

    found, evaluations = check_coordinates(black_box, theta, usable, given, names, shape_kinds, list(usable), mode=mode,
                                           k=k, seed=seed, eps=eps, threshold=threshold, scale=scale, m=m, tick=tick)
    rows.update(found)
    return GradcheckReport(tensors=_ordered(rows, theta), cost=J0, evaluations=1 + evaluations, **base)


def check_coordinates(estimate: Callable, theta: Mapping[str, np.ndarray], usable: Mapping[str, np.ndarray],
                      given: Mapping[str, np.ndarray], names: Mapping[str, str], shape_kinds: Mapping[str, str],
                      order: list[str], *, mode: str, k: int, seed: int, eps: float, threshold: float, scale: float,
                      m: int | None, tick: Callable[[int, int], None]) -> tuple[dict[str, TensorCheck], int]:
    """The one driver of every full or sampled check: choose the coordinates, estimate, compare each tensor.

    ``estimate(param, flat, advance) -> (g̃, kinked, evaluations)`` is the pluggable part: the
    centered differences at the coordinates ``flat`` of ``param``, which of them sit on a kink, and
    how many evaluations of J that took; it calls ``advance(n)`` as coordinates are done. The black
    box (``gradcheck``, a Keras model) perturbs one coordinate at a time; the dense network
    (``fastcheck``) and the LSTM (``fastcheck_lstm``) batch many perturbations per pass. The
    verdict of each tensor is ``compare``'s, here for all of them. Returns the rows and the evaluations.
    """
    rng = np.random.default_rng(seed)
    planned = {p: (np.arange(theta[p].size) if mode == "full" else
                   np.sort(rng.choice(theta[p].size, size=min(int(k), theta[p].size), replace=False)))
               for p in order if p in usable}
    todo, done, evaluations = sum(len(ix) for ix in planned.values()), [0], 0

    def advance(n: int) -> None:
        done[0] += n
        tick(done[0], todo)

    rows = {}
    for param, flat in planned.items():
        value, aligned = theta[param], usable[param]
        numeric, kinked, count = estimate(param, flat, advance)
        evaluations += count
        rows[param] = compare(names[param], param, value.shape, aligned.flat[flat], numeric,
                              _indices(flat, value.shape), kinked,
                              rounding_noise(scale, eps, value.flat[flat], numeric), threshold,
                              grad_shape=np.shape(given[grad_key(given, param)]),
                              transposed=_transposed_values(aligned, flat), m=m, shape_kind=shape_kinds.get(param))
    return rows, evaluations


def _indices(flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """One row of indices per coordinate; a number (logistic regression's b, shape ()) has none."""
    if shape == ():
        return np.zeros((len(flat), 0), dtype=np.intp)
    return np.stack(np.unravel_index(flat, shape), axis=1)


def line_up(theta: Mapping[str, np.ndarray], given: Mapping[str, np.ndarray], mode: str):
    """Each parameter's gradient laid out as the parameter, and rows for those that cannot be compared.

    Returns (rows, usable, shape_kinds, names): rows for parameters holding NaN/inf and gradients
    missing or not lined up (in directional mode any wrong shape: directions take right shapes
    only); usable[param] = the gradient laid out as param; names[param] = the gradient's name.
    """
    rows: dict[str, TensorCheck] = {}
    usable: dict[str, np.ndarray] = {}
    shape_kinds: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for param, value in theta.items():
        key = grad_key(given, param)
        name = names[param] = key if key is not None and key != param else grad_name(param)
        if not np.all(np.isfinite(value)):
            rows[param] = nonfinite_param_check(name, param, value)
            continue
        if key is None:
            rows[param] = missing_check(name, param, value.shape)
            continue
        aligned, shape_kinds[param] = align(given[key], value.shape)
        if aligned is None or (shape_kinds[param] and mode == "directional"):
            rows[param] = shape_check(name, param, value.shape, np.shape(given[key]), shape_kinds[param])
            continue
        usable[param] = aligned
    return rows, usable, shape_kinds, names


def _coordinates(f, theta, param, flat, J0, eps, detect_kinks, advance) -> tuple[np.ndarray, np.ndarray, int]:
    """Centered differences of f for coordinates ``flat`` of theta[param] (changed and put back in place),
    which of them are black-box kinks, and how many evaluations it took."""
    from shapecheck.gradients import centered
    from shapecheck.gradients import kinks as kink_tests

    offsets = (-2, -1, 1, 2) if detect_kinks else (-1, 1)
    values, steps = centered.evaluations(lambda: _evaluate(f, theta), theta[param], flat, eps, offsets, advance)
    J = np.array(values, dtype=np.float64).reshape(len(offsets), flat.size)
    numeric = np.array(centered.quotients(values, offsets, eps), dtype=np.float64)  # the course's centered difference
    kinked = (kink_tests.one_sided(J, np.array(steps, dtype=np.float64).reshape(J.shape), J0, eps) if detect_kinks
              else np.zeros(flat.size, dtype=bool))
    return numeric, kinked, J.size


def _transposed_values(aligned: np.ndarray, flat: np.ndarray) -> np.ndarray | None:
    """The analytic gradient at the transposed index of each checked coordinate (square matrices only)."""
    if aligned.ndim != 2 or aligned.shape[0] != aligned.shape[1] or aligned.shape[0] < 2:
        return None
    return aligned.T.flat[flat]


def _ordered(rows: dict[str, TensorCheck], theta: Mapping[str, np.ndarray]) -> tuple[TensorCheck, ...]:
    """Rows in backward order, any directional row first."""
    params = backward_order(list(theta))
    first = [rows[THETA]] if THETA in rows else []
    return tuple(first + [rows[p] for p in params if p in rows])


def _progress(progress) -> Callable[[int, int], None]:
    if progress is True:
        from shapecheck.views.gradcheck_view import progress_bar

        return progress_bar()
    if callable(progress):
        return progress
    return lambda done, total: None


def _directional(f, theta, usable, names, J0, scale, eps, k, seed, threshold, detect_kinks, localize, m, tick):
    """k seeded directions over every usable parameter; per-tensor rows only when the whole fails."""
    from shapecheck.gradients import kinks as kink_tests

    rng = np.random.default_rng(seed)
    directions = [{p: rng.standard_normal(theta[p].shape) for p in usable} for _ in range(k)]
    offsets = (-2, -1, 1, 2) if detect_kinks else (-1, 1)
    originals = {p: theta[p].copy() for p in usable}
    todo = k * (1 + (len(usable) if localize else 0))
    done, evaluations = 0, 1

    def probe(restrict: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        nonlocal done, evaluations
        numeric, analytic, kinked = np.empty(k), np.empty(k), np.zeros(k, dtype=bool)
        for d, v in enumerate(directions):
            parts = [restrict] if restrict else list(usable)
            J, steps = np.empty((len(offsets), 1)), np.empty((len(offsets), 1))
            for row, o in enumerate(offsets):
                for p in parts:
                    np.add(originals[p], o * eps * v[p], out=theta[p])
                J[row, 0] = _evaluate(f, theta)
                steps[row, 0] = o * eps
            # the step actually taken, coordinate by coordinate: g·v̂ with v̂ = ((θ+εv) − (θ−εv)) / 2ε
            taken = {p: ((originals[p] + eps * v[p]) - (originals[p] - eps * v[p])) / (2 * eps) for p in parts}
            analytic[d] = sum(float(np.sum(usable[p] * taken[p])) for p in parts)
            for p in parts:
                theta[p][...] = originals[p]
            numeric[d] = (J[offsets.index(1), 0] - J[offsets.index(-1), 0]) / (2 * eps)
            if detect_kinks:
                kinked[d] = kink_tests.one_sided(J, steps, J0, eps)[0]
            evaluations += len(offsets)
            done += 1
            tick(done, todo)
        return analytic, numeric, kinked

    rows: dict[str, TensorCheck] = {}
    analytic, numeric, kinked = probe(None)
    noise = rounding_noise(scale, eps)
    indices = np.arange(k)[:, None]
    size = sum(theta[p].size for p in usable)
    rows[THETA] = compare(THETA, THETA, (size,), analytic, numeric, indices, kinked, noise, threshold, m=m,
                          directional=True)
    if localize and not rows[THETA].passed:
        for p in usable:
            a, n, kk = probe(p)
            rows[p] = compare(names[p], p, theta[p].shape, a, n, indices, kk, noise, threshold, m=m, directional=True)
    return rows, evaluations
