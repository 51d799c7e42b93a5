"""Assertion helpers for instructors and autograders: they fail with the explanation the diagnosis gives.

    from shapecheck.testing import assert_shapes, assert_gradients_close, assert_matches_reference

    assert_shapes(grads, "dense_grads", layer_dims=[5, 4, 1], m=3)        # keys and shapes
    assert_gradients_close(lambda p: cost(p), parameters, grads)         # centered differences, per tensor
    assert_matches_reference("linear_backward", student.linear_backward)  # values on the diagnosis cases

Each raises ``AssertionError`` whose text is one explanation: the course rule, expected vs actual,
and the fix (for gradients, the first wrong tensor and what its numbers look like, then one line
per tensor). A property-based test of a student's ``L_model_backward`` in a few lines::

    from hypothesis import given
    from shapecheck import strategies_course as scs
    from shapecheck.testing import assert_gradients_close, assert_shapes

    @given(scs.dense_cases())
    def test_L_model_backward(case):
        AL, caches = student.L_model_forward(case.X, case.parameters)
        grads = student.L_model_backward(AL, case.Y, caches)
        assert_shapes(grads, "dense_grads", layer_dims=case.layer_dims, m=case.m)
        J = lambda p: student.compute_cost(student.L_model_forward(case.X, p)[0], case.Y)
        assert_gradients_close(J, case.parameters, grads, m=case.m)
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from shapecheck.core.dims import show
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.tensors import DICT_LAYOUTS
from shapecheck.diagnosis.contract import NAMES, contract_of, owners
from shapecheck.validate.watch import Checker, Violation

__all__ = ["assert_shapes", "assert_gradients_close", "assert_matches_reference", "assert_mini_batches", "assert_clipped",
           "assert_sample", "OutsideDomainWarning"]


class OutsideDomainWarning(UserWarning):
    """A function differs from the reference only on a case outside the course's domain (a network with L = 1,
    no hidden layer): code right for the course's networks is right, so this warns and never fails."""


def _failure(violation: Violation) -> AssertionError:
    problem = violation.problem
    return AssertionError(msg("testing.failed", message=problem.message, fix=problem.hint))


def assert_shapes(actual: Any, expected: Any, /, *, name: str = "array", layer_dims: Sequence[int] | None = None,
                  **sizes: int) -> None:
    """Fail unless ``actual`` has the shapes ``expected`` describes, with the sentence the course's rules give.

    ``actual``: an array, or a dict of arrays. ``expected``: a shape such as ``(4, "m")`` (symbols
    unify: the same symbol is the same size everywhere), a dict of such shapes, a layout name
    (``"dense_params"``, ``"dense_grads"``, ``"rnn_params"``, ``"lstm_grads"``, ... with every key
    required), or a network spec (``sc.dense_net([...])``, ``sc.Sequential([...])``). ``sizes``
    binds symbols up front (``m=3``, ``n_a=5``); ``layer_dims`` binds n0 .. nL.

    >>> import numpy as np
    >>> assert_shapes({"W1": np.ones((4, 3)), "b1": np.ones((4, 1))}, "dense_params", layer_dims=[3, 4])
    >>> assert_shapes(np.ones(4), ("n", 1), name="db")
    Traceback (most recent call last):
    AssertionError: db is rank-1 (4,) but must be the column (4, 1): ... Fix: Sum with keepdims: ...
    """
    __tracebackhide__ = True  # noqa: F841 - pytest shows the test's line, not this helper's
    checker = Checker("assert_shapes", sizes=sizes)
    try:
        if layer_dims is not None:
            checker.layer_dims("layer_dims", layer_dims)
        if isinstance(expected, str):
            if expected not in DICT_LAYOUTS:
                raise ShapecheckError("testing.bad_expected", layouts=", ".join(DICT_LAYOUTS), type=repr(expected))
            if expected.endswith("_params"):
                checker.params(name if name != "array" else "parameters", actual, expected)
            else:
                checker.grads(name if name != "array" else "grads", actual, expected, output=True)
        elif isinstance(expected, Mapping):
            if not isinstance(actual, Mapping):
                raise ShapecheckError("testing.bad_actual", type=type(actual).__name__)
            text = ", ".join(map(str, expected))
            for key, shape in expected.items():
                if key not in actual:
                    raise checker.missing(name if name != "array" else "the dict", actual, key, text, tuple(shape), expected)
                checker.array(str(key), actual[key], tuple(shape))
        elif isinstance(expected, (tuple, list)):
            checker.array(name, actual, tuple(expected))
        else:
            _assert_spec(actual, expected)
    except Violation as violation:
        raise _failure(violation) from None


