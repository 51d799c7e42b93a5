"""The course's code for planar data classification, self-contained (numpy only): planar_utils' helpers,
and the eight graded functions with a ``bug`` switch per classic mistake (``bug=None``: the right one).

Seeds as the notebooks have them: ``initialize_parameters`` alone is the draw after ``np.random.seed(2)``
(the 2017–20 function seeds itself; the 2021+ test cell seeds before calling it); ``nn_model`` is the
2021+ edition (``np.random.seed(3)``, then the parameters drawn from that stream)."""

import numpy as np


# --- planar_utils --------------------------------------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def load_planar_dataset():
    """The notebook's flower: 400 points of two petals' colours, X (2, 400), Y (1, 400)."""
    rs = np.random.RandomState(1)
    m, N, D, a = 400, 200, 2, 4
    X, Y = np.zeros((m, D)), np.zeros((m, 1), dtype="uint8")
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rs.randn(N) * 0.2
        r = a * np.sin(4 * t) + rs.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def load_extra_datasets():
    """Stand-in for the sklearn datasets (noisy circles, moons, blobs, ...): five small two-class sets."""
    rs = np.random.RandomState(2)
    sets = []
    for _ in range(5):
        X = rs.randn(200, 2)
        sets.append((X, (X[:, 0] * X[:, 1] > 0).astype(int)))
    return tuple(sets)


def plot_decision_boundary(model, X, y):
    """Plots nothing here: the checker has no screen."""
    return None


# --- the graded functions ----------------------------------------------------------------------------

def layer_sizes(X, Y, bug=None):
    n_x = 2 if bug == "planar_sizes_hard_coded" else X.shape[0]
    return (n_x, 4, Y.shape[0])


def initialize_parameters(n_x, n_h, n_y, bug=None, reseed=True):
    if reseed:
        np.random.seed(2)  # the 2017–20 function's seed, and the 2021+ test cell's
    scale = 1.0 if bug == "planar_init_no_scale" else 0.01
    W1 = np.random.randn(n_h, n_x) * scale
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * scale
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, parameters, bug=None):
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    Z1 = np.dot(W1, X) + (0 if bug == "planar_forward_no_b1" else b1)
    A1 = sigmoid(Z1) if bug == "planar_forward_sigmoid_hidden" else np.tanh(Z1)
    Z2 = np.dot(W2, A1) + (0 if bug == "planar_forward_no_b2" else b2)
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y, parameters=None, bug=None):
    m = Y.shape[1]
    if bug == "planar_cost_first_term_only":
        logprobs = np.multiply(np.log(A2), Y)
    else:
        logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = -np.sum(logprobs) / m
    return float(np.squeeze(cost))


def backward_propagation(parameters, cache, X, Y, bug=None):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = 1 / m * np.dot(dZ2, A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    if bug == "planar_tanh_derivative_linear":
        derivative = 1 - A1
    elif bug == "planar_tanh_derivative_sigmoid":
        derivative = A1 * (1 - A1)
    else:
        derivative = 1 - np.power(A1, 2)
    dZ1 = np.dot(W2.T, dZ2) * derivative
    dW1 = 1 / m * np.dot(dZ1, X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2, bug=None):
    if bug == "planar_update_notebook_rate":
        learning_rate = 1.2
    sign = -1 if bug == "planar_update_sign" else 1
    return {k: parameters[k] - sign * learning_rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


OLDER = "_2017"  # a mistake's name with this ending: the same mistake in the 2017–20 nn_model (initialize_parameters re-seeds with 2)


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, bug=None):
    older = bool(bug) and bug.endswith(OLDER)
    bug = bug[:-len(OLDER)] if older else bug
    np.random.seed(3)
    n_x, hidden, n_y = layer_sizes(X, Y, bug=bug)
    if bug == "planar_model_n_h_from_layer_sizes":
        n_h = hidden
    parameters = initialize_parameters(n_x, n_h, n_y, bug=bug, reseed=older)  # the 2021+ edition: the seed-3 stream
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters, bug=bug)
        cost = compute_cost(A2, Y, parameters, bug=bug)
        grads = backward_propagation(parameters, cache, X, Y, bug=bug)
        parameters = update_parameters(parameters, grads, bug=bug)  # (the notebook prints the cost every 1000 if print_cost)
    return parameters


def predict(parameters, X, bug=None):
    A2, cache = forward_propagation(X, parameters, bug=bug)
    if bug == "planar_predict_probabilities":
        return A2
    return A2 > 0.5
