"""The L-layer network of the course, forward and backward, in float64 (examples are columns).

    import shapecheck as sc
    spec = sc.dense_net([12288, 20, 7, 5, 1])              # (LINEAR->RELU)x3 -> LINEAR->SIGMOID
    params = sc.init_params(spec, seed=0)
    AL, caches = sc.forward(spec, params, X)               # X (n0, m)
    grads = sc.backward(spec, AL, Y, caches)               # dA0..dA{L-1}, dW1..dWL, db1..dbL
    params = sc.update_params(params, grads, 0.0075)

Before any math, ``forward`` and ``backward`` check X, Y and the parameters with the tracer's rules,
so a wrong shape is explained by the rule it breaks, never by numpy's broadcasting message.

``grads`` has exactly the course's keys: ``dA{l-1}``, ``dW{l}``, ``db{l}`` for l = 1..L. dA[L] itself
is not returned: for sigmoid + binary cross-entropy and softmax + categorical cross-entropy we
start from dZ[L] = A[L] − Y, which is exact and never divides by A (dA[L] = −Y/A + ... is huge
when the output saturates). As in the course, dA has no 1/m (it is m·∂J/∂A); dW and db are ∂J/∂W, ∂J/∂b.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from shapecheck.validate.params import refuse_masked, require_valid  # the tracer's rules: one sentence for the first problem
from shapecheck.engine import losses
from shapecheck.engine.activations import activation_backward, activation_forward
from shapecheck.engine.init import as_dense_net, init_params
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.spec.networks import DenseNet

__all__ = ["init_params", "forward", "backward", "compute_cost", "update_params", "train", "predict"]

Params = dict[str, np.ndarray]
Cache = tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # ((A_prev, W, b), Z)


def _float64(array) -> np.ndarray:
    return np.asarray(array, dtype=np.float64)  # no copy when it already is float64


# --- forward ------------------------------------------------------------------------------------


def linear_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Z[l] = W[l]·A[l-1] + b[l]."""
    Z = W @ A_prev  # (n[l], m)
    Z += b  # b (n[l], 1) broadcasts over the m columns; in place: Z is ours
    return Z


def _forward(spec: DenseNet, params: Params, X: np.ndarray) -> tuple[np.ndarray, list[Cache]]:
    A = _float64(X)  # A[0] = X, (n[0], m)
    caches: list[Cache] = []
    for l, g in enumerate(spec.activations, start=1):  # noqa: E741 - the course's index
        W, b = _float64(params[f"W{l}"]), _float64(params[f"b{l}"])
        Z = linear_forward(A, W, b)  # (n[l], m)
        caches.append(((A, W, b), Z))  # the course's (linear_cache, activation_cache)
        A = activation_forward(g, Z)  # (n[l], m)
    return A, caches


def forward(spec: DenseNet | Sequence[int], params: Params, X: np.ndarray) -> tuple[np.ndarray, list[Cache]]:
    """A[L] and the caches: for l = 1..L, Z[l] = W[l]·A[l-1] + b[l], A[l] = g[l](Z[l]).

    ``caches[l-1] = ((A_prev, W, b), Z)``, the course's (linear_cache, activation_cache).

    >>> spec = [3, 4, 1]; X = np.ones((3, 5))  # a list means dense_net([3, 4, 1])
    >>> AL, caches = forward(spec, init_params(spec), X)
    >>> AL.shape, len(caches)
    ((1, 5), 2)
    """
    spec = as_dense_net(spec)
    require_valid(spec, params=params, X=X)
    return _forward(spec, params, X)


# --- cost ------------------------------------------------------------------------------------------


def compute_cost(AL: np.ndarray, Y: np.ndarray, loss: str = losses.BCE, ZL: np.ndarray | None = None) -> float:
    """The cost J over m examples; by default the course's J = −(1/m)·Σ [Y·log(AL) + (1−Y)·log(1−AL)].

    ``loss``: "binary_cross_entropy", "categorical_cross_entropy" or "mean_squared_error",
    J = (1/(2m))·Σ (AL − Y)² (see ``shapecheck.engine.losses``). From AL, log never sees 0 (AL is
    clipped into [2.2e-308, 1 − 2⁻⁵³]). Give ``ZL`` (the output layer's Z, ``caches[-1][1]``) when AL
    is σ(ZL) for binary or softmax(ZL) for categorical cross-entropy: J then comes from ZL by
    log-sum-exp and is exact even when the output saturates (|z| > 37).

    >>> round(compute_cost(np.array([[0.8, 0.1]]), np.array([[1.0, 0.0]])), 6)  # −(log 0.8 + log 0.9) / 2
    0.164252
    """
    refuse_masked(AL=AL, Y=Y, ZL=ZL)                               # (np.asarray would drop a mask without a word)
    AL, Y = _float64(AL), _float64(Y)
    loss = losses.canonical(loss)
    if AL.shape != Y.shape:  # (1, m) against (m, 1) would broadcast silently into (m, m)
        raise ShapecheckError("engine.cost_shapes", actual=Y.shape, expected=AL.shape, rule=msg("rules.Y"))
    if ZL is not None and loss != losses.MSE:
        return losses.cost_from_logits(loss, _float64(ZL), Y)
    return losses.cost(loss, AL, Y)


