"""gradcheck_network: the fast exact check equals the naive loop, passes right gradients, catches every classic mistake."""

import numpy as np
import pytest
from hypothesis import assume, example, given, note, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck import strategies as sst
from shapecheck.gradients import fastcheck
from shapecheck.gradients import kinks as kink_tests
from shapecheck.engine.dense import BackwardSteps
from shapecheck.gradients.bugs import BUG_NAMES, BUGS, backward_with, get_bug
from shapecheck.gradients.gradcheck import NOISE_MARGIN, backward_order, rounding_noise
from shapecheck.engine import losses
from shapecheck.engine.activations import KINKS
from shapecheck.core.errors import ShapecheckError

EPS = 1e-7


@st.composite
def networks(draw, max_layers=4, max_units=6, max_m=8, min_m=1, kinky=None):
    """(spec, params, X, Y): random sizes and activations; weights at the course's ×0.01, ~0.5 or ~1.

    ``kinky`` networks have inputs in {−1, 0, 1} and zero biases, so ReLU inputs sit at or near 0
    and perturbations cross kinks; shrinks towards [1, 1] with one example.
    """
    spec = draw(sst.dense_specs(max_layers=max_layers, max_units=max_units))
    X, Y = draw(sst.examples_for(spec, min_m=min_m, max_m=max_m))
    seed = draw(sst.seeds())
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([0.01, 0.5, 1.0]))
    params = {}
    for l in range(1, spec.L + 1):  # noqa: E741
        params[f"W{l}"] = rng.standard_normal((spec.n(l), spec.n(l - 1))) * scale
        params[f"b{l}"] = rng.standard_normal((spec.n(l), 1)) * scale
    if kinky if kinky is not None else draw(st.booleans()):
        X = rng.integers(-1, 2, X.shape).astype(np.float64)
        params = {n: (np.zeros_like(v) if n[0] == "b" else np.round(v * 4) / 4) for n, v in params.items()}
    return spec, params, X, Y


def engine_cost(spec, params, X, Y):
    """J the way the engine trains: from Z[L] for the natural pairs, from A[L] otherwise."""
    loss = losses.resolve_loss(None, spec.activations[-1])
    AL, caches = sc.forward(spec, params, X)
    natural = (spec.activations[-1], loss) in losses.NATURAL_PAIRS and loss != losses.MSE
    return sc.compute_cost(AL, Y, loss=loss, ZL=caches[-1][1] if natural else None), caches


def engine_ties(spec, params, X):
    """The rounding of each Z[l] of the engine's forward pass at θ (kinks.ties on its caches)."""
    AL, caches = sc.forward(spec, params, X)
    W = [None] + [params[f"W{l}"] for l in range(1, spec.L + 1)]  # noqa: E741
    b = [None] + [params[f"b{l}"] for l in range(1, spec.L + 1)]  # noqa: E741
    return kink_tests.ties(W, b, [cache[0][0] for cache in caches] + [AL])


def naive(spec, params, X, Y, name):
    """The naive loop: two whole forward passes of the engine per coordinate; and which crossed a ReLU kink."""
    value = params[name]
    _, caches0 = engine_cost(spec, params, X, Y)
    tie = engine_ties(spec, params, X)
    numeric, kinked = np.empty(value.size), np.zeros(value.size, dtype=bool)
    for i in range(value.size):
        moved = {n: v.copy() for n, v in params.items()}
        J = []
        for sign in (1, -1):
            moved[name].flat[i] = value.flat[i] + sign * EPS
            Jd, caches = engine_cost(spec, moved, X, Y)
            J.append(Jd)
            for l, g in enumerate(spec.activations):  # noqa: E741
                if KINKS[g]:
                    kinked[i] |= bool(np.any(kink_tests.crossed(caches[l][1], caches0[l][1], tie[l + 1])))
        numeric[i] = (J[0] - J[1]) / (2 * EPS)
    return numeric, kinked


def engine_grads(spec, params, X, Y, bug=None):
    AL, caches = sc.forward(spec, params, X)
    return backward_with(bug)(spec, AL, Y, caches)


# --- the fast check is the naive loop, faster ----------------------------------------------------------


