"""The course's code for the optimization assignment, self-contained (numpy only), with a ``bug``
switch per classic mistake (``bug=None``: the right one)."""

import math

import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate, bug=None):
    parameters = dict(parameters)
    L = len(parameters) // 2
    for l in range(1, L + 1):  # noqa: E741
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def random_mini_batches(X, Y, mini_batch_size=64, seed=0, bug=None):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, np.random.permutation(m) if bug == "opt_batches_unpaired" else permutation].reshape((1, m))
    mini_batches = []
    num_complete = math.floor(m / mini_batch_size)
    for k in range(num_complete):
        stop = k + 1 * mini_batch_size if bug == "opt_batches_precedence" else (k + 1) * mini_batch_size
        mini_batches.append((shuffled_X[:, k * mini_batch_size:stop], shuffled_Y[:, k * mini_batch_size:stop]))
    if m % mini_batch_size != 0 and bug != "opt_batches_last_dropped":
        start = 0 if bug == "opt_batches_last_from_zero" else num_complete * mini_batch_size
        stop = m % mini_batch_size if bug == "opt_batches_last_from_zero" else m
        mini_batches.append((shuffled_X[:, start:stop], shuffled_Y[:, start:stop]))
    return mini_batches


def initialize_velocity(parameters, bug=None):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):  # noqa: E741
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters[("W" if bug == "opt_velocity_b_like_W" else "b") + str(l)].shape)
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate, bug=None):
    parameters, v = dict(parameters), dict(v)
    L = len(parameters) // 2
    for l in range(1, L + 1):  # noqa: E741
        for p in ("W", "b"):
            d = "d" + p + str(l)
            v[d] = beta * v[d] + (grads[d] if bug == "opt_momentum_no_one_minus_beta" else (1 - beta) * grads[d])
            step = grads[d] if bug == "opt_momentum_raw_gradient" else v[d]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * step
    return parameters, v


def initialize_adam(parameters, bug=None):
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, bug=None):
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    L = len(parameters) // 2
    for l in range(1, L + 1):  # noqa: E741
        for p in ("W", "b"):
            d = "d" + p + str(l)
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 + beta1 ** t if bug == "opt_adam_one_plus_beta" else 1 - beta1 ** t)
            s[d] = beta2 * s[d] + (1 - beta2) * np.power(grads[d], 2)
            s_corrected[d] = s[d] / (1 - (beta1 if bug == "opt_adam_s_with_beta1" else beta2) ** t)
            if bug == "opt_adam_uncorrected":
                denominator = np.sqrt(s[d]) + epsilon
            elif bug == "opt_adam_epsilon_inside":
                denominator = np.sqrt(s_corrected[d] + epsilon)
            else:
                denominator = np.sqrt(s_corrected[d]) + epsilon
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected[d] / denominator
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate, bug=None):
    if bug == "opt_lr_epoch_outside":
        return learning_rate0 / (1 + decay_rate) * epoch_num
    return 1 / (1 + decay_rate * epoch_num) * learning_rate0


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000, bug=None):
    steps = epoch_num / time_interval if bug == "opt_schedule_no_floor" else np.floor(epoch_num / time_interval)
    return 1 / (1 + decay_rate * steps) * learning_rate0
