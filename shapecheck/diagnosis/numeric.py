"""Gradients by centered differences of a student's OWN forward (and cost), and what they say.

The loop is ``worker.centered_differences`` and J is the plug-in's ``course.numeric_objective``: both
run inside the sandbox, next to the student's code (the functions here run them in this process, for
tests and for a student's own functions given as callables).

    grads = dnn_numeric_grads(L_model_forward, compute_cost, X, Y, parameters)   # dW1, db1, ..., dWL, dbL
    grads = rnn_numeric_grads(lstm_forward, x, a0, parameters, da)                # dx, da0, dWf, dbf, ...
    problems = gradient_problems(student_grads, grads)

Each entry is (J(θ + ε) − J(θ − ε)) / 2ε with the gradient check's ε (1e-7, the course's choice), by its
one loop (``gradients/centered.py``, which the worker loads next to the student's code); the inputs are copied
before every evaluation, so a forward that writes into its arguments cannot spoil the next one.
For the deep network J is the student's compute_cost of the student's AL, so dW[l], db[l] are
exactly ∂J/∂W[l], ∂J/∂b[l] (the course's 1/m is in J). For the recurrent networks
J = Σ_t Σ a⟨t⟩ ∗ da⟨t⟩, the quantity whose gradients rnn_backward and lstm_backward return.

What the numbers can say (DESIGN.md, "Gradient checks"): each centered difference carries a rounding
error of about |J|·2⁻⁵²/ε ≈ 1e-9 for |J| ≈ 1. The verdict is the gradient check's (``band_of`` of the
course's difference ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂), ``course_difference``), with two settings of its own:
the bar ``threshold`` is 1e-5 (fifty times the course's 2e-7, which small correct gradients can miss
by rounding alone), and an error of at most ``atol`` (1e-6, a thousand times the rounding error) in
every entry counts as below the noise. So a tensor is reported only when it is "suspicious" or
"wrong": a real mistake is off by the size of the gradient itself. The cases keep every ReLU input
at least 0.05 from its kink, far beyond ε.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from shapecheck.validate.params import Problem
from shapecheck.diagnosis.worker import centered_differences
from shapecheck.diagnosis import hints
from shapecheck.diagnosis.cases import Case
from shapecheck.core.messages import msg
from shapecheck.gradients.gradcheck import EPS, PASSING, band_of, course_difference
from shapecheck.gradients.gradcheck import THRESHOLD as COURSE_THRESHOLD

THRESHOLD = 1e-5  # the bar for a student's own forward: fifty times the course's
ATOL = 1e-6  # an entry off by no more than this is rounding (about a thousand times its estimate)


def dnn_numeric_grads(L_model_forward: Callable, compute_cost: Callable, X, Y, parameters: Mapping, eps: float = EPS) -> dict[str, np.ndarray]:
    """{"dW1", "db1", ..., "dWL", "dbL"}: ∂J/∂θ of J = compute_cost(L_model_forward(X, θ)[0], Y)."""
    from shapecheck.diagnosis.assignments.dnn.course import numeric_objective

    return centered_differences(*numeric_objective(L_model_forward, compute_cost, X, Y, parameters), eps)


def rnn_numeric_grads(forward: Callable, x, a0, parameters: Mapping, da, eps: float = EPS) -> dict[str, np.ndarray]:
    """{"dx", "da0", and "dWax", "dWaa", "dba" (RNN) or "dWf", "dbf", ..., "dbo" (LSTM)} of J = Σ a ∗ da."""
    from shapecheck.diagnosis.assignments.rnn.course import numeric_objective

    return centered_differences(*numeric_objective(forward, x, a0, parameters, da), eps)


def difference(grad: np.ndarray, approx: np.ndarray) -> float:
    """The course's measure: ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) (0 when both are 0), the gradient check's."""
    return course_difference(np.ravel(grad), np.ravel(approx))[0]


def _infer(numeric_grads: Mapping[str, Any], student_grads: Mapping[str, Any]) -> tuple[str, int | None]:
    """The backward function these gradients belong to, and m (read off dA0, da0 or dx)."""
    keys = set(numeric_grads)
    function = "lstm_backward" if "dWf" in keys else "rnn_backward" if "dWax" in keys else "L_model_backward"
    for name in ("dA0", "da0", "dx"):
        shape = hints.shape_of(student_grads.get(name)) if isinstance(student_grads, Mapping) else None
        if shape and len(shape) >= 2:
            return function, shape[1]
    return function, None


def gradient_problems(student_grads: Mapping[str, Any], numeric_grads: Mapping[str, Any], *, function: str | None = None,
                      m: int | None = None, threshold: float = THRESHOLD, atol: float = ATOL) -> list[Problem]:
    """A "gradient" Problem for each tensor the student's backward gets wrong against the numeric one.

    Tensors the student does not return, or returns in another shape, are left to ``compare`` (which
    names keys and shapes). ``function`` and ``m`` (which let the hint recognise a missing 1/m) are read
    off the gradients when not given: the keys say which network, dA0 / da0 / dx say m.
    """
    problems = []
    inferred, inferred_m = _infer(numeric_grads, student_grads)
    function, m = function or inferred, m or inferred_m
    case = Case(function, (), "gradient check", {"m": m} if m else {})
    for name, approx in numeric_grads.items():
        grad = hints.as_array(student_grads.get(name)) if isinstance(student_grads, Mapping) else None
        approx = np.asarray(approx, dtype=np.float64)
        if grad is None or grad.shape != approx.shape:
            continue
        d = difference(grad, approx) if np.all(np.isfinite(grad)) else float("inf")
        error, index, yours, numeric = hints.error_at_worst(grad, approx)
        if band_of(d, error <= atol, threshold) in PASSING:  # the gradient check's verdict, at this bar and noise
            continue
        evidence = hints.Evidence(function, name, grad, approx, case)
        rule = hints.choose(evidence)
        if rule.mutant is not None or rule is hints.GENERIC_VALUES or rule.strength == "weak":
            hint_id, hint = "gradient_mismatch", msg("hints.gradient_mismatch", tensor=name)
        else:
            hint_id, hint = rule.id, msg(rule.message_id, **hints.fields(evidence))
        text = msg("hints.compare_gradient", tensor=name, difference=f"{d:.2e}", threshold=f"{COURSE_THRESHOLD:.0e}",
                   max_error=f"{error:.3g}", worst_index=list(index), yours=f"{yours:.6g}", numeric=f"{numeric:.6g}")
        problems.append(Problem("gradient", name, numeric, yours, text, hint, msg("hints.gradient_rule"), hint_id))
    return problems
