"""The recurrent kernels: one BLAS thread or many give the same numbers; kept buffers never go stale
(a layer's kernels per input shape, interleaved calls of other sizes and values); the caller's arrays
are never written; the course's arrays go in and out as views."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapecheck as sc
from shapecheck.engine import blas_threads, lanes
from shapecheck.engine import gru_kernels as GK
from shapecheck.engine import lstm_kernels as LK
from shapecheck.engine import rnn_kernels as K
from shapecheck.layers.gru.spec import GRU
from shapecheck.layers.lstm.spec import LSTM
from shapecheck.layers.runtime import standalone_weights
from shapecheck.layers.simple_rnn.spec import SimpleRNN


@pytest.fixture(autouse=True)
def single_process_kernels(monkeypatch):
    """These are the single-process kernels' tests: the course's LSTM runs them at every size here (its lanes, at
    the sizes worth them, are test_lanes.py's)."""
    monkeypatch.setattr(lanes, "LANE_EXAMPLES", 10**9)


def run_all(rng, m, T_x, n_x, n_a):
    """Forward and backward of the three kernels on one random case: every output, flattened."""
    X, a0 = rng.standard_normal((m, T_x, n_x)), rng.standard_normal((m, n_a))
    dH = rng.standard_normal((m, T_x, n_a))
    out = []
    for gates in (1, 3, 4):
        Wx, Wa = rng.standard_normal((gates * n_a, n_x)), rng.standard_normal((gates * n_a, n_a)) * 0.5
        b = rng.standard_normal(gates * n_a)
        if gates == 1:
            tape = K.rnn_steps_forward(X, a0, Wx, Wa, b)
            A_prev = np.concatenate([a0[:, None], tape.H[:, :-1]], axis=1)
            grads = K.rnn_steps_backward(dH, None, X, A_prev, tape.H, None, Wx, Wa)
        elif gates == 3:
            tape = GK.gru_steps_forward(X, a0, Wx, Wa, b, -b)
            grads = GK.gru_steps_backward(dH, None, tape, Wx, Wa)
        else:                                                      # time first: (T_x, m, ·) views
            tape = LK.lstm_steps_forward(X.transpose(1, 0, 2), a0, a0 * 0.5, Wx, Wa, b)
            grads = LK.lstm_steps_backward(dH.transpose(1, 0, 2), None, None, tape.R, tape.C[:-1], tape.C[1:],
                                           tape.tanh_c, tape.G, None, Wx, Wa)
        out += [tape.H.copy(), *(g.copy() for g in grads)]
    return out


# --- one BLAS thread ------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(m=st.integers(1, 5), T_x=st.integers(1, 4), n_x=st.integers(1, 4), n_a=st.integers(1, 4), seed=st.integers(0, 999))
def test_pinning_blas_to_one_thread_leaves_every_number_as_it_is(m, T_x, n_x, n_a, seed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blas_threads, "SINGLE_THREAD_MNK", -1)          # every kernel pinned
        pinned = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
        patch.setattr(blas_threads, "SINGLE_THREAD_MNK", 10**18)      # none
        free = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
    for a, b in zip(pinned, free):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(m=st.integers(1, 5), T_x=st.integers(1, 4), n_x=st.integers(1, 4), n_a=st.integers(1, 4), seed=st.integers(0, 999))
def test_the_backward_step_by_step_equals_all_steps_at_once(m, T_x, n_x, n_a, seed):
    """A tape bigger than the cache has its step-independent factors computed a step at a time: same numbers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(K, "IN_CACHE", -1)                              # every tape "too big"
        patch.setattr(LK, "IN_CACHE", -1)
        patch.setattr(LK, "BESIDE_RUN", -1)
        patch.setattr(LK, "_KEPT", threading.local())             # kernels made under these constants
        by_step = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
        patch.setattr(K, "IN_CACHE", 10**18)
        patch.setattr(LK, "IN_CACHE", 10**18)
        patch.setattr(LK, "BESIDE_RUN", 10**18)
        patch.setattr(LK, "_KEPT", threading.local())
        at_once = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
    for a, b in zip(by_step, at_once):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(activations=st.sampled_from([("tanh", "sigmoid"), ("relu", "softmax"), ("linear", "tanh")]), sequences=st.booleans(),
       m=st.integers(1, 4), T_x=st.integers(1, 4), n_x=st.integers(1, 3), n_a=st.integers(1, 4), seed=st.integers(0, 999))
def test_a_gru_layer_step_by_step_equals_all_steps_at_once(activations, sequences, m, T_x, n_x, n_a, seed):
    """The GRU's step-by-step backward (a tape bigger than the cache: dx and every product per step) gives the
    same output, dx and gradients as all steps at once, with the course's activations and Keras's others."""
    rng = np.random.default_rng(seed)
    spec = GRU(n_a, activation=activations[0], recurrent_activation=activations[1], return_sequences=sequences)
    weights = [w + rng.normal(0.0, 0.5, w.shape) for w in standalone_weights(spec.runtime((T_x, n_x)), seed)[0]]
    x, dY = rng.normal(size=(m, T_x, n_x)), rng.normal(size=(m, T_x, n_a) if sequences else (m, n_a))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(K, "IN_CACHE", -1)                              # every tape "too big"
        by_step = fresh_layer_run(spec, weights, x, dY)
        patch.setattr(K, "IN_CACHE", 10**18)
        at_once = fresh_layer_run(spec, weights, x, dY)
    for a, b in zip(by_step, at_once):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


needs_openblas = pytest.mark.skipif(not blas_threads.ONE_THREAD.available, reason="numpy's BLAS is not a reachable OpenBLAS")


@needs_openblas
def test_one_blas_thread_pins_and_restores_even_nested_and_on_error():
    outside = blas_threads.ONE_THREAD.threads()
    with blas_threads.one_blas_thread(10**9):
        assert blas_threads.ONE_THREAD.threads() == 1
        with blas_threads.one_blas_thread(10**9):
            assert blas_threads.ONE_THREAD.threads() == 1
        assert blas_threads.ONE_THREAD.threads() == 1                # the inner block does not restore early
    assert blas_threads.ONE_THREAD.threads() == outside
    with pytest.raises(ZeroDivisionError), blas_threads.one_blas_thread(10**9):
        1 / 0
    assert blas_threads.ONE_THREAD.threads() == outside


@needs_openblas
def test_small_products_leave_the_thread_count_alone():
    outside = blas_threads.ONE_THREAD.threads()
    with blas_threads.one_blas_thread(64**3):
        assert blas_threads.ONE_THREAD.threads() == outside


@needs_openblas
def test_the_course_sizes_run_on_one_thread(monkeypatch):
    """The bar's LSTM (n_a=64, m=64, T_x=50) runs pinned; the lesson's (10 units, 4 samples, 1 step) does not pay for it."""
    seen = []
    real = np.matmul

    def spy(*args, **kwargs):
        seen.append(blas_threads.ONE_THREAD.threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(LK.np, "matmul", spy)
    rng = np.random.default_rng(0)
    LK.lstm_steps_forward(rng.standard_normal((50, 64, 32)), None, None, rng.standard_normal((256, 32)),
                          rng.standard_normal((256, 64)), np.zeros(256))
    assert seen and set(seen) == {1}
    seen.clear()
    outside = blas_threads.ONE_THREAD.threads()
    LK.lstm_steps_forward(rng.standard_normal((1, 4, 1)), None, None, rng.standard_normal((40, 1)),
                          rng.standard_normal((40, 10)), np.zeros(40))
    assert seen and set(seen) == {outside}


# --- kept buffers never go stale -------------------------------------------------------------------


def fresh_layer_run(spec, weights, x, dY):
    """Output, dx and every gradient of a NEW layer with these weights: the truth a kept buffer must equal."""
    layer = spec.runtime(x.shape[1:])
    own, grads = standalone_weights(layer)
    for w, v in zip(own, weights):
        w[...] = v
    out = layer.forward(x).copy()
    dx = layer.backward(dY).copy()
    return [out, dx, *(g.copy() for g in grads)]


@settings(max_examples=25, deadline=None)
@given(kind=st.sampled_from([SimpleRNN, LSTM, GRU]), units=st.integers(1, 4), input_dim=st.integers(1, 3),
       shapes=st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), min_size=2, max_size=5),
       sequences=st.booleans(), seed=st.integers(0, 999))
def test_a_layer_with_kept_buffers_equals_a_fresh_layer_through_interleaved_sizes_and_values(
        kind, units, input_dim, shapes, sequences, seed):
    """Calls of other batch sizes, lengths and values in between: every result equals a fresh layer's."""
    rng = np.random.default_rng(seed)
    spec = kind(units, return_sequences=sequences)
    layer = spec.runtime((1, input_dim))  # any number of steps runs
    weights, grads = standalone_weights(layer, seed)
    for w in weights:
        w += rng.normal(0.0, 0.5, w.shape)
    for batch, T in shapes + shapes[:1]:                           # the first shape again, with new values
        x = rng.normal(size=(batch, T, input_dim))
        dY = rng.normal(size=(batch, T, units) if sequences else (batch, units))
        x_before, dY_before = x.copy(), dY.copy()
        mine = [layer.forward(x).copy(), layer.backward(dY).copy(), *(g.copy() for g in grads)]
        np.testing.assert_array_equal(x, x_before)                 # the caller's arrays are never written
        np.testing.assert_array_equal(dY, dY_before)
        for a, b in zip(mine, fresh_layer_run(spec, weights, x, dY)):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_the_kept_a0_and_c0_are_reset_after_a_call_that_gave_them():
    """A kernel kept for one shape, called with a⟨0⟩ and c⟨0⟩ given, then without: the second starts from zeros."""
    rng = np.random.default_rng(3)
    forward, _ = LK.layer_kernels(2, True)((3, 2, 2))
    X, Wx, Wa, b = rng.normal(size=(2, 3, 2)), rng.normal(size=(8, 2)), rng.normal(size=(8, 2)), rng.normal(size=8)
    W = LK.lstm_weights(Wx, Wa, b)
    forward.forward(X, rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), W, None)
    again = forward.forward(X, None, None, W, None)
    fresh = LK.lstm_steps_forward(X, None, None, Wx, Wa, b)
    np.testing.assert_array_equal(again.C, fresh.C)
    np.testing.assert_array_equal(again.H, fresh.H)


