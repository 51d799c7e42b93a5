"""The optimization assignment's hint rules that read the numbers: mini-batches cut from the wrong columns,
Adam's second moment, and a learning-rate decay of another formula. Each is (id, functions, message id,
detect, strength)."""

import re

_BATCH = re.compile(r"^mini_batch_([XY])(\d+)$")


def _same_as_first_batch(e) -> bool:
    """Batch k (k ≥ 2) holds the first batch's columns: the slice starts at column 0 every time."""
    found = _BATCH.match(e.tensor or "")
    if not found or found.group(2) == "1" or e.s is None:
        return False
    first = e.reference_tensors.get(f"mini_batch_{found.group(1)}1")
    import numpy as np

    return first is not None and e.s.shape == np.shape(first) and bool(np.allclose(e.s, first))


def _another_shuffle(e) -> bool:
    """The mini-batches are a right cut of some shuffle, every example once and with its own label, in the
    course's sizes, but not of the seeded permutation: np.random.seed(seed) missing (or another seed, another
    generator). Read from all the batches together."""
    import numpy as np

    if not _BATCH.match(e.tensor or "") or len(e.case.args) < 3 or e.s is None:
        return False
    X, Y, size = (np.asarray(e.case.args[0]), np.asarray(e.case.args[1]), e.case.args[2])
    m = X.shape[1]
    pairs, k = [], 1
    while f"mini_batch_X{k}" in e.student_tensors and f"mini_batch_Y{k}" in e.student_tensors:
        pairs.append((np.asarray(e.student_tensors[f"mini_batch_X{k}"]), np.asarray(e.student_tensors[f"mini_batch_Y{k}"])))
        k += 1
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    if m < 3 or [bx.shape[1] if bx.ndim == 2 else -1 for bx, _ in pairs] != expected:
        return False
    columns = {np.ascontiguousarray(X[:, j]).tobytes(): j for j in range(m)}
    if len(columns) < m:
        return False  # repeated examples: a column cannot be traced back
    seen = []
    for bx, by in pairs:
        if bx.shape[0] != X.shape[0] or by.shape != (Y.shape[0], bx.shape[1]):
            return False
        for i in range(bx.shape[1]):
            j = columns.get(np.ascontiguousarray(bx[:, i]).tobytes())
            if j is None or not np.array_equal(by[:, i], Y[:, j]):
                return False
            seen.append(j)
    right = [np.asarray(e.reference_tensors.get(f"mini_batch_X{k + 1}")) for k in range(len(pairs))]
    same = all(r.shape == bx.shape and np.array_equal(r, bx) for r, (bx, _) in zip(right, pairs))
    return sorted(seen) == list(range(m)) and not same


def _s_of_raw_gradient(e) -> bool:
    """s[dW] = β₂·s + (1 − β₂)·dW (the gradient not squared), or its corrected value."""
    import numpy as np

    found = re.match(r"^(s|s_corrected)\[(d[Wb]\d+)\]$", e.tensor or "")
    if not found or e.s is None or len(e.case.args) < 8:
        return False
    grads, s, t, beta2 = e.case.args[1], e.case.args[3], e.case.args[4], e.case.args[7]
    key = found.group(2)
    raw = beta2 * np.asarray(s[key]) + (1 - beta2) * np.asarray(grads[key])
    if found.group(1) == "s_corrected":
        raw = raw / (1 - beta2 ** t)
    return raw.shape == e.s.shape and bool(np.allclose(e.s, raw)) and not np.allclose(raw, e.r)


def _another_decay(e) -> bool:
    """update_lr / schedule_lr_decay gave another number than α₀ / (1 + decay_rate · epoch_num) (its scheduled
    form): weak, so a known mistake (the epoch outside the fraction, no floor) is named instead when it fits."""
    import numpy as np

    return e.s is not None and e.r is not None and e.s.size == 1 and e.r.size == 1 and not np.isclose(float(e.s), float(e.r))


