"""The course's code for gradient checking, self-contained (numpy only): gc_utils, the graded functions
with a ``bug`` switch per classic mistake, and wrong backward functions that stand in for a student's
to see whether their gradient_check notices."""

import numpy as np

# --- gc_utils, as the course gives it -----------------------------------------------------------------

KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def dictionary_to_vector(parameters):
    keys, pieces = [], []
    for key in KEYS:
        new_vector = np.reshape(parameters[key], (-1, 1))
        keys = keys + [key] * new_vector.shape[0]
        pieces.append(new_vector)
    return np.concatenate(pieces, axis=0), keys


def vector_to_dictionary(theta):
    theta = np.asarray(theta)
    return {"W1": theta[:20].reshape((5, 4)), "b1": theta[20:25].reshape((5, 1)), "W2": theta[25:40].reshape((3, 5)),
            "b2": theta[40:43].reshape((3, 1)), "W3": theta[43:46].reshape((1, 3)), "b3": theta[46:47].reshape((1, 1))}


def gradients_to_vector(gradients):
    return np.concatenate([np.reshape(gradients["d" + key], (-1, 1)) for key in KEYS], axis=0)


# --- wrong backward functions, standing in for the student's ---------------------------------------------

def backward_propagation_doubled(x, theta):
    return 2 * x


def backward_propagation_negated(x, theta):
    return -x


# --- the graded functions ------------------------------------------------------------------------------

def forward_propagation(x, theta, bug=None):
    return theta + x if bug == "gc_forward_plus" else theta * x


def backward_propagation(x, theta, bug=None):
    return theta if bug == "gc_backward_theta" else x


def gradient_check(x, theta, epsilon=1e-7, print_msg=False, bug=None):
    J_plus = forward_propagation(x, theta + epsilon, bug)
    J_minus = forward_propagation(x, theta - epsilon, bug)
    gradapprox = (J_plus - J_minus) / (epsilon if bug == "gc_one_epsilon" else 2 * epsilon)
    grad = x if bug == "gc_grad_is_x" else backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    if bug == "gc_denominator":
        denominator = np.linalg.norm(grad + gradapprox)
    else:
        denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return numerator / denominator


def forward_propagation_n(X, Y, parameters, bug=None):
    m = X.shape[1]
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in KEYS)
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cost = np.sum(logprobs) if bug == "gc_cost_no_1_over_m" else 1.0 / m * np.sum(logprobs)
    return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_n(X, Y, cache, bug=None):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = tuple(cache)
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T)
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T) * (2 if bug in ("gc_planted", "gc_planted_dW2") else 1)
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 >= 0 if bug == "gc_relu_mask_ge" else A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T)
    db1 = (4.0 if bug in ("gc_planted", "gc_planted_db1") else 1.0) / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False, bug=None):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = parameters_values if bug == "gc_n_no_copy" else np.copy(parameters_values)
        theta_plus[i] = theta_plus[i] + epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus), bug)
        theta_minus = np.copy(theta_plus) if bug == "gc_n_minus_from_plus" else np.copy(parameters_values)
        theta_minus[i] = theta_minus[i] - epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus), bug)
        gradapprox[i] = (J_plus - J_minus) / (epsilon if bug == "gc_n_one_epsilon" else 2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return numerator / denominator