def test_many_shapes_evict_old_buffers_without_going_wrong():
    layer = LSTM(3).runtime((2, 2))
    standalone_weights(layer, 0)
    rng = np.random.default_rng(0)
    for batch in list(range(1, 12)) + [1, 2]:                      # more shapes than are kept
        x = rng.normal(size=(batch, 2, 2))
        expected = fresh_layer_run(LSTM(3), [layer.kernel, layer.recurrent_kernel, layer.bias], x, np.ones((batch, 3)))
        np.testing.assert_allclose(layer.forward(x), expected[0], rtol=1e-12, atol=1e-12)
    assert len(layer._kernels._by_shape) <= K.LayerKernels.LIMIT


def test_the_kernels_never_write_the_callers_arrays():
    rng = np.random.default_rng(1)
    m, T, n_x, n_a = 3, 4, 2, 3
    arrays = {name: rng.normal(size=shape) for name, shape in {
        "X": (m, T, n_x), "a0": (m, n_a), "c0": (m, n_a), "dH": (m, T, n_a), "da": (m, n_a), "dc": (m, n_a),
        "W1x": (n_a, n_x), "W1a": (n_a, n_a), "b1": (n_a,), "W4x": (4 * n_a, n_x), "W4a": (4 * n_a, n_a),
        "b4": (4 * n_a,), "W3x": (3 * n_a, n_x), "W3a": (3 * n_a, n_a), "b3": (3 * n_a,)}.items()}
    saved = {k: v.copy() for k, v in arrays.items()}
    A = arrays
    tape = K.rnn_steps_forward(A["X"], A["a0"], A["W1x"], A["W1a"], A["b1"])
    K.rnn_steps_backward(A["dH"], A["da"], A["X"], K.states_before(A["a0"], tape.H), tape.H, None, A["W1x"], A["W1a"])
    tape = LK.lstm_steps_forward(A["X"].transpose(1, 0, 2), A["a0"], A["c0"], A["W4x"], A["W4a"], A["b4"])
    LK.lstm_steps_backward(A["dH"].transpose(1, 0, 2), A["da"], A["dc"], tape.R, tape.C[:-1], tape.C[1:], tape.tanh_c,
                           tape.G, None, A["W4x"], A["W4a"])
    tape = GK.gru_steps_forward(A["X"], A["a0"], A["W3x"], A["W3a"], A["b3"], A["b3"])
    GK.gru_steps_backward(A["dH"], A["da"], tape, A["W3x"], A["W3a"])
    for name, array in arrays.items():
        np.testing.assert_array_equal(array, saved[name], err_msg=name)


