"""The course's code for logistic regression, self-contained (numpy only): lr_utils' loader, and the
six functions with a ``bug`` switch per classic mistake (``bug=None``: the right one)."""

import numpy as np


def load_dataset():
    """lr_utils.load_dataset, standing in: a few tiny random 'images' (the real one reads .h5 files)."""
    rs = np.random.RandomState(1)
    train_x = rs.randint(0, 255, (6, 4, 4, 3)).astype(np.uint8)
    test_x = rs.randint(0, 255, (2, 4, 4, 3)).astype(np.uint8)
    return train_x, (rs.rand(1, 6) > 0.5).astype(int), test_x, (rs.rand(1, 2) > 0.5).astype(int), np.array([b"non-cat", b"cat"])


def sigmoid(z, bug=None):
    return 1 / (1 + np.exp(z if bug == "lr_sigmoid_sign" else -z))


def initialize_with_zeros(dim, bug=None):
    if bug == "lr_init_rank1":
        return np.zeros(dim), 0.0
    if bug == "lr_init_row":
        return np.zeros((1, dim)), 0.0
    return np.zeros((dim, 1)), 0.0


def propagate(w, b, X, Y, bug=None):
    m = X.shape[1]
    if bug == "lr_bias_outside_sigmoid":
        A = sigmoid(np.dot(w.T, X)) + b
    else:
        A = sigmoid(np.dot(w.T, X) + b, bug)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    if bug == "lr_cost_no_minus":
        cost = -cost
    dw = np.dot(X, (A - Y).T) * (1 if bug == "lr_dw_no_1_over_m" else 1 / m)
    db = 1 / m * np.sum(A - Y)
    return {"dw": dw, "db": db}, float(np.squeeze(cost))


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False, bug=None):
    w = np.array(w, dtype=float)
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y, bug)
        dw, db = grads["dw"], grads["db"]
        if bug == "lr_update_sign":
            w = w + learning_rate * dw
        else:
            w = w - learning_rate * (db if bug == "lr_w_with_db" else dw)
        b = b - learning_rate * (dw if bug == "lr_b_with_dw" else db)
        if i % 100 == 0 or bug == "lr_costs_every_iteration":
            costs.append(cost)
    return {"w": w, "b": b}, {"dw": dw, "db": db}, costs


def predict(w, b, X, bug=None):
    m = X.shape[1]
    w = w.reshape(X.shape[0], 1)
    Z = np.dot(w.T, X) + b
    if bug == "lr_threshold_on_z":
        return (Z > 0.5).astype(float).reshape(1, m)
    return (sigmoid(Z, bug) > 0.5).astype(float).reshape(1, m)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False, bug=None):
    w, b = initialize_with_zeros(X_train.shape[0], bug)
    if bug == "lr_model_notebook_numbers":
        num_iterations, learning_rate = 2000, 0.005
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost, bug)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test, bug), "Y_prediction_train": predict(w, b, X_train, bug),
            "w": w, "b": b, "learning_rate": learning_rate if bug != "lr_model_notebook_numbers" else learning_rate,
            "num_iterations": num_iterations}