def _assert_spec(actual: Any, spec: Any) -> None:
    from shapecheck.validate.params import check_params
    from shapecheck.spec.networks import DenseNet, Sequential

    if not isinstance(spec, (DenseNet, Sequential)):
        raise ShapecheckError("testing.bad_expected", layouts=", ".join(DICT_LAYOUTS), type=type(spec).__name__)
    if not isinstance(actual, Mapping):
        raise ShapecheckError("testing.bad_actual", type=type(actual).__name__)
    for problem in check_params(spec, actual):
        raise AssertionError(msg("testing.failed", message=problem.message, fix=problem.hint))


def assert_gradients_close(f: Callable[[dict], float], params: Mapping[str, Any], grads: Mapping[str, Any],
                           **options: Any) -> Any:
    """Fail unless ``grads`` agree with centered differences of ``f`` (the course's check, per tensor).

    ``f(params) -> J``; ``grads`` uses the course's keys (``dW1`` for ``W1``; extra keys such as
    ``dA0`` are ignored). ``options`` go to ``sc.gradcheck`` (``m=`` lets the message say "missing
    1/m"; ``mode="sample"``, ``k=``, ``detect_kinks=True``, ``threshold=``). Returns the report.

    >>> import numpy as np
    >>> J = lambda p: float(np.sum(p["W"] ** 2))
    >>> assert_gradients_close(J, {"W": np.ones((2, 3))}, {"dW": 2 * np.ones((2, 3))}).passed
    True
    >>> assert_gradients_close(J, {"W": np.ones((2, 3))}, {"dW": -2 * np.ones((2, 3))})
    Traceback (most recent call last):
    AssertionError: dW is the first wrong gradient in backward order (wrong)...analytic = −numeric...
    """
    __tracebackhide__ = True  # noqa: F841 - pytest shows the test's line, not this helper's
    from shapecheck.gradients.gradcheck import gradcheck  # numpy, and another helper's module: only when used

    report = gradcheck(f, params, grads, **options)
    if not report.passed:
        lines = [_tensor_line(t) for t in report.tensors]
        raise AssertionError(msg("testing.gradients", conclusion=report.conclusion(), tensors="\n".join(lines)))
    return report


def _tensor_line(t: Any) -> str:
    if t.worst:
        w = t.worst[0]
        worst = msg("testing.tensor_worst", index=w.index, analytic=w.analytic, numeric=w.numeric)
    else:
        worst = msg("testing.tensor_no_values")
    difference = f"{t.difference:.2e}" if t.difference == t.difference else "-"
    return msg("testing.tensor", name=t.name, shape=show(t.grad_shape or t.shape), difference=difference,
               band=msg(f"gradcheck.band_{t.band}"), worst=worst)