def test_a_second_course_call_leaves_the_first_calls_caches_and_arrays_alone():
    """The course's functions get new buffers at every call: earlier caches and returned arrays stay what they were."""
    rng = np.random.default_rng(2)
    p = {f"W{g}": rng.normal(size=(3, 5)) for g in "fico"} | {f"b{g}": rng.normal(size=(3, 1)) for g in "fico"}
    p |= {"Wy": rng.normal(size=(2, 3)), "by": np.zeros((2, 1))}
    x1, x2 = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    a0, da = rng.normal(size=(3, 4)), rng.normal(size=(3, 4, 3))
    a1, y1, c1, caches1 = sc.lstm_forward(x1, a0, p)
    kept = [a1.copy(), c1.copy(), [[np.array(v, copy=True) for v in cache[:9]] for cache in caches1[0]]]
    grads1 = sc.lstm_backward(da, caches1)
    a2, *_ = sc.lstm_forward(x2, a0, p)
    a2[...] = 0                                                    # the caller's own copy: writable, not shared
    np.testing.assert_array_equal(a1, kept[0])
    np.testing.assert_array_equal(c1, kept[1])
    for cache, saved in zip(caches1[0], kept[2]):
        for v, s in zip(cache[:9], saved):
            np.testing.assert_array_equal(v, s)
    again = sc.lstm_backward(da, caches1)
    for key in grads1:
        np.testing.assert_array_equal(again[key], grads1[key])


