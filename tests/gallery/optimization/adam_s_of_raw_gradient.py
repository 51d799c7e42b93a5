# Optimization methods, my version: new dicts, f-strings, @-free
import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: p - learning_rate * grads["d" + k] for k, p in parameters.items()}


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    order = np.random.permutation(m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]


def initialize_velocity(parameters):
    return {"d" + k: np.zeros_like(p) for k, p in parameters.items()}


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    v = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    parameters = {k: p - learning_rate * v["d" + k] for k, p in parameters.items()}
    return parameters, v


def initialize_adam(parameters):
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    s = {k: beta2 * s[k] + (1 - beta2) * grads[k] for k in s}
    v_corrected = {k: v[k] / (1 - beta1 ** t) for k in v}
    s_corrected = {k: s[k] / (1 - beta2 ** t) for k in s}
    parameters = {k: p - learning_rate * v_corrected["d" + k] / (np.sqrt(s_corrected["d" + k]) + epsilon)
                  for k, p in parameters.items()}
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))
