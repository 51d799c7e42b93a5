# W3A1 planar classification, my own rewrite: @, dict comprehensions, helper sigmoid inline
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def layer_sizes(X, Y):
    return X.shape[0], 4, Y.shape[0]


def initialize_parameters(n_x, n_h, n_y):
    sizes = [n_x, n_h, n_y]
    parameters = {}
    for l in (1, 2):
        parameters[f"W{l}"] = np.random.randn(sizes[l], sizes[l - 1]) * 0.01
        parameters[f"b{l}"] = np.zeros((sizes[l], 1))
    return parameters


def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
    return float(cost.item())


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"] ** 2)
    return {
        "dW1": dZ1 @ X.T / m,
        "db1": dZ1.sum(axis=1, keepdims=True) / m,
        "dW2": cache["A1"] @ dZ2.T / m,
        "db2": dZ2.sum(axis=1, keepdims=True) / m,
    }


def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    np.random.seed(3)
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {compute_cost(A2, Y):f}")
    return parameters


def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(int)