def test_the_course_x_is_read_in_place_and_dx_written_in_place():
    """No transpose in: the kernels' X is a view of the course's x; none out: dx is written where it lands."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5))                            # (n_x, m, T_x)
    X = x.transpose(1, 2, 0)
    assert np.shares_memory(K.rows(X), x)
    dx = np.empty((3, 4, 5))
    assert np.shares_memory(np.reshape(dx.transpose(1, 2, 0), (-1, 3), copy=False), dx)
    p = {k: rng.standard_normal((2, 5)) for k in ("Wf", "Wi", "Wc", "Wo")}
    p |= {k: np.zeros((2, 1)) for k in ("bf", "bi", "bc", "bo")} | {"Wy": np.ones((1, 2)), "by": np.zeros((1, 1))}
    caches = sc.lstm_forward(x, np.zeros((2, 4)), p)[3]
    assert caches[0][0][0].base is not None and np.shares_memory(caches[0][0][8], x)   # views, not copies


# --- the LSTM's time-first tape ---------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(shapes=st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5), st.integers(1, 7)), min_size=1, max_size=6))
def test_carved_arrays_are_aligned_and_never_overlap(shapes):
    """A tape's arrays come out of one allocation: each on a 64-byte boundary, each its own bytes."""
    arrays = LK._carve(shapes, np.float64)
    assert [a.shape for a in arrays] == shapes
    spans = sorted((a.ctypes.data, a.ctypes.data + a.nbytes) for a in arrays if a.size)
    assert all(start % 64 == 0 for start, _ in spans)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
    for k, a in enumerate(arrays):                                # writing one leaves the others as they are
        a.fill(k)
    assert all((a == k).all() for k, a in enumerate(arrays))


def test_each_step_reads_the_state_the_step_before_wrote():
    """R⟨t⟩ = [x⟨t⟩, a⟨t-1⟩, 1]: a⟨t⟩ lands in R⟨t+1⟩, every step's block is contiguous, x is the caller's."""
    rng = np.random.default_rng(4)
    X, a0 = rng.normal(size=(5, 3, 2)), rng.normal(size=(3, 4))
    tape = LK.lstm_steps_forward(X, a0, None, rng.normal(size=(16, 2)), rng.normal(size=(16, 4)), rng.normal(size=16))
    np.testing.assert_array_equal(tape.R[0, :, 2:-1], a0)
    np.testing.assert_array_equal(tape.R[1:, :, 2:-1], tape.H)
    np.testing.assert_array_equal(tape.X, X)
    assert (tape.R[:, :, -1] == 1).all()
    assert all(tape.G[t].flags.c_contiguous and tape.C[t].flags.c_contiguous for t in range(5))


