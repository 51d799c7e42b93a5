"""The course's code for the application notebook, self-contained (numpy only): dnn_app_utils_v3 (which
the student's models call), and the two models with a ``bug`` switch per classic mistake."""

import numpy as np

# --- dnn_app_utils_v3, as the course gives it --------------------------------------------------------


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    return np.maximum(0, Z), Z


def relu_backward(dA, cache):
    dZ = np.array(dA, copy=True)
    dZ[cache <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)


def load_data():
    rs = np.random.RandomState(1)
    train_x = rs.randint(0, 255, (6, 4, 4, 3)).astype(np.uint8)
    test_x = rs.randint(0, 255, (2, 4, 4, 3)).astype(np.uint8)
    return train_x, (rs.rand(1, 6) > 0.5).astype(int), test_x, (rs.rand(1, 2) > 0.5).astype(int), np.array([b"non-cat", b"cat"])


def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):  # noqa: E741
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    return W.dot(A) + b, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):  # noqa: E741
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (1.0 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    return np.squeeze(cost)


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), 1.0 / m * np.dot(dZ, A_prev.T), 1.0 / m * np.sum(dZ, axis=1, keepdims=True)


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = sigmoid_backward(dA, activation_cache) if activation == "sigmoid" else relu_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):  # noqa: E741
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = dA_prev, dW, db
    return grads


def _L_model_backward_skipping_relu(AL, Y, caches):
    """L_model_backward whose hidden layers go through linear_backward alone (relu_backward skipped: dZ = dA), as a
    file's own copy of the helper with that slip computes it (a mutant's; not one of the helper module's names)."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):  # noqa: E741
        dA_prev, dW, db = linear_backward(grads["dA" + str(l + 1)], caches[l][0])
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = dA_prev, dW, db
    return grads


def update_parameters(parameters, grads, learning_rate):
    parameters = dict(parameters)
    L = len(parameters) // 2
    for l in range(L):  # noqa: E741
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


def predict(X, y, parameters):
    probas, _ = L_model_forward(X, parameters)
    return (probas > 0.5).astype(float)


def print_mislabeled_images(*args, **kwargs):
    return None


# --- the graded models ------------------------------------------------------------------------------------


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, bug=None):
    np.random.seed(1)
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, 7 if bug == "app_hidden_size_7" else n_h, n_y)
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    rate = 0.0075 if bug == "app_notebook_rate" else learning_rate
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, W1, b1, "sigmoid" if bug == "app_hidden_sigmoid" else "relu")
        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        if bug == "app_dA2_sign":
            dA2 = -dA2
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        if bug == "app_relu_derivative_skipped":  # relu_backward skipped: dZ1 = dA1
            dA0, dW1, db1 = linear_backward(dA1, cache1[0])
        else:
            dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, rate)
        if bug != "app_stale_weights":
            W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, bug=None):
    np.random.seed(1)
    costs = []
    if bug == "app_two_layer_initializer":
        parameters = initialize_parameters(layers_dims[0], layers_dims[1], layers_dims[-1])
    else:
        parameters = initialize_parameters_deep(layers_dims)
    rate = 0.0075 if bug == "app_notebook_rate" else learning_rate
    for i in range(num_iterations - 1 if bug == "app_one_iteration_short" else num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        if bug == "app_L_relu_derivative_skipped":
            grads = _L_model_backward_skipping_relu(AL, Y, caches)
        else:
            grads = L_model_backward(Y, AL, caches) if bug == "app_backward_arguments_swapped" else L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, rate)
        if i % 100 == 0 or bug == "app_costs_every_iteration":
            costs.append(cost)
    return parameters, costs