def assert_matches_reference(function_name: str, student_function: Callable, *, seed: int = 0,
                             strict: bool = False, kind: str | None = None, args: tuple | None = None) -> None:
    """Fail unless ``student_function`` gives the reference's results on every diagnosis case of ``function_name``.

    The cases are the ones ``shapecheck diagnose`` uses (seeded; non-square layers, m = 1 and m > 1,
    n_a ≠ n_x); functions that take caches get the reference forward's caches in the course's
    format. The first case that differs fails, with the diagnosis's explanation and hint. The
    older notebook's ``L_model_backward`` keys (dA[l-1] under ``dA{l}``) pass unless ``strict``.
    ``kind`` names the assignment where several grade a function of that name (``compute_cost``,
    ``predict``, ... : ``shapecheck diagnose --list`` shows who has which). ``args``: compare on these
    arguments instead (one call; with hypothesis, the ones it draws, e.g. from ``strategies_course``);
    the hints then read their sizes (m) from the arrays. A case outside the course's domain (a network
    with L = 1, from the cases or from ``args``) that differs warns (``OutsideDomainWarning``), never fails:
    ``l + 1`` after the loop is right for the course's networks.

    >>> from shapecheck.diagnosis import reference
    >>> assert_matches_reference("linear_backward", reference.linear_backward)
    """
    __tracebackhide__ = True  # noqa: F841 - pytest shows the test's line, not this helper's
    kinds = owners(function_name)
    if not kinds:
        raise ShapecheckError("testing.not_contract", name=function_name, known=", ".join(NAMES))
    if kind is not None and kind not in kinds:
        raise ShapecheckError("testing.not_in_kind", name=function_name, kind=kind, kinds=", ".join(kinds))
    if kind is None and len(kinds) > 1:  # compute_cost, predict, ...: each assignment's has its own signature
        raise ShapecheckError("testing.ambiguous", name=function_name, kinds=", ".join(kinds), first=kinds[0])
    kind = kind or kinds[0]
    if not callable(student_function):
        raise ShapecheckError("testing.not_callable", type=type(student_function).__name__)
    try:
        from shapecheck.diagnosis import compare  # noqa: F401 - present, or say what is missing
    except ImportError:  # pragma: no cover - an installation without the diagnosis
        raise ShapecheckError("testing.no_compare") from None
    from shapecheck.diagnosis import cases as case_lib
    from shapecheck.diagnosis.assignments import by_function

    assignment = by_function(function_name, kind)
    contract, accepted = assignment.contract(function_name), _positional_count(student_function)
    cases = case_lib.cases_for(function_name, seed, kind) if args is None else [_case_of(function_name, kind, tuple(args))]
    for case in sorted(cases, key=lambda c: c.outside is not None):  # the course's own domain first, as diagnose does
        try:
            _assert_case(function_name, student_function, case, assignment, contract, accepted, strict)
        except AssertionError as failure:
            if case.outside is None:
                raise
            import warnings

            warnings.warn(msg("testing.outside", function=function_name, case=case.label, why=msg(case.outside), finding=failure),
                          OutsideDomainWarning, stacklevel=2)


def _assert_case(function_name: str, student_function: Callable, case: Any, assignment: Any, contract: Any,
                 accepted: int | None, strict: bool) -> None:
    """Fail unless the student's function gives the reference's result on this one case."""
    __tracebackhide__ = True  # noqa: F841
    from shapecheck.diagnosis import cases as case_lib
    from shapecheck.diagnosis import compare
    from shapecheck.diagnosis.plugin import fit_arguments, given

    expected = case_lib.reference_result(case)
    # a case with stand-ins (gradient_check handed a wrong backward_propagation): the student's function gets them too
    function = given(student_function, assignment.stand_ins(case))
    try:
        if case.global_seed is not None:  # as the notebook's test cell seeds before the call
            import numpy as np

            np.random.seed(case.global_seed)
        call_args = fit_arguments(contract, case.fresh_args(), accepted)
        value = function(*call_args)
    except Exception as error:
        raise AssertionError(msg("testing.reference_raised", function=function_name, type=type(error).__name__,
                                 label=case.label, message=error)) from error
    if function_name == "L_model_backward" and not strict:
        value = _today_keys(value, case.sizes.get("L"))
    problems = list(compare.compare(function_name, case, value, expected))
    updated = contract.notes.get("updates")  # the argument the notebook's function updates in place (Dinosaurus' optimize)
    if updated:
        position, reference_args = list(contract.inputs).index(updated), case.fresh_args()
        given(assignment.reference[function_name], assignment.stand_ins(case))(*reference_args)
        problems += compare.compare_updated(function_name, case, updated, call_args[position], reference_args[position])
    editions = assignment.editions.get(function_name, {}).values()  # an older notebook's answer is right too
    if problems and any(not compare.compare(function_name, case, value, other(*case.fresh_args())) for other in editions):
        return
    if problems:
        first = problems[0]
        text = msg("testing.reference", function=function_name, message=first.message,
                   fix=msg("diagnose.fix_first", name=function_name, hint=first.hint))
        if len(problems) > 1:
            text = msg("testing.reference_more", text=text, count=len(problems) - 1)
        raise AssertionError(text)


def _positional_count(function: Callable) -> int | None:
    """How many positional arguments ``function`` takes (None: any number, or it cannot be read)."""
    import inspect

    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


def _today_keys(value: Any, L: int | None) -> Any:
    """The older notebook's grads (dA[l-1] under "dA{l}") with today's keys; anything else as it is."""
    if not isinstance(value, Mapping) or not L or "dA0" in value or f"dA{L}" not in value:
        return value
    return {(f"dA{int(k[2:]) - 1}" if isinstance(k, str) and k.startswith("dA") and k[2:].isdigit() else k): v
            for k, v in value.items()}