def tie_at_zero_network():
    """A ReLU input that is exactly 0 at θ and that steps of W1[4, 0] or W1[4, 4] do not move: Z3[1, c]
    for c = 1, 4 gets ¼·¼·δ through unit 0 of layer 2 and −¼·¼·δ through unit 2. The engine's whole
    pass rounds it to ±1.4e-17, the fast check's linear path keeps it at 0: a tie, not a kink."""
    spec = sc.dense_net([5, 6, 3, 2, 2], activations=["linear", "relu", "relu", "sigmoid"])
    q = lambda rows: np.array(rows) / 4  # noqa: E731
    params = {"W1": q([[0, 1, 4, -3, 2], [-4, 2, 1, 0, 2], [0, 0, 2, 0, 1], [3, -2, 0, 1, 3], [1, -3, 2, 1, -1],
                       [-1, 1, -3, 1, 0]]),
              "W2": q([[-1, 3, -1, 0, 1, -1], [3, 3, 5, -1, 1, -2], [-2, 0, 1, 0, 1, 1]]),
              "W3": q([[-1, 1, 0], [-1, 2, 1]]), "W4": q([[2, 0], [-1, 3]])}
    params.update({f"b{l}": np.zeros((n, 1)) for l, n in zip(range(1, 5), (6, 3, 2, 2))})  # noqa: E741
    X = np.array([[0, -1, 0, -1, -1, -1], [1, 0, 1, 0, 1, 1], [-1, -1, 0, 0, -1, 0], [1, -1, 0, -1, 0, -1],
                  [0, -1, 1, 0, -1, -1]], dtype=np.float64)
    Y = np.array([[1, 1, 1, 0, 1, 0], [1, 1, 1, 1, 0, 0]], dtype=np.float64)
    return spec, params, X, Y


@settings(max_examples=100, deadline=None)
@given(networks(), st.integers(1, 9) | st.none())
@example(tie_at_zero_network(), None)  # found by hypothesis: kink sets differed where a ReLU input is a tie at 0
def test_fast_centered_differences_equal_the_naive_loop_within_its_rounding(network, batch):
    spec, params, X, Y = network
    loss = losses.resolve_loss(None, spec.activations[-1])
    net = fastcheck.build(spec, params, X, Y, loss)
    J0, _ = engine_cost(spec, params, X, Y)
    assert net.J0 == pytest.approx(J0, rel=1e-13, abs=1e-300)
    for name in params:
        fast, fast_kinks = fastcheck.numeric_tensor(net, name, np.arange(params[name].size), EPS, batch, lambda n: None)
        slow, slow_kinks = naive(spec, params, X, Y, name)
        bar = NOISE_MARGIN * rounding_noise(fastcheck.rounding_scale(net), EPS, params[name].ravel(), slow) + 1e-300
        note(f"{name}: fast {fast}, naive {slow}")
        assert np.all(np.abs(fast - slow) <= bar)
        assert np.array_equal(fast_kinks, slow_kinks)


def test_a_tie_at_zero_that_a_step_does_not_move_is_checked_and_one_it_moves_is_a_kink():
    spec, params, X, Y = tie_at_zero_network()
    _, caches0 = engine_cost(spec, params, X, Y)
    tie = engine_ties(spec, params, X)
    Z3 = caches0[2][1]
    assert Z3[1, 1] == 0 and Z3[1, 4] == 0
    for sign in (1, -1):  # the engine's whole pass does put Z3[1, 4] on a side, by rounding alone
        moved = {n: v.copy() for n, v in params.items()}
        moved["W1"][4, 4] += sign * EPS
        Z3_moved = engine_cost(spec, moved, X, Y)[1][2][1]
        assert 0 < abs(Z3_moved[1, 4]) <= tie[3][1, 4]
        flips = kink_tests.active(Z3_moved) != kink_tests.active(Z3)
        assert flips[1, 4] == (sign == 1)  # Z > 0 alone would call the + step a kink
        assert not kink_tests.crossed(Z3_moved, Z3, tie[3]).any()
        moved["W1"][4, 4], moved["b3"][1, 0] = params["W1"][4, 4], sign * EPS  # a step that does move it
        moved_on = kink_tests.crossed(engine_cost(spec, moved, X, Y)[1][2][1], Z3, tie[3])[1, [1, 4]]
        assert list(moved_on) == [sign == 1] * 2  # the + step wakes the unit up: a kink
    net = fastcheck.build(spec, params, X, Y, losses.resolve_loss(None, "sigmoid"))
    grads = engine_grads(spec, params, X, Y)
    for name, flat, kink in (("W1", [20, 24], False), ("b3", [1], True)):
        fast, fast_kinks = fastcheck.numeric_tensor(net, name, np.array(flat), EPS, None, lambda n: None)
        slow, slow_kinks = naive(spec, params, X, Y, name)
        assert list(fast_kinks) == list(slow_kinks[flat]) == [kink] * len(flat)
        if not kink:  # evidence, not a kink: the differences are the gradient, within rounding
            bar = NOISE_MARGIN * rounding_noise(fastcheck.rounding_scale(net), EPS, params[name].ravel()[flat], fast)
            assert np.all(np.abs(fast - grads["d" + name].ravel()[flat]) <= bar)
    report = sc.gradcheck_network(spec, params, X, Y)
    W1_kinks = naive(spec, params, X, Y, "W1")[1]
    assert not W1_kinks[[20, 24]].any() and W1_kinks.sum() == 20
    assert report.passed and next(t for t in report.tensors if t.param == "W1").kinks == 20


