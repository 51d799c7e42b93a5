"""Seeded inputs for the optimization assignment.

Layers [3, 5, 2] (no two sizes equal); gradients, v and s of both signs and every scale; Adam at t = 1,
at t = 3 with β's that are not the defaults, and with gradients near 1e-5 (where ε inside or outside
√ŝ makes a difference); mini-batches of m = 23 in batches of 5 (a last partial batch of 3), of 23
(exactly one) and of 64 (only a partial one); decay at epochs whose quotient has a fraction above ½.
"""

import numpy as np

from shapecheck.diagnosis.plugin import Case, arrays, rng as _rng

DIMS = (3, 5, 2)


def _dicts(rng):
    params = arrays("dense_params", SIZES, lambda key, shape: rng.standard_normal(shape), L=2)
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    v = {k: rng.standard_normal(g.shape) * 0.1 for k, g in grads.items()}
    s = {k: np.abs(rng.standard_normal(g.shape)) * 0.1 for k, g in grads.items()}
    return params, grads, v, s


def _zeros(params):
    return {"d" + k: np.zeros(p.shape) for k, p in params.items()}


SIZES = {"n0": 3, "n1": 5, "n2": 2, "L": 2, "layer_dims": list(DIMS)}


def _gd(seed):
    return [Case("update_parameters_with_gd", _dicts(_rng(seed, "gd", k))[:2] + (rate,), f"layers [3, 5, 2], learning_rate={rate}", SIZES)
            for k, rate in enumerate((0.3, 0.05, 1.7))]


def _batches(seed):
    rng = _rng(seed, "mini", 0)
    X, Y = rng.standard_normal((3, 23)), (rng.uniform(size=(1, 23)) > 0.5).astype(float)
    return [Case("random_mini_batches", (X, Y, size, s), f"m=23, mini_batch_size={size}, seed={s}", {"n_x": 3, "m": 23, "size": size})
            for size, s in ((5, 3), (23, 1), (64, 0))]


def _init(name):
    def cases(seed):
        return [Case(name, (_dicts(_rng(seed, name, k))[0],), f"layers [3, 5, 2], parameters {k + 1}", SIZES) for k in range(3)]
    return cases


def _momentum(seed):
    p, g, v, _ = _dicts(_rng(seed, "momentum", 0))
    return [Case("update_parameters_with_momentum", (p, g, v, 0.8, 0.3), "beta=0.8, learning_rate=0.3", SIZES),
            Case("update_parameters_with_momentum", (p, g, _zeros(p), 0.9, 0.1), "v = 0, beta=0.9, learning_rate=0.1", SIZES),
            Case("update_parameters_with_momentum", _dicts(_rng(seed, "momentum", 1))[:3] + (0.5, 0.05), "beta=0.5, learning_rate=0.05", SIZES)]


def _adam(seed):
    p, g, v, s = _dicts(_rng(seed, "adam", 0))
    tiny = {k: x * 1e-5 for k, x in g.items()}
    return [Case("update_parameters_with_adam", (p, g, v, s, 3, 0.02, 0.8, 0.99, 1e-8), "t=3, beta1=0.8, beta2=0.99", SIZES),
            Case("update_parameters_with_adam", (p, g, _zeros(p), _zeros(p), 1, 0.01, 0.9, 0.999, 1e-8), "t=1 from zeros", SIZES),
            Case("update_parameters_with_adam", (p, tiny, v, {k: x * 1e-6 for k, x in s.items()}, 2, 0.01, 0.9, 0.999, 1e-8),
                 "t=2, gradients near 1e-5", SIZES)]


def _update_lr(seed):
    return [Case("update_lr", (0.5, 7, 0.3), "learning_rate0=0.5, epoch_num=7, decay_rate=0.3", {}),
            Case("update_lr", (0.01, 0, 1.0), "epoch_num=0", {}), _drawn_update_lr(_rng(seed, "update_lr", 0))]


def _drawn_update_lr(rng):
    rate, epoch, decay = float(rng.uniform(0.05, 1.0)), int(rng.integers(1, 50)), float(rng.uniform(0.1, 2.0))
    return Case("update_lr", (rate, epoch, decay), f"learning_rate0={rate:.3g}, epoch_num={epoch}, decay_rate={decay:.3g}", {})


def _schedule(seed):
    return [Case("schedule_lr_decay", (0.5, 2700, 0.3, 1000), "epoch_num=2700, time_interval=1000", {}),
            Case("schedule_lr_decay", (0.3, 170, 0.5, 60), "epoch_num=170, time_interval=60", {}),
            _drawn_schedule(_rng(seed, "schedule_lr_decay", 0))]


def _drawn_schedule(rng):
    # the quotient epoch / interval has a fraction above ½, so floor and round differ
    interval = int(rng.integers(10, 100))
    epoch = interval * int(rng.integers(1, 9)) + int(rng.integers(interval // 2 + 1, interval))
    rate, decay = float(rng.uniform(0.05, 1.0)), float(rng.uniform(0.1, 2.0))
    return Case("schedule_lr_decay", (rate, epoch, decay, interval),
                f"learning_rate0={rate:.3g}, epoch_num={epoch}, decay_rate={decay:.3g}, time_interval={interval}", {})


CASES = {
    "update_parameters_with_gd": _gd,
    "random_mini_batches": _batches,
    "initialize_velocity": _init("initialize_velocity"),
    "update_parameters_with_momentum": _momentum,
    "initialize_adam": _init("initialize_adam"),
    "update_parameters_with_adam": _adam,
    "update_lr": _update_lr,
    "schedule_lr_decay": _schedule,
}
