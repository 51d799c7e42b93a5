"""The regularization assignment's hint rules that read the numbers: the L2 part of the cost and of each dW,
and the dropout masks in the backward pass. Each is (id, functions, message id, detect, strength)."""

_COST = ("compute_cost_with_regularization",)
_BACKWARD = ("backward_propagation_with_regularization",)


def _l2_parts(e):
    """(the student's L2 part, λ/(2m), the layers' W) of a cost case, or None: the cross-entropy is the
    reference's minus its (λ/2m)·Σ‖W‖², so what the student added on top of it is read off exactly."""
    import numpy as np

    if e.s is None or e.r is None or e.s.size != 1 or len(e.case.args) < 4 or not isinstance(e.case.args[2], dict):
        return None
    _, Y, parameters, lambd = e.case.args[:4]
    m = np.shape(Y)[1]
    W = [np.asarray(parameters[k], dtype=float) for k in sorted(parameters) if k.startswith("W")]
    factor = lambd / (2 * m)
    cross_entropy = float(e.r) - factor * sum(np.sum(w ** 2) for w in W)
    return float(e.s) - cross_entropy, factor, W


def _l2_not_squared(e) -> bool:
    """Σ‖W‖ (np.linalg.norm, a norm not squared), Σ|W| or ΣW in place of ΣW²."""
    import numpy as np

    parts = _l2_parts(e)
    if parts is None:
        return False
    l2, factor, W = parts
    candidates = (sum(np.linalg.norm(w) for w in W), sum(np.sum(np.abs(w)) for w in W), sum(np.sum(w) for w in W))
    return any(np.isclose(l2, factor * c, rtol=1e-6, atol=1e-12) for c in candidates)


def _l2_missing_layer(e) -> bool:
    """The L2 part of every layer but one."""
    import numpy as np

    parts = _l2_parts(e)
    if parts is None or len(parts[2]) < 2:
        return False
    l2, factor, W = parts
    total = sum(np.sum(w ** 2) for w in W)
    return any(np.isclose(l2, factor * (total - np.sum(w ** 2)), rtol=1e-6, atol=1e-12) for w in W)


def _l2_scaled(e) -> bool:
    """The L2 part of the right weights with one of the classic wrong factors where λ/(2m) belongs: λ/m, λ/2,
    λ, λ/(4m), λ/(2m²). A cost is one number: any value is some factor times the right one, so only these
    say anything."""
    import numpy as np

    parts = _l2_parts(e)
    if parts is None:
        return False
    l2, factor, W = parts
    right = factor * sum(np.sum(w ** 2) for w in W)
    m = np.shape(e.case.args[1])[1]
    ratios = {2.0, float(m), 2.0 * m, 0.5, 1.0 / m} - {1.0}
    return bool(right) and any(np.isclose(l2, k * right, rtol=1e-6, atol=1e-12) for k in ratios)


def _weights_of(e):
    """The W whose gradient the evidence is (dW2 -> W2), from the case's cache: the array of dW's shape."""
    import numpy as np

    if not (e.tensor or "").startswith("dW") or e.s is None or e.r is None or e.s.shape != e.r.shape:
        return None
    cache = e.case.args[2] if len(e.case.args) > 2 else ()
    layer = e.tensor[2:]
    weights = [np.asarray(a, dtype=float) for a in cache if np.shape(a) == e.r.shape]
    # the course's 12-tuple holds W1 at 2, W2 at 6, W3 at 10: take that one when the shape is ambiguous
    if layer.isdigit() and len(cache) >= 4 * int(layer) - 1 and np.shape(cache[4 * int(layer) - 2]) == e.r.shape:
        return np.asarray(cache[4 * int(layer) - 2], dtype=float)
    return weights[0] if len(weights) == 1 else None


def _l2_gradient_ratio(e):
    """k when the student's dW minus the reference's is k·(λ/m)·W (k = -1: the L2 term left out), else None."""
    import numpy as np

    W = _weights_of(e)
    if W is None or not np.any(W) or len(e.case.args) < 4:
        return None
    X, lambd = e.case.args[0], e.case.args[3]
    step = lambd / np.shape(X)[1] * W
    difference = e.s - e.r
    if not np.any(np.abs(difference) > 1e-12):
        return None
    flat = int(np.argmax(np.abs(step)))
    k = float(difference.flat[flat] / step.flat[flat])
    return k if np.allclose(difference, k * step, rtol=1e-6, atol=1e-12) else None