def _case_of(function_name: str, kind: str, args: tuple) -> Any:
    """A diagnosis case of the given arguments: its sizes (m, n_x, ...) read from the arrays where the contract
    names them, so the hints can say "m times"."""
    from shapecheck.diagnosis.plugin import Case

    contract = contract_of(function_name, kind)
    sizes: dict[str, int] = {}
    for shape, value in zip(contract.inputs.values(), args):
        actual = getattr(value, "shape", None)
        if isinstance(shape, tuple) and actual is not None and len(actual) == len(shape):
            sizes.update({d: int(n) for d, n in zip(shape, actual) if isinstance(d, str) and d.isidentifier()})
    label = ", ".join(f"{k}={v}" for k, v in sizes.items()) or msg("testing.given_arguments")
    return Case(function_name, args, label, sizes, kind=kind, outside=_outside_of(kind, args))


def _outside_of(kind: str, args: tuple) -> str | None:
    """The message id saying why given arguments lie outside the course's domain, or None: a deep network
    (dnn, dnn_app) with one layer only, L = 1, read off a parameters dict (W1 and no W2) or a list of one cache."""
    if kind not in ("dnn", "dnn_app"):
        return None
    for value in args:
        if isinstance(value, Mapping) and "W1" in value and "W2" not in value:
            return "diagnose.outside_one_layer"
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], tuple):  # caches of L_model_forward
            return "diagnose.outside_one_layer"
    return None