def test_fast_equals_naive_on_a_wide_layer_of_the_course_network():
    # wide rows take the broadcast path, and ReLU rows skip the columns where the unit cannot move
    rng = np.random.default_rng(0)
    spec = sc.dense_net([200, 6, 5, 1])
    params = sc.init_params(spec, seed=1)  # the course's ×0.01
    X, Y = rng.random((200, 40)), (rng.random((1, 40)) > 0.5) * 1.0
    net = fastcheck.build(spec, params, X, Y, losses.BCE)
    flat = rng.choice(1200, 60, replace=False)
    fast, _ = fastcheck.numeric_tensor(net, "W1", np.sort(flat), EPS, None, lambda n: None)
    slow, _ = naive(spec, params, X, Y, "W1")
    bar = NOISE_MARGIN * rounding_noise(fastcheck.rounding_scale(net), EPS, params["W1"].ravel()[np.sort(flat)], fast)
    assert np.all(np.abs(fast - slow[np.sort(flat)]) <= bar)
    report = sc.gradcheck_network(spec, params, X, Y)
    assert report.passed and report.method == "fast_exact" and report.evaluations == 2 * 1247


def test_the_batch_size_bounds_memory_and_changes_nothing_but_rounding():
    rng = np.random.default_rng(2)
    spec = sc.dense_net([7, 5, 4, 3], activations=["relu", "tanh", "softmax"])
    params = sc.init_params(spec, seed=3, method="he")
    X, Y = rng.standard_normal((7, 9)), np.eye(3)[:, rng.integers(0, 3, 9)]
    net = fastcheck.build(spec, params, X, Y, losses.CCE)
    for name in params:
        flat = np.arange(params[name].size)
        runs = [fastcheck.numeric_tensor(net, name, flat, EPS, b, lambda n: None) for b in (1, 2, 7, None)]
        bar = rounding_noise(fastcheck.rounding_scale(net), EPS, params[name].ravel(), runs[0][0])
        assert all(np.all(np.abs(r[0] - runs[0][0]) <= bar) and np.array_equal(r[1], runs[0][1]) for r in runs)
    bands = [[t.band for t in sc.gradcheck_network(spec, params, X, Y, batch=b).tensors] for b in (1, 5, None)]
    assert bands[0] == bands[1] == bands[2]


# --- acceptance: right gradients pass, in every mode, kinks included ------------------------------------


@settings(max_examples=300, deadline=None)
@given(networks(), st.sampled_from(["full", "sample", "directional"]), st.integers(0, 99))
def test_the_engines_right_gradients_pass_in_every_mode(network, mode, seed):
    spec, params, X, Y = network
    report = sc.gradcheck_network(spec, params, X, Y, mode=mode, seed=seed)
    note(report.to_text(120))
    assert report.passed, report.conclusion()


def test_kinks_are_found_counted_and_kept_out_of_the_verdict():
    spec = sc.dense_net([3, 4, 4, 1])
    X = np.array([[1.0, 0.0, -1.0, 1.0], [0.0, 1.0, 1.0, -1.0], [1.0, 1.0, 0.0, 0.0]])
    params = {"W1": np.array([[1.0, -1.0, 0.0], [0.5, 0.5, -1.0], [1.0, 1.0, 1.0], [0.0, 0.25, -0.5]]),
              "b1": np.zeros((4, 1)), "W2": np.full((4, 4), 0.5) - np.eye(4), "b2": np.zeros((4, 1)),
              "W3": np.array([[1.0, -1.0, 0.5, 2.0]]), "b3": np.zeros((1, 1))}
    Y = np.array([[1.0, 0.0, 1.0, 0.0]])
    report = sc.gradcheck_network(spec, params, X, Y)
    assert report.kinks > 0 and report.passed
    assert "kink" in report.conclusion() and report.to_json()["kinks"] == report.kinks
    # meta: the kinks really are disagreements; compared anyway they would fail the check
    slow, slow_kinks = naive(spec, params, X, Y, "W1")
    grads = engine_grads(spec, params, X, Y)
    assert np.max(np.abs(slow - grads["dW1"].ravel())[slow_kinks]) > 1e3 * rounding_noise(report.cost, EPS)