def _l2_gradient_missing(e) -> bool:
    k = _l2_gradient_ratio(e)
    return k is not None and abs(k + 1) < 1e-6


def _l2_gradient_scaled(e) -> bool:
    """The L2 term with the ½ of the cost kept (λ/2m), doubled, without its 1/m, or with 1/m twice."""
    k = _l2_gradient_ratio(e)
    if k is None:
        return False
    m = len(e.case.args) and e.case.args[0].shape[1]
    return any(abs((k + 1) - c) < 1e-6 * max(1.0, c) for c in (0.5, 2.0, float(m), 1.0 / m) if c != 1.0)


def _l2_with_biases(e) -> bool:
    """The L2 part of every W and every b: the biases penalised too (a loop over all of parameters' values)."""
    import numpy as np

    parts = _l2_parts(e)
    if parts is None:
        return False
    l2, factor, W = parts
    biases = [np.asarray(v, dtype=float) for k, v in e.case.args[2].items() if k.startswith("b")]
    extra = sum(np.sum(b ** 2) for b in biases)
    return bool(extra) and bool(np.isclose(l2, factor * (sum(np.sum(w ** 2) for w in W) + extra), rtol=1e-6, atol=1e-12))


def _cached(e, letter):
    """The case's W[l] or b[l] (letter "W" or "b") of the gradient's layer (dW2 -> W2, db2 -> b2), from the
    course's 12-tuple cache (Z1, A1, W1, b1, Z2, ...), or None."""
    import numpy as np

    layer = (e.tensor or "")[2:]
    cache = e.case.args[2] if len(e.case.args) > 2 else ()
    if not layer.isdigit() or not isinstance(cache, (tuple, list)):
        return None
    index = 4 * int(layer) - (2 if letter == "W" else 1)
    if index >= len(cache) or e.r is None or np.shape(cache[index]) != e.r.shape:
        return None
    return np.asarray(cache[index], dtype=float)


def _extra_by(e, candidates) -> bool:
    """The student's value minus the reference's is exactly one of ``candidates`` (each non-zero)."""
    import numpy as np

    if e.s is None or e.r is None or e.s.shape != e.r.shape:
        return False
    difference = e.s - e.r
    if not np.any(np.abs(difference) > 1e-12):
        return False
    return any(np.any(c) and np.allclose(difference, c, rtol=1e-6, atol=1e-12) for c in candidates)


def _l2_gradient_of_square(e) -> bool:
    """dW[l] with (λ/m)·W², (λ/2m)·W² or λ·W² where (λ/m)·W belongs: the cost's square kept in its derivative."""
    W = _cached(e, "W") if (e.tensor or "").startswith("dW") else None
    if W is None or len(e.case.args) < 4:
        return False
    lambd, m = e.case.args[3], e.case.args[0].shape[1]
    right = lambd / m * W
    return _extra_by(e, [c * W ** 2 - right for c in (lambd / m, lambd / (2 * m), lambd)])


def _l2_gradient_in_db(e) -> bool:
    """db[l] with an L2 term of b ((λ/m)·b, λ/(2m)·b, λ·b): the biases are not regularized."""
    b = _cached(e, "b") if (e.tensor or "").startswith("db") else None
    if b is None or len(e.case.args) < 4:
        return False
    lambd, m = e.case.args[3], e.case.args[0].shape[1]
    return _extra_by(e, [c * b for c in (lambd / m, lambd / (2 * m), lambd)])


def _mask_not_applied(e) -> bool:
    """dA[l] of the dropout backward right where the unit was kept and not zero where it was dropped: the mask
    D[l] of the forward pass is not applied (the /keep_prob may be there or not)."""
    import numpy as np

    if not (e.tensor or "").startswith("dA") or e.s is None or e.r is None or e.s.shape != e.r.shape:
        return False
    keep_prob = e.case.args[3] if len(e.case.args) > 3 else None
    dropped = e.r == 0
    if not dropped.any() or dropped.all() or not np.any(e.s[dropped] != 0) or not keep_prob:
        return False
    kept_s, kept_r = e.s[~dropped], e.r[~dropped]
    return bool(np.allclose(kept_s, kept_r, rtol=1e-6, atol=1e-12) or np.allclose(kept_s, kept_r * keep_prob, rtol=1e-6, atol=1e-12))


