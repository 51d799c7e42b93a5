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


HINT_RULES = (
    ("minibatch_slicing", ("random_mini_batches",), "hints.opt_batches_from_zero", _same_as_first_batch, "exact"),
    ("adam_second_moment", ("update_parameters_with_adam",), "hints.opt_adam_s_not_squared", _s_of_raw_gradient, "exact"),
    ("wrong_formula", ("update_lr",), "hints.opt_update_lr_formula", _another_decay, "weak"),
    ("wrong_formula", ("schedule_lr_decay",), "hints.opt_schedule_formula", _another_decay, "weak"),
)
