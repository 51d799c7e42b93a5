"""The character-level RNN of the Dinosaurus notebook (course 5, week 1): its utils and ``optimize``.

One example is a list of character indices; X = [None] + indices (None: the first input is zeros),
Y = indices + [index of "\\n"]. Per step t, with one-hot x⟨t⟩ (vocab_size, 1):

    a⟨t⟩ = tanh(Wax·x⟨t⟩ + Waa·a⟨t−1⟩ + b)      ŷ⟨t⟩ = softmax(Wya·a⟨t⟩ + by)
    loss = −Σ_t log ŷ⟨t⟩[Y[t]]

Parameters: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1). Gradients
``dWax, dWaa, dWya, db, dby`` (and ``da_next``) accumulate over the steps, as utils.py writes them.
"""

from __future__ import annotations

import numpy as np

from shapecheck.engine.clipping import clip

PARAMETERS = ("Wax", "Waa", "Wya", "b", "by")


def softmax(x):
    """e^(x − max x) / Σ e^(x − max x) over axis 0 (utils.py subtracts the overall max)."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)


def initialize_parameters(n_a, n_x, n_y):
    """utils.py's start: ``np.random.seed(1)``, Wax, Waa, Wya = randn·0.01 in that order, zero biases."""
    rng = np.random.RandomState(1)
    Wax = rng.randn(n_a, n_x) * 0.01
    Waa = rng.randn(n_a, n_a) * 0.01
    Wya = rng.randn(n_y, n_a) * 0.01
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": np.zeros((n_a, 1)), "by": np.zeros((n_y, 1))}


def rnn_step_forward(parameters, a_prev, x):
    """(a_next, p_t): one step of the cell."""
    a_next = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])  # (n_a, 1)
    return a_next, softmax(parameters["Wya"] @ a_next + parameters["by"])  # (n_y, 1)


def rnn_forward(X, Y, a0, parameters, vocab_size=27):
    """(loss, cache = (y_hat, a, x)); a[-1] is a0, x[t] the one-hot input (zeros for None)."""
    x, a, y_hat = {}, {}, {}
    a[-1] = np.array(a0, dtype=np.float64)
    loss = 0.0
    for t in range(len(X)):
        x[t] = np.zeros((vocab_size, 1))
        if X[t] is not None:
            x[t][X[t]] = 1
        a[t], y_hat[t] = rnn_step_forward(parameters, a[t - 1], x[t])
        loss -= float(np.log(y_hat[t][Y[t], 0]))
    return loss, (y_hat, a, x)


def rnn_step_backward(dy, gradients, parameters, x, a, a_prev):
    """Adds one step's share to the gradients; ``da_next`` carries the gradient to the step before."""
    gradients["dWya"] += dy @ a.T
    gradients["dby"] += dy
    da = parameters["Wya"].T @ dy + gradients["da_next"]  # (n_a, 1)
    daraw = (1 - a * a) * da  # tanh' = 1 − a²
    gradients["db"] += daraw
    gradients["dWax"] += daraw @ x.T
    gradients["dWaa"] += daraw @ a_prev.T
    gradients["da_next"] = parameters["Waa"].T @ daraw
    return gradients


def rnn_backward(X, Y, parameters, cache):
    """(gradients, a): dŷ⟨t⟩ = ŷ⟨t⟩ − onehot(Y[t]), accumulated from the last step back."""
    y_hat, a, x = cache
    gradients = {f"d{k}": np.zeros_like(np.asarray(parameters[k], np.float64)) for k in PARAMETERS}
    gradients["da_next"] = np.zeros_like(a[0])
    for t in reversed(range(len(X))):
        dy = np.copy(y_hat[t])
        dy[Y[t]] -= 1
        gradients = rnn_step_backward(dy, gradients, parameters, x[t], a[t], a[t - 1])
    return gradients, a


def update_parameters(parameters, gradients, lr):
    """θ ← θ − lr·dθ, in a new dict (utils.py updates in place with ``+=``)."""
    return {k: parameters[k] - lr * gradients[f"d{k}"] for k in PARAMETERS}


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    """One step of training: forward, backward, clip at 5, update. (loss, gradients, a[len(X) − 1])."""
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    parameters.update(update_parameters(parameters, gradients, learning_rate))  # the notebook's caller sees them
    return loss, gradients, a[len(X) - 1]