SEEDS = (0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42)  # seeds students type instead of the notebook's 1


def _dropout_other_seed(e):
    """A3 of the dropout forward is what the notebook's masks give after another np.random.seed than 1 (0, 3,
    42, ...): the masks are right in kind and come from the wrong seed. {seed_used} names it."""
    import numpy as np

    from shapecheck.engine import dropout

    if e.tensor != "A3" or e.s is None or e.r is None or e.s.shape != e.r.shape or len(e.case.args) < 2 \
            or np.allclose(e.s, e.r, rtol=1e-6, atol=1e-12):
        return False  # (a seed whose masks equal the notebook's, keep_prob = 1, says nothing)
    X, parameters = e.case.args[:2]
    keep_prob = e.case.args[2] if len(e.case.args) > 2 else 0.5
    units = (np.shape(parameters["W1"])[0] + np.shape(parameters["W2"])[0]) * np.shape(X)[1]
    if units < 20:
        return False  # so few mask entries that another mistake's masks may equal some seed's by chance
    for seed in SEEDS:
        A3, _ = dropout.forward_with_seed(X, parameters, keep_prob, seed)
        if np.allclose(e.s, A3, rtol=1e-6, atol=1e-12):
            return {"seed_used": seed}
    return False


def _data_term_factor(e) -> float | None:
    """k when the student's dW is k times the reference's cross-entropy part, (1/m)·dZ·Aᵀ, plus the right L2 part
    (λ/m)·W; else None. The L2 part is read off the cache's W and the case's λ."""
    import numpy as np

    W = _weights_of(e)
    if W is None or len(e.case.args) < 4 or np.ndim(e.case.args[0]) != 2:
        return None
    m, lambd = np.shape(e.case.args[0])[1], float(e.case.args[3])
    l2 = lambd / m * W
    yours, right = e.s - l2, e.r - l2
    if m < 2 or not np.any(right) or np.allclose(yours, right, rtol=1e-6, atol=1e-12):
        return None
    for k in (1.0 / m, float(m)):
        if np.allclose(yours, k * right, rtol=1e-6, atol=1e-12 * max(1.0, float(np.max(np.abs(e.r))))):
            return k
    return None


def _data_term_twice(e) -> bool:
    """dW = (1/m)·dZ·Aᵀ / m + (λ/m)·W: the cross-entropy's part divided by m twice, the L2 part right."""
    k, m = _data_term_factor(e), e.m or 0
    return k is not None and m > 1 and k < 1


def _data_term_unaveraged(e) -> bool:
    """dW = dZ·Aᵀ + (λ/m)·W: the cross-entropy's part without its 1/m, the L2 part right."""
    k = _data_term_factor(e)
    return k is not None and k > 1


HINT_RULES = (
    ("missing_seed", ("forward_propagation_with_dropout",), "hints.reg_dropout_other_seed", _dropout_other_seed, "exact",
     ("seed_used",)),
    ("l2_not_squared", _COST, "hints.reg_l2_not_squared", _l2_not_squared, "exact"),
    ("missing_term", _COST, "hints.reg_l2_missing_layer", _l2_missing_layer, "exact"),
    ("l2_factor", _COST, "hints.reg_l2_scaled", _l2_scaled, "weak"),
    ("missing_term", _BACKWARD, "hints.reg_l2_gradient_missing", _l2_gradient_missing, "exact"),
    ("l2_factor", _BACKWARD, "hints.reg_l2_gradient_scaled", _l2_gradient_scaled, "exact"),
    ("l2_gradient_squared", _BACKWARD, "hints.reg_l2_gradient_squared", _l2_gradient_of_square, "exact"),
    ("missing_1_over_m", _BACKWARD, "hints.reg_data_term_twice", _data_term_twice, "exact"),
    ("missing_1_over_m", _BACKWARD, "hints.reg_data_term_unaveraged", _data_term_unaveraged, "exact"),
    ("extra_term", _COST, "hints.reg_l2_biases", _l2_with_biases, "exact"),
    ("extra_term", _BACKWARD, "hints.reg_l2_gradient_in_db", _l2_gradient_in_db, "exact"),
    ("mask_not_applied", ("backward_propagation_with_dropout",), "hints.reg_mask_not_applied", _mask_not_applied, "exact"),
)