def test_a_model_lstm_reads_its_weights_and_writes_its_gradients_in_place():
    """In a model, kernel, recurrent_kernel and bias lie one after the other in the flat buffer: the kernels read
    them as ONE matrix and write the gradients as ONE product, with the numbers of a layer on its own arrays."""
    rng = np.random.default_rng(5)
    model = sc.Sequential([LSTM(3, return_sequences=True, input_shape=(4, 2))])
    model.compile(loss="mse", optimizer="sgd")
    runtime = model._engine().layers[0]
    assert runtime._W is not None and np.shares_memory(runtime._W, runtime.kernel)
    assert runtime._dW is not None and np.shares_memory(runtime._dW, runtime.d_bias)
    x, dY = rng.normal(size=(6, 4, 2)), rng.normal(size=(6, 4, 3))
    out, dx = runtime.forward(x).copy(), runtime.backward(dY).copy()
    grads = [runtime.d_kernel.copy(), runtime.d_recurrent_kernel.copy(), runtime.d_bias.copy()]
    alone = LSTM(3, return_sequences=True).runtime((4, 2))
    standalone_weights(alone)
    assert alone._W is None                                       # separate arrays: copied in, copied out
    for w, v in zip((alone.kernel, alone.recurrent_kernel, alone.bias), (runtime.kernel, runtime.recurrent_kernel,
                                                                          runtime.bias)):
        w[...] = v
    np.testing.assert_allclose(alone.forward(x), out, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(alone.backward(dY), dx, rtol=1e-13, atol=1e-14)
    for mine, theirs in zip((alone.d_kernel, alone.d_recurrent_kernel, alone.d_bias), grads):
        np.testing.assert_allclose(mine, theirs, rtol=1e-13, atol=1e-14)


@settings(max_examples=15, deadline=None)
@given(m=st.integers(1, 4), T_x=st.integers(1, 6), n_x=st.integers(1, 3), n_a=st.integers(1, 3),
       seed=st.integers(0, 999), cores=st.sampled_from([1, 2]), beside_run=st.sampled_from([-1, 2**18]))
def test_the_products_handed_to_a_second_core_give_the_same_numbers(m, T_x, n_x, n_a, seed, cores, beside_run):
    """The weight products of the later steps and the local derivatives of every run but the first, handed to the
    worker thread (or run in place on one core): the numbers of one thread, in one product over all steps."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LK, "IN_CACHE", -1)                         # a run per step: several runs ahead
        patch.setattr(LK, "BESIDE_RUN", beside_run)               # or, when two cores share them, one long run
        patch.setattr(LK, "BESIDE_WORTH", 0)                     # every size hands half over
        patch.setattr(LK, "_KEPT", threading.local())             # kernels made under these constants
        patch.setattr(blas_threads.BESIDE, "cores", lambda: cores)
        patch.setattr(blas_threads.BESIDE, "idle", lambda: cores > 1)   # whatever the machine's load now
        beside = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
        patch.setattr(LK, "BESIDE_WORTH", 10**18)
        patch.setattr(LK, "_KEPT", threading.local())
        alone = run_all(np.random.default_rng(seed), m, T_x, n_x, n_a)
    for a, b in zip(beside, alone):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_where_no_thread_can_start_the_products_run_in_place(monkeypatch):
    """A process limited to itself (diagnose's sandbox: RLIMIT_NPROC) cannot start the worker: the job runs here."""
    def refuse(self):
        raise RuntimeError("can't start new thread")

    beside = blas_threads._Beside()
    monkeypatch.setattr(beside, "cores", lambda: 2)
    monkeypatch.setattr(threading.Thread, "start", refuse)
    assert beside.submit(lambda a, b: a + b, 2, 3).result() == 5
    assert beside._pool is False                                  # and it does not try again
    assert beside.submit(lambda: threading.current_thread()).result() is threading.current_thread()


def test_a_failure_on_the_second_core_reaches_the_caller_and_never_hangs_the_loop(monkeypatch):
    """The local derivatives computed ahead on the worker: if they raise, the loop is released and the error raised."""
    monkeypatch.setattr(LK, "BESIDE_WORTH", 0)
    monkeypatch.setattr(LK, "IN_CACHE", -1)                       # one step per run: several runs
    monkeypatch.setattr(LK, "_KEPT", threading.local())           # not a kept kernel made under other constants
    monkeypatch.setattr(LK, "BESIDE_RUN", -1)
    monkeypatch.setattr(blas_threads.BESIDE, "cores", lambda: 2)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: True)
    real, calls = LK._LSTMGrads.local_derivatives, []

    def fails_after_the_first(self, *views):
        calls.append(1)
        if len(calls) > 1:
            raise FloatingPointError("on the second core")
        return real(self, *views)

    monkeypatch.setattr(LK._LSTMGrads, "local_derivatives", fails_after_the_first)
    rng = np.random.default_rng(6)
    X, Wx, Wa, b = rng.normal(size=(4, 2, 3)), rng.normal(size=(8, 3)), rng.normal(size=(8, 2)), rng.normal(size=8)
    tape = LK.lstm_steps_forward(X, None, None, Wx, Wa, b)
    with pytest.raises(FloatingPointError, match="second core"):
        LK.lstm_steps_backward(rng.normal(size=(4, 2, 2)), None, None, tape.R, tape.C[:-1], tape.C[1:], tape.tanh_c,
                               tape.G, None, Wx, Wa)


def test_the_second_core_is_used_only_when_the_machine_leaves_one_idle(monkeypatch, tmp_path):
    import builtins

    beside = blas_threads._Beside()
    monkeypatch.setattr(beside, "cores", lambda: 2)
    real_open, running = builtins.open, {"now": b"1"}

    def fake_open(path, *args, **kwargs):
        if path == "/proc/loadavg":
            (tmp_path / "loadavg").write_bytes(b"0.90 0.80 0.70 " + running["now"] + b"/120 4242\n")
            return real_open(tmp_path / "loadavg", *args, **kwargs)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    clock = {"now": 100.0}
    monkeypatch.setattr(blas_threads.time, "monotonic", lambda: clock["now"])
    assert beside.idle()                                          # this thread alone: a core free
    running["now"] = b"7"
    assert beside.idle()                                          # (an idle reading holds HOLD seconds)
    clock["now"] += beside.HOLD
    assert not beside.idle()                                      # shared: every core taken
    running["now"] = b"1"
    assert beside.idle()                                          # a busy reading does not hold
    clock["now"] += beside.HOLD
    monkeypatch.setattr(builtins, "open", lambda *a, **k: (_ for _ in ()).throw(OSError("no /proc")))
    monkeypatch.setattr(blas_threads.os, "getloadavg", lambda: (1.2, 1.0, 1.0))   # elsewhere: the load average
    assert beside.idle()
    clock["now"] += beside.HOLD
    monkeypatch.setattr(blas_threads.os, "getloadavg", lambda: (6.0, 5.0, 4.0))
    assert not beside.idle()
    monkeypatch.setattr(blas_threads.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(beside, "cores", lambda: 1)
    assert not beside.idle()
    assert beside.submit(lambda: threading.current_thread(), here=True).result() is threading.current_thread()


@settings(max_examples=15, deadline=None)
@given(m=st.integers(1, 4), T_x=st.integers(4, 14), n_x=st.integers(1, 3), n_a=st.integers(1, 3), seed=st.integers(0, 999))
def test_the_inputs_product_made_apart_gives_the_same_numbers_on_a_busy_machine_or_an_idle_one(m, T_x, n_x, n_a, seed):
    """At sizes worth a second core, Wx·x⟨t⟩ of every step is made apart from the loop, in three fixed pieces: on
    the idle core or, on a busy machine, here; the same calls either way, so exactly the same numbers."""
    rng = np.random.default_rng(seed)
    X, a0, c0 = rng.normal(size=(T_x, m, n_x)), rng.normal(size=(m, n_a)), rng.normal(size=(m, n_a))
    Wx, Wa, b = rng.normal(size=(4 * n_a, n_x)), rng.normal(size=(4 * n_a, n_a)), rng.normal(size=4 * n_a)
    tapes = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LK, "BESIDE_WORTH", 0)
        patch.setattr(blas_threads.BESIDE, "cores", lambda: 2)
        for idle in (True, False):
            patch.setattr(blas_threads.BESIDE, "idle", lambda idle=idle: idle)
            tapes[idle] = LK.lstm_steps_forward(X, a0, c0, Wx, Wa, b)
        patch.setattr(LK, "BESIDE_WORTH", 10**18)                 # one product per step, x included
        fused = LK.lstm_steps_forward(X, a0, c0, Wx, Wa, b)
    for name in ("R", "C", "tanh_c", "G"):
        np.testing.assert_array_equal(getattr(tapes[True], name), getattr(tapes[False], name), err_msg=name)
        np.testing.assert_allclose(getattr(tapes[True], name), getattr(fused, name), rtol=1e-12, atol=1e-12, err_msg=name)


def test_a_failure_of_the_inputs_product_on_the_second_core_reaches_the_caller(monkeypatch):
    monkeypatch.setattr(LK, "BESIDE_WORTH", 0)
    monkeypatch.setattr(blas_threads.BESIDE, "cores", lambda: 2)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: True)
    real = LK._LSTMArrays._x_part

    def fails_beside(self, i, Wx):
        if i:
            assert threading.current_thread() is not threading.main_thread()
            raise FloatingPointError("on the second core")
        real(self, i, Wx)

    monkeypatch.setattr(LK._LSTMArrays, "_x_part", fails_beside)
    rng = np.random.default_rng(3)
    X, Wx, Wa, b = rng.normal(size=(8, 2, 3)), rng.normal(size=(8, 3)), rng.normal(size=(8, 2)), rng.normal(size=8)
    with pytest.raises(FloatingPointError, match="second core"):
        LK.lstm_steps_forward(X, None, None, Wx, Wa, b)