def test_directional_keeps_its_directions_on_the_courses_dead_examples():
    # b = 0 and an all-zero example: Z1[:, 0] = 0 and Z2[:, 0] = 0 exactly, so any step of b1 or b2
    # crosses a kink. Those 7 parameters are left out of the directions, which stay usable.
    spec = sc.dense_net([3, 4, 3, 1])
    params = sc.init_params(spec, seed=2, method="he")
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 6))
    X[:, 0] = 0.0
    Y = (rng.random((1, 6)) > 0.5) * 1.0
    full = sc.gradcheck_network(spec, params, X, Y)
    assert {t.name: t.band for t in full.tensors}["db1"] == "all_kinks"  # the evidence: every step of b1 crosses
    assert {t.name: t.band for t in full.tensors}["db2"] == "all_kinks"
    report = sc.gradcheck_network(spec, params, X, Y, mode="directional", k=10)
    assert report.passed and report.tensors[0].checked == 10
    assert report.extra["left_out"] == 7 and "7 parameters left out" in report.coverage()
    assert not sc.gradcheck_network(spec, params, X, Y, mode="directional", k=10, bug="wrong_sign_dAL").passed


# --- acceptance: each injected mistake fails and the report names the tensor it touches --------------------


def _changes(spec, params, X, Y, bug):
    """The gradients the bug changes on this network, in backward order, and those it changes decisively."""
    right, wrong = engine_grads(spec, params, X, Y), engine_grads(spec, params, X, Y, bug)
    scale = fastcheck.rounding_scale(fastcheck.build(spec, params, X, Y, losses.resolve_loss(None, spec.activations[-1])))
    changed, decisive = [], []
    for p in backward_order(list(params)):
        a, b = right["d" + p], wrong["d" + p]
        if np.shape(a) != np.shape(b):
            changed.append("d" + p)
            decisive.append("d" + p)
            continue
        delta = np.abs(a - b)
        if delta.max() > 0:
            changed.append("d" + p)
        noise = NOISE_MARGIN * rounding_noise(scale, EPS, params[p], a)
        if np.any(delta > 100 * noise) and np.linalg.norm(a - b) > 1e-2 * (np.linalg.norm(a) + np.linalg.norm(b)):
            decisive.append("d" + p)
    return changed, decisive


@settings(max_examples=300, deadline=None)
@given(networks(min_m=2, kinky=False), st.sampled_from([b.name for b in BUGS]), st.integers(0, 99))
def test_each_injected_mistake_fails_and_the_report_names_a_tensor_it_touches(network, bug, seed):
    spec, params, X, Y = network
    changed, decisive = _changes(spec, params, X, Y, bug)
    assert set(changed) <= set(get_bug(bug).touches(spec, X.shape[1]))  # the documentation is honest
    assume(decisive)  # a mistake that changes nothing visible on this network (a 1×1 transpose) cannot be seen
    for mode in ("full", "sample"):
        report = sc.gradcheck_network(spec, params, X, Y, bug=bug, mode=mode, seed=seed, k=40)
        note(report.to_text(120))
        assert not report.passed
        assert report.first_failure.name in changed
        assert all(t.passed for t in report.tensors if t.name not in changed)  # nothing else is blamed
    full = sc.gradcheck_network(spec, params, X, Y, bug=bug)
    assert changed.index(full.first_failure.name) <= changed.index(decisive[0])
    assert full.first_failure.name in full.conclusion()


@settings(max_examples=200, deadline=None)
@given(networks(min_m=2, kinky=False), st.sampled_from([b.name for b in BUGS]), st.integers(0, 99))
def test_directional_with_10_directions_detects_every_injected_mistake(network, bug, seed):
    spec, params, X, Y = network
    _, decisive = _changes(spec, params, X, Y, bug)
    assume(decisive)
    report = sc.gradcheck_network(spec, params, X, Y, bug=bug, mode="directional", k=10, seed=seed)
    note(report.to_text(120))
    assert not report.passed