def assert_mini_batches(mini_batches: Any, X: Any, Y: Any, mini_batch_size: int) -> None:
    """Fail unless ``mini_batches`` cut (X, Y) the course's way, whatever the shuffle: every example in exactly one
    mini-batch, each mini_batch_Y holding the labels of its mini_batch_X's columns, ⌊m / size⌋ full batches
    of ``mini_batch_size`` and one with the rest when m % size ≠ 0.

    >>> import numpy as np
    >>> X, Y = np.arange(10.).reshape(2, 5), np.arange(5.).reshape(1, 5)
    >>> assert_mini_batches([(X[:, [3, 1]], Y[:, [3, 1]]), (X[:, [0, 4]], Y[:, [0, 4]]), (X[:, [2]], Y[:, [2]])], X, Y, 2)
    >>> assert_mini_batches([(X[:, :2], Y[:, :2]), (X[:, 2:4], Y[:, 2:4])], X, Y, 2)
    Traceback (most recent call last):
    AssertionError: The mini-batches hold 4 of the m = 5 examples: ...
    """
    __tracebackhide__ = True  # noqa: F841 - pytest shows the test's line, not this helper's
    import numpy as np

    X, Y = np.asarray(X), np.asarray(Y)
    m = X.shape[1]
    if not isinstance(mini_batches, (list, tuple)) or not all(isinstance(b, (list, tuple)) and len(b) == 2 for b in mini_batches):
        raise AssertionError(msg("testing.batches_not_pairs", type=type(mini_batches).__name__))
    sizes = [np.shape(bx)[1] if np.ndim(bx) == 2 else -1 for bx, _ in mini_batches]
    expected = [mini_batch_size] * (m // mini_batch_size) + ([m % mini_batch_size] if m % mini_batch_size else [])
    total = sum(max(size, 0) for size in sizes)
    if total != m:
        raise AssertionError(msg("testing.batches_total", total=total, m=m, sizes=sizes, expected=expected))
    if sizes != expected:
        raise AssertionError(msg("testing.batches_sizes", sizes=sizes, expected=expected, size=mini_batch_size))
    columns = {X[:, j].tobytes(): j for j in range(m)}
    seen: list[int] = []
    for k, (batch_x, batch_y) in enumerate(mini_batches):
        batch_x, batch_y = np.asarray(batch_x), np.asarray(batch_y)
        if batch_y.shape != (Y.shape[0], batch_x.shape[1]):
            raise AssertionError(msg("testing.batches_y_shape", k=k, actual=show(batch_y.shape),
                                     expected=show((Y.shape[0], batch_x.shape[1]))))
        for i in range(batch_x.shape[1]):
            j = columns.get(np.ascontiguousarray(batch_x[:, i]).tobytes())
            if j is None:
                raise AssertionError(msg("testing.batches_foreign", k=k, i=i))
            if not np.array_equal(batch_y[:, i], Y[:, j]):
                raise AssertionError(msg("testing.batches_unpaired", k=k, i=i, j=j))
            seen.append(j)
    repeated = sorted({j for j in seen if seen.count(j) > 1})
    if repeated:
        raise AssertionError(msg("testing.batches_repeated", repeated=repeated[:5], missing=sorted(set(range(m)) - set(seen))[:5]))


CLIPPED_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")  # what Dinosaurus' clip returns


def assert_clipped(clipped: Any, gradients: Mapping[str, Any], maxValue: float) -> None:  # noqa: N803 - the notebook's name
    """Fail unless ``clipped`` is Dinosaurus' ``clip(gradients, maxValue)``: the five gradients dWaa, dWax, dWya, db
    and dby, each of its gradient's shape, every entry beyond ±maxValue brought to the bound and every other
    entry unchanged. Pass a copy of the gradients the function was given (the older edition clips in place).

    >>> import numpy as np
    >>> g = {k: np.array([[-7.0, 0.5, 9.0]]) for k in CLIPPED_KEYS}
    >>> assert_clipped({k: np.clip(v, -5, 5) for k, v in g.items()}, g, 5)
    >>> assert_clipped({k: np.clip(v, -5, 5) for k, v in g.items()}, g, 2)
    Traceback (most recent call last):
    AssertionError: clip: dWaa[0, 0] is -5, beyond ±maxValue = 2: ...
    """
    __tracebackhide__ = True  # noqa: F841
    import numpy as np

    if not isinstance(clipped, Mapping):
        raise AssertionError(msg("testing.clip_not_dict", type=type(clipped).__name__))
    missing = [key for key in CLIPPED_KEYS if key not in clipped]
    if missing:
        raise AssertionError(msg("testing.clip_keys", missing=", ".join(missing), keys=", ".join(CLIPPED_KEYS)))
    for key in CLIPPED_KEYS:
        given, value = np.asarray(gradients[key], dtype=float), np.asarray(clipped[key], dtype=float)
        if value.shape != given.shape:
            raise AssertionError(msg("testing.clip_shape", key=key, actual=show(value.shape), expected=show(given.shape)))
        beyond = np.abs(value) > maxValue * (1 + 1e-12)
        if beyond.any():
            index = tuple(int(i) for i in np.argwhere(beyond)[0])
            raise AssertionError(msg("testing.clip_beyond", key=key, index=", ".join(map(str, index)),
                                     value=f"{value[index]:.6g}", bound=maxValue))
        wrong = ~np.isclose(value, np.clip(given, -maxValue, maxValue), rtol=1e-12, atol=0)
        if wrong.any():
            index = tuple(int(i) for i in np.argwhere(wrong)[0])
            raise AssertionError(msg("testing.clip_changed", key=key, index=", ".join(map(str, index)), value=f"{value[index]:.6g}",
                                     given=f"{given[index]:.6g}", right=f"{np.clip(given[index], -maxValue, maxValue):.6g}",
                                     bound=maxValue))


def assert_sample(indices: Any, char_to_ix: Mapping[str, int], max_length: int = 50) -> None:
    """Fail unless ``indices`` is a name Dinosaurus' ``sample`` can give, whatever the seed: a list of character
    indices of the vocabulary, ending with the newline's and holding it nowhere else, at most ``max_length``
    characters before it (the notebook's cap, after which it appends the newline, even after a drawn one).

    >>> chars = {ch: i for i, ch in enumerate("\\nabc")}
    >>> assert_sample([1, 3, 0], chars)
    >>> assert_sample([1, 0, 3, 0], chars)
    Traceback (most recent call last):
    AssertionError: sample: the newline (index 0) is at position 1, before the end: ...
    """
    __tracebackhide__ = True  # noqa: F841
    import numbers

    newline, vocab = char_to_ix["\n"], len(char_to_ix)
    if not isinstance(indices, (list, tuple)) or not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in indices):
        raise AssertionError(msg("testing.sample_not_indices", type=type(indices).__name__))
    outside = [i for i in indices if not 0 <= i < vocab]
    if outside:
        raise AssertionError(msg("testing.sample_outside", index=outside[0], vocab=vocab))
    if not indices or indices[-1] != newline:
        raise AssertionError(msg("testing.sample_no_newline", newline=newline, length=len(indices)))
    # the notebook appends "\n" after 50 characters even when the 50th drawn was "\n": it may end with two then
    body = indices[:-2] if len(indices) == max_length + 1 and indices[-2] == newline else indices[:-1]
    if newline in body:
        raise AssertionError(msg("testing.sample_newline_inside", newline=newline, position=list(indices).index(newline)))
    if len(indices) > max_length + 1:
        raise AssertionError(msg("testing.sample_too_long", length=len(indices) - 1, cap=max_length))