def test_lstm_forward_copies_a_and_c_out_on_the_idle_core_as_the_same_writable_arrays(monkeypatch):
    from shapecheck.engine import rnn

    x, a0, _, p = course_lstm_case(np.random.default_rng(4), 3, 2, 5, 6)
    monkeypatch.setattr(blas_threads.BESIDE, "cores", lambda: 2)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: True)
    outs = {}
    for apart in (0, 10**12):
        monkeypatch.setattr(rnn, "OUTPUTS_APART", apart)
        outs[apart] = sc.lstm_forward(x, a0, p)
    for mine, theirs in zip(outs[0][:3], outs[10**12][:3]):
        np.testing.assert_array_equal(mine, theirs)
        assert mine.flags.writeable and mine.base is None          # the caller's own
    assert outs[0][0].strides == outs[10**12][0].strides


def course_lstm_case(rng, n_x, n_a, m, T_x):
    x, a0, da = rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m, T_x))
    p = {f"W{g}": rng.normal(size=(n_a, n_a + n_x)) for g in "fico"}
    p |= {f"b{g}": rng.normal(size=(n_a, 1)) for g in "fico"}
    p |= {"Wy": rng.normal(size=(2, n_a)), "by": rng.normal(size=(2, 1))}
    return x, a0, da, p


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 300), n=st.integers(1, 300), k=st.integers(1, 300), limit=st.sampled_from([0, 10**3, 10**6]))
def test_row_blocks_cover_every_row_once_and_split_only_under_the_unpacked_bound(m, n, k, limit):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blas_threads, "unpacked_mnk", lambda: limit)
        blocks = blas_threads.row_blocks(m, n, k)
    assert [i for rows in blocks for i in range(m)[rows]] == list(range(m))
    assert 1 <= len(blocks) <= 4
    feasible = limit and m * n * k > limit and any(-(-m // b) * n * k <= limit for b in range(2, 5))
    if feasible:                                                  # split, every block under the bound
        assert len(blocks) > 1 and all((r.stop - r.start) * n * k <= limit for r in blocks)
    else:
        assert blocks == [slice(0, m)]


def test_no_openblas_core_name_means_no_split(monkeypatch):
    monkeypatch.setattr(blas_threads, "_unpacked", [])
    monkeypatch.setattr(blas_threads, "_candidates", lambda: [])
    assert blas_threads.unpacked_mnk() == 0
    assert blas_threads.row_blocks(64, 64, 256) == [slice(0, 64)]


def test_the_run_this_thread_computes_shares_no_buffer_with_the_runs_of_the_second_core():
    """The backward's last run of local derivatives is computed here while the second core computes the others:
    whatever the two write (scratch, derivatives) must be apart (a shared scratch once gave wrong gradients)."""
    m, T_x, n_x, n_a = 4, 9, 2, 3
    rng = np.random.default_rng(0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LK, "BESIDE_RUN", -1)                       # a run per step: many runs
        grads = LK._LSTMGrads(m, T_x, n_x, n_a, np.float64)
    G, C_prev, tanh_c = rng.random((T_x, m, 4 * n_a)), rng.random((T_x, m, n_a)), rng.random((T_x, m, n_a))
    R = rng.random((T_x + 1, m, n_x + n_a + 1))
    runs = grads._runs(G, C_prev, tanh_c, R, True)[0]
    written = (2, 3, 4, 6, 8, 10)                                 # S, D and its blocks, K: local_derivatives' outputs
    mine = [runs[T_x - 1][1][i] for i in written]
    assert len(runs) > 2
    for end, (_, views) in runs.items():
        if end != T_x - 1:
            for a in mine:
                for b in (views[i] for i in written):
                    assert not np.shares_memory(a, b), end


def test_the_bar_size_gives_the_same_gradients_on_two_cores_call_after_call(monkeypatch):
    """At the issue's size (the second core's runs, products and row blocks all in play), call after call: the
    gradients of the one-core path (a race between the two cores once broke every call after the first)."""
    x, a0, da, p = course_lstm_case(np.random.default_rng(8), 32, 64, 64, 50)
    monkeypatch.setattr(blas_threads.BESIDE, "cores", lambda: 2)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: False)
    alone = sc.lstm_backward(da, sc.lstm_forward(x, a0, p)[3])
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: True)
    for call in range(4):
        grads = sc.lstm_backward(da, sc.lstm_forward(x, a0, p)[3])
        for key in alone:
            np.testing.assert_allclose(grads[key], alone[key], rtol=1e-9, atol=1e-9, err_msg=f"{key}, call {call}")