# --- backward -------------------------------------------------------------------------------------


class BackwardSteps:
    """The steps of L_model_backward a classic mistake can change, each with the course's formula.

    ``backward`` runs these; ``gradients/bugs.py`` overrides one step to inject a mistake
    (``shapecheck gradcheck --bug``), so a mistake is a parameter of this backward, never a copy of it.
    """

    def output_dZ(self, output: str, loss: str, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray) -> np.ndarray:  # noqa: N803
        """dZ[L]: A[L] − Y for the natural pairs, else dA[L] ∗ g'[L](Z[L])."""
        dZ = losses.output_delta(output, loss, AL, Y)  # dZ[L] = A[L] − Y for the natural pairs
        if dZ is None:
            dAL = losses.loss_derivative(loss, AL, Y)  # (n[L], m), no 1/m
            dZ = activation_backward(output, dAL, ZL, AL)
        return dZ

    def hidden_dZ(self, g: str, dA: np.ndarray, Z: np.ndarray, A: np.ndarray) -> np.ndarray:  # noqa: N803
        """dZ[l] = dA[l] ∗ g'[l](Z[l]); A[l] = g[l](Z[l]) is the next layer's A_prev, not recomputed."""
        return activation_backward(g, dA, Z, A)  # (n[l], m)

    def dW(self, dZ: np.ndarray, A_prev: np.ndarray, A: np.ndarray | None = None) -> np.ndarray:  # noqa: N802, N803
        """dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ (``A``, the layer's own output, is what one mistake takes instead)."""
        m = A_prev.shape[1]
        return (1 / m) * (dZ @ A_prev.T)  # (n[l], n[l-1]); A_prev.T is a view, BLAS reads it transposed

    def db(self, dZ: np.ndarray) -> np.ndarray:
        """db[l] = (1/m)·Σ dZ[l] over the examples (axis 1), kept a column."""
        m = dZ.shape[1]
        return (1 / m) * np.sum(dZ, axis=1, keepdims=True)  # (n[l], 1)


COURSE_STEPS = BackwardSteps()