_ADAM_TENSOR = re.compile(r"^(parameters|v_corrected|s_corrected)\[([A-Za-z]+\d+)\]$|^([Wb]\d+)$")


def _adam_with(args, t_v, t_s):
    """Adam's step on the case's inputs with the bias corrections at t_v (v) and t_s (s): name -> value."""
    import numpy as np

    parameters, grads, v, s, _, rate, beta1, beta2, epsilon = args[:9]
    out = {}
    for key, value in parameters.items():
        d = "d" + key
        if d not in grads or d not in v or d not in s:
            return {}
        v_new = beta1 * np.asarray(v[d]) + (1 - beta1) * np.asarray(grads[d])
        s_new = beta2 * np.asarray(s[d]) + (1 - beta2) * np.square(np.asarray(grads[d]))
        v_corrected, s_corrected = v_new / (1 - beta1 ** t_v), s_new / (1 - beta2 ** t_s)
        out[f"v_corrected[{d}]"], out[f"s_corrected[{d}]"] = v_corrected, s_corrected
        out[f"parameters[{key}]"] = out[key] = np.asarray(value) - rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return out


def _adam_other_t(e):
    """The bias corrections of Adam divided by 1 − βᵏ with another k than the case's t (t = 1 kept whatever
    the step, t − 1 or t + 1: a counter not incremented, or incremented twice), in v's correction, s's or both.
    Returns the placeholders {t_used, t}: the step the student's numbers belong to, and the case's."""
    import numpy as np

    found = _ADAM_TENSOR.match(e.tensor or "")
    if not found or e.s is None or e.r is None or e.s.shape != e.r.shape or len(e.case.args) < 9:
        return False
    t = e.case.args[4]
    if not isinstance(t, (int, np.integer)) or isinstance(t, bool) or t < 1:
        return False
    name = e.tensor if found.group(3) is None else found.group(3)
    for k in sorted({1, t - 1, t + 1} - {0, t}):
        for t_v, t_s in ((k, k), (k, t), (t, k)):
            value = _adam_with(e.case.args, t_v, t_s).get(name)
            if value is not None and value.shape == e.s.shape and np.allclose(e.s, value, rtol=1e-6, atol=1e-12) \
                    and not np.allclose(value, e.r, rtol=1e-6, atol=1e-12):
                return {"t_used": k, "t": int(t)}
    return False


def _schedule_rounded(e):
    """schedule_lr_decay with round (or ceil) where the floor belongs: α₀ / (1 + decay_rate · round(epoch / interval))."""
    import math

    import numpy as np

    args = e.case.args
    if e.s is None or e.r is None or e.s.size != 1 or len(args) < 3:
        return False
    rate, epoch, decay = args[:3]
    interval = args[3] if len(args) > 3 else 1000
    yours = float(e.s.reshape(()))
    for steps in (round(epoch / interval), math.ceil(epoch / interval)):
        value = rate / (1 + decay * steps)
        if np.isclose(yours, value, rtol=1e-9) and not np.isclose(value, float(e.r.reshape(())), rtol=1e-9):
            return True
    return False


HINT_RULES = (
    ("missing_seed", ("random_mini_batches",), "hints.opt_batches_other_shuffle", _another_shuffle, "exact"),
    ("missing_floor", ("schedule_lr_decay",), "hints.opt_schedule_rounded", _schedule_rounded, "exact"),
    ("adam_bias_correction", ("update_parameters_with_adam",), "hints.opt_adam_other_t", _adam_other_t, "exact", ("t_used", "t")),
    ("minibatch_slicing", ("random_mini_batches",), "hints.opt_batches_from_zero", _same_as_first_batch, "exact"),
    ("adam_second_moment", ("update_parameters_with_adam",), "hints.opt_adam_s_not_squared", _s_of_raw_gradient, "exact"),
    ("wrong_formula", ("update_lr",), "hints.opt_update_lr_formula", _another_decay, "weak"),
    ("wrong_formula", ("schedule_lr_decay",), "hints.opt_schedule_formula", _another_decay, "weak"),
)