def test_an_interrupted_backward_leaves_no_job_writing_the_next_calls_buffers(monkeypatch):
    """A KeyboardInterrupt in the loop (a notebook's stop button): the jobs already handed to the second core are
    cancelled or finished before the interrupt goes on, so none writes the kept buffers under the next call."""
    x, a0, da, p = course_lstm_case(np.random.default_rng(9), 32, 64, 64, 50)
    monkeypatch.setattr(blas_threads.BESIDE, "cores", lambda: 2)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: True)
    caches = sc.lstm_forward(x, a0, p)[3]
    real, futures = blas_threads.BESIDE.submit, []

    def submit(fn, *args, **kwargs):
        if getattr(fn, "__name__", "") == "_products" and any(f.fn == "_products" for f in futures):
            raise KeyboardInterrupt                               # in the loop, the second piece's hand-over
        future = real(fn, *args, **kwargs)
        future.fn = getattr(fn, "__name__", "")
        futures.append(future)
        return future

    monkeypatch.setattr(blas_threads.BESIDE, "submit", submit)
    with pytest.raises(KeyboardInterrupt):
        sc.lstm_backward(da, caches)
    assert [f.fn for f in futures] == ["_derivatives_ahead", "_products"]
    assert all(f.done() for f in futures)                         # finished, or cancelled: nothing still running
    monkeypatch.setattr(blas_threads.BESIDE, "submit", real)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: False)
    alone = sc.lstm_backward(da, caches)
    monkeypatch.setattr(blas_threads.BESIDE, "idle", lambda: True)
    again = sc.lstm_backward(da, caches)
    for key in alone:
        np.testing.assert_allclose(again[key], alone[key], rtol=1e-9, atol=1e-9, err_msg=key)