def linear_backward(
    dZ: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray], need_dA_prev: bool = True,
    steps: BackwardSteps = COURSE_STEPS, A: np.ndarray | None = None,  # noqa: N803
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ dZ over examples, dA_prev = Wᵀ·dZ (None when not needed)."""
    A_prev, W, b = cache
    dA_prev = W.T @ dZ if need_dA_prev else None  # (n[l-1], m)
    return dA_prev, steps.dW(dZ, A_prev, A), steps.db(dZ)


def _backward(
    spec: DenseNet, AL: np.ndarray, Y: np.ndarray, caches: Sequence[Cache], loss: str, with_dA0: bool = True,  # noqa: N803
    steps: BackwardSteps = COURSE_STEPS,
) -> dict[str, np.ndarray]:
    L = spec.L
    dZ = steps.output_dZ(spec.activations[-1], loss, AL, Y, caches[L - 1][1])
    grads: dict[str, np.ndarray] = {}
    for l in range(L, 0, -1):  # noqa: E741 - the course's index
        linear_cache, Z = caches[l - 1]
        A = caches[l][0][0] if l < L else AL  # A[l], the next layer's A_prev
        if l < L:  # dA is dA[l], from the layer above
            dZ = steps.hidden_dZ(spec.activations[l - 1], dA, Z, A)  # (n[l], m)
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, linear_cache, l > 1 or with_dA0, steps, A)
        if dA is not None:
            grads[f"dA{l - 1}"] = dA  # (n[l-1], m)
    return grads


def backward(
    spec: DenseNet | Sequence[int],
    AL: np.ndarray,
    Y: np.ndarray,
    caches: Sequence[Cache],
    loss: str | None = None,
    with_dA0: bool = True,  # noqa: N803
) -> dict[str, np.ndarray]:
    """The gradients of J, the course's L_model_backward: keys dA{l-1}, dW{l}, db{l} for l = 1..L.

    ``with_dA0=False`` leaves out dA0 = W1ᵀ·dZ1, the gradient with respect to X: nothing learns from
    it, and for a wide input it costs as much as the first layer's forward product.

    ``loss`` defaults to the output activation's own: sigmoid → binary cross-entropy, softmax →
    categorical cross-entropy, linear (and tanh, relu, leaky_relu) → mean squared error.

    >>> spec = [3, 4, 1]; X = np.ones((3, 5)); Y = np.ones((1, 5))
    >>> AL, caches = forward(spec, init_params(spec), X)
    >>> sorted(backward(spec, AL, Y, caches))
    ['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']
    """
    spec = as_dense_net(spec)
    if len(caches) != spec.L:
        raise ShapecheckError("engine.caches_length", count=len(caches), L=spec.L)
    params = {}
    for l, ((_, W, b), _) in enumerate(caches, start=1):  # noqa: E741
        params[f"W{l}"], params[f"b{l}"] = W, b
    require_valid(spec, params=params, X=caches[0][0][0], Y=Y)
    refuse_masked(AL=AL)                                          # (the rules above do not see AL)
    loss = losses.resolve_loss(loss, spec.activations[-1])
    AL_shape, Y_shape = np.shape(AL), np.shape(Y)
    if AL_shape != Y_shape:  # the tracer has checked Y; AL must match it element for element
        raise ShapecheckError("engine.al_shape", actual=AL_shape, expected=Y_shape, rule=msg("rules.A"))
    return _backward(spec, _float64(AL), _float64(Y), caches, loss, with_dA0)


# --- learning ---------------------------------------------------------------------------------------


def update_params(params: Params, grads: dict[str, np.ndarray], learning_rate: float) -> Params:
    """A new dict with W[l] − α·dW[l] and b[l] − α·db[l]; ``params`` is left as it was.

    >>> update_params({"W1": np.ones((2, 1))}, {"dW1": np.ones((2, 1))}, 0.5)["W1"].ravel()
    array([0.5, 0.5])
    """
    new: Params = {}
    for name, value in params.items():
        grad_name = "d" + name
        if grad_name not in grads:
            raise ShapecheckError("engine.missing_grad", grad=grad_name, name=name)
        grad = grads[grad_name]
        refuse_masked(**{name: value, grad_name: grad})
        if np.shape(grad) != np.shape(value):
            # a rank-1 db (n,) against b (n, 1) would broadcast b − α·db into an (n, n) matrix
            rule = msg("rules.db" if name.startswith("b") else "rules.dW")
            raise ShapecheckError("engine.grad_shape", grad=grad_name, name=name, actual=np.shape(grad), expected=np.shape(value), rule=rule)
        new[name] = value - learning_rate * grad
    return new


def _check_count(name: str, value: object, least: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
        raise ShapecheckError("engine.bad_count", name=name, value=value, least=least)
    return int(value)


def train(
    spec: DenseNet | Sequence[int],
    X: np.ndarray,
    Y: np.ndarray,
    learning_rate: float = 0.0075,
    iterations: int = 3000,
    print_every: int = 100,
    seed: int | None = 0,
    init: str = "course",
    callback: Callable[[int, float], None] | None = None,
    loss: str | None = None,
    print_cost: bool = False,
) -> tuple[Params, list[float]]:
    """The course's L_layer_model: gradient descent for ``iterations`` steps from ``init_params(spec, seed, init)``.

    ``costs`` holds J at iterations 0, print_every, 2·print_every, ... (before that iteration's
    update), as the course records them; ``callback(iteration, cost)`` is called at each of them.

    >>> from shapecheck.engine.data import make_flower
    >>> X, Y = make_flower(m=100)
    >>> params, costs = train([2, 4, 1], X, Y, learning_rate=1.2, iterations=500, init="xavier")
    >>> costs[-1] < costs[0]
    True
    """
    spec = as_dense_net(spec)
    learning_rate = float(learning_rate)
    if not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ShapecheckError("engine.bad_learning_rate", value=learning_rate)
    iterations = _check_count("iterations", iterations, 1)
    print_every = _check_count("print_every", print_every, 1)
    params = init_params(spec, seed=seed, method=init)
    require_valid(spec, params=params, X=X, Y=Y)  # once: the loop below cannot change a shape
    loss = losses.resolve_loss(loss, spec.activations[-1])
    X, Y = _float64(X), _float64(Y)
    costs: list[float] = []
    for i in range(iterations):
        AL, caches = _forward(spec, params, X)
        if i % print_every == 0:
            cost = losses.training_cost(spec.activations[-1], loss, AL, Y, caches[-1][1])
            costs.append(cost)
            if print_cost:
                print(msg("engine.cost_after", iteration=i, cost=cost))
            if callback is not None:
                callback(i, cost)
        grads = _backward(spec, AL, Y, caches, loss, with_dA0=False)  # X does not learn
        params = update_params(params, grads, learning_rate)
    return params, costs


def predict(spec: DenseNet | Sequence[int], params: Params, X: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Labels (n[L], m): A[L] > threshold for a sigmoid output, the one-hot argmax for softmax, A[L] otherwise."""
    spec = as_dense_net(spec)
    AL, _ = forward(spec, params, X)
    output = spec.activations[-1]
    if output == "sigmoid":
        return (AL > threshold).astype(np.float64)
    if output == "softmax":
        one_hot = np.zeros_like(AL)  # (n[L], m)
        one_hot[AL.argmax(axis=0), np.arange(AL.shape[1])] = 1.0
        return one_hot
    return AL