def test_directional_names_the_tensor_once_the_whole_fails():
    rng = np.random.default_rng(4)
    spec = sc.dense_net([4, 5, 3, 1], activations=["tanh", "relu", "sigmoid"])
    params = sc.init_params(spec, seed=5, method="he")
    X, Y = rng.standard_normal((4, 6)), (rng.random((1, 6)) > 0.5) * 1.0
    report = sc.gradcheck_network(spec, params, X, Y, bug="wrong_activation_derivative", mode="directional")
    assert report.tensors[0].name == "theta" and not report.tensors[0].passed
    assert report.first_failure.name == "dW2"  # layer 2 (relu) took sigmoid's derivative
    assert report.evaluations == 1 + 2 * 10 * (1 + 6)


def test_every_mistake_is_documented_in_one_line_with_the_tensors_it_touches():
    for bug in BUGS:
        assert bug.describe() and "\n" not in bug.describe() and bug.where()
    spec = sc.dense_net([3, 3, 2, 1])
    assert get_bug("missing_1_over_m").touches(spec, 1) == []  # with m = 1 there is no 1/m to miss
    assert get_bug("wrong_activation_derivative").touches(spec, 5) == ["dW2", "db2", "dW1", "db1"]
    assert get_bug("transposed_dW").touches(sc.dense_net([1, 1, 2]), 3) == ["dW2"]  # a 1×1 dW1 is its own transpose
    with pytest.raises(ShapecheckError, match="--list-bugs"):
        get_bug("forgot_everything")


@settings(max_examples=60, deadline=None)
@given(networks())
def test_backward_without_a_mistake_is_the_engine_exactly(network):
    spec, params, X, Y = network
    AL, caches = sc.forward(spec, params, X)
    ours, engine = backward_with(None)(spec, AL, Y, caches), sc.backward(spec, AL, Y, caches)
    assert sorted(ours) == sorted(engine) and all(np.array_equal(ours[k], engine[k]) for k in engine)


STEPS = ("output_dZ", "hidden_dZ", "dW", "db")  # the named steps of the engine's backward


def test_a_mistake_is_one_wrong_step_of_the_engines_backward_not_a_copy_of_it():
    """Each mistake overrides only named steps of the engine's BackwardSteps; every other line it runs is the engine's."""
    for bug in BUGS:
        assert isinstance(bug.steps, BackwardSteps)
        own = set(vars(type(bug.steps))) - {"__module__", "__doc__", "__qualname__", "__firstlineno__", "__static_attributes__"}
        assert own and own <= set(STEPS), (bug.name, own)


@settings(max_examples=40, deadline=None)
@given(networks(), st.sampled_from(BUG_NAMES))
def test_a_mistake_changes_only_the_gradients_its_step_makes(network, bug):
    """Gradients the mistake does not touch come out of the engine's own steps, bit for bit."""
    spec, params, X, Y = network
    AL, caches = sc.forward(spec, params, X)
    right, wrong = backward_with(None)(spec, AL, Y, caches), backward_with(bug)(spec, AL, Y, caches)
    touched = set(get_bug(bug).touches(spec, X.shape[1]))
    if bug in ("wrong_sign_dAL", "dAL_is_dZL", "wrong_activation_derivative"):  # dZ flows on into every dA below
        touched |= {k for k in right if k.startswith("dA")}
    for name in set(right) - touched:
        assert np.array_equal(right[name], wrong[name]), (bug, name)


# --- conclusions from evidence --------------------------------------------------------------------------


def _course_case(bug, dims=(5, 4, 3, 1), m=10):
    rng = np.random.default_rng(6)
    spec = sc.dense_net(list(dims))
    params = sc.init_params(spec, seed=7, method="he")
    X, Y = rng.standard_normal((dims[0], m)), (rng.random((1, m)) > 0.5) * 1.0
    return sc.gradcheck_network(spec, params, X, Y, bug=bug)


@pytest.mark.parametrize("bug, first, kind, words", [
    ("missing_1_over_m", "dW3", "missing_1_over_m", ["= 10 × numeric", "1/m is missing"]),
    ("wrong_sign_dAL", "dW3", "opposite_sign", ["−numeric", "dA[L]"]),
    ("transposed_dW", "dW3", "transposed", ["transposed"]),
    ("db_no_keepdims", "db3", "rank1", ["rank-1", "keepdims"]),
    ("db_wrong_axis", "db3", "shape", ["(1, 10)", "axis"]),
    ("dW_uses_A", "dW3", "shape", ["A[l-1]"]),
    ("wrong_activation_derivative", "dW2", None, ["layer 2"]),
])
def test_the_conclusion_names_the_first_wrong_tensor_and_what_the_pattern_usually_means(bug, first, kind, words):
    report = _course_case(bug)
    assert report.first_failure.name == first
    if kind:
        assert report.first_failure.pattern.kind == kind
    conclusion = report.conclusion()
    assert conclusion.startswith(f"{first} is the first wrong gradient")
    assert all(w in conclusion for w in words), conclusion


def test_a_right_network_concludes_with_a_pass():
    report = _course_case(None)
    assert report.passed and report.conclusion().startswith("All 6 gradients agree")
    assert report.network == "[5, 4, 3, 1]" and report.bug is None


# --- inputs ----------------------------------------------------------------------------------------------


def test_nothing_the_user_passes_is_written():
    rng = np.random.default_rng(8)
    spec = sc.dense_net([3, 4, 1])
    params = sc.init_params(spec, seed=0, method="he")
    X, Y = rng.standard_normal((3, 5)), np.ones((1, 5))
    grads = engine_grads(spec, params, X, Y)
    before = [{n: v.copy() for n, v in d.items()} for d in (params, grads)] + [X.copy(), Y.copy()]
    for mode in ("full", "sample", "directional"):
        sc.gradcheck_network(spec, params, X, Y, grads=grads, mode=mode)
    after = [params, grads, X, Y]
    assert all(np.array_equal(b[n], a[n]) for b, a in zip(before[:2], after[:2]) for n in b)
    assert np.array_equal(before[2], X) and np.array_equal(before[3], Y)


def test_given_gradients_are_checked_instead_of_the_engines():
    rng = np.random.default_rng(9)
    spec = sc.dense_net([3, 2, 1])
    params = sc.init_params(spec, seed=0, method="he")
    X, Y = rng.standard_normal((3, 4)), np.ones((1, 4))
    grads = engine_grads(spec, params, X, Y)
    grads["db1"] = grads["db1"] + 1.0
    report = sc.gradcheck_network(spec, params, X, Y, grads=grads)
    assert report.first_failure.name == "db1"


def test_gradients_keyed_like_the_parameters_are_checked_too():
    rng = np.random.default_rng(12)
    spec = sc.dense_net([3, 2, 1])
    params = sc.init_params(spec, seed=0, method="he")
    X, Y = rng.standard_normal((3, 4)), np.ones((1, 4))
    grads = {n[1:]: g for n, g in engine_grads(spec, params, X, Y).items() if n[1] in "Wb"}  # W1, b1, ...
    report = sc.gradcheck_network(spec, params, X, Y, grads=grads)
    assert report.passed and [t.name for t in report.tensors] == ["dW2", "db2", "dW1", "db1"]


def test_float32_parameters_are_upcast_with_a_warning():
    rng = np.random.default_rng(10)
    spec = sc.dense_net([3, 2, 1])
    params = {n: v.astype(np.float32) for n, v in sc.init_params(spec, seed=0, method="he").items()}
    with pytest.warns(UserWarning, match="float32"):
        report = sc.gradcheck_network(spec, params, rng.standard_normal((3, 4)), np.ones((1, 4)))
    assert report.passed and report.warnings


def test_progress_reaches_the_total():
    rng = np.random.default_rng(11)
    spec = sc.dense_net([30, 4, 1])
    calls = []
    sc.gradcheck_network(spec, sc.init_params(spec), rng.random((30, 5)), np.ones((1, 5)),
                         progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (129, 129) and all(a <= b for (a, _), (b, _) in zip(calls, calls[1:]))


@pytest.mark.parametrize("call, words", [
    (lambda s, p, X, Y: sc.gradcheck_network(s, p, X, Y, batch=0), ["batch = 0"]),
    (lambda s, p, X, Y: sc.gradcheck_network(s, p, X[:, :2], Y), ["same m"]),
    (lambda s, p, X, Y: sc.gradcheck_network(s, {**p, "W1": p["W1"].T}, X, Y), ["W1"]),
    (lambda s, p, X, Y: sc.gradcheck_network(s, p, X, Y, bug="nope"), ["nope", "missing_1_over_m"]),
    (lambda s, p, X, Y: sc.gradcheck_network("net", p, X, Y), ["dense"]),
])
def test_bad_input_is_one_sentence(call, words):
    spec = sc.dense_net([3, 2, 1])
    params = sc.init_params(spec)
    with pytest.raises(ShapecheckError) as error:
        call(spec, params, np.ones((3, 4)), np.ones((1, 4)))
    assert all(w in str(error.value) for w in words), str(error.value)
