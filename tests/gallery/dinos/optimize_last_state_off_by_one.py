import numpy as np
from utils import softmax, rnn_forward, rnn_backward, update_parameters


def clip(gradients, maxValue):
    return {name: np.clip(gradients[name], -maxValue, maxValue) for name in ("dWaa", "dWax", "dWya", "db", "dby")}


def sample(parameters, char_to_ix, seed):
    vocab_size = parameters["by"].shape[0]
    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((parameters["Waa"].shape[0], 1))
    indices = []
    newline = char_to_ix["\n"]
    for counter in range(50):
        a_prev = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
        y = softmax(parameters["Wya"] @ a_prev + parameters["by"])
        np.random.seed(seed + 2 * counter)   # the notebook adds 1 to both seed and counter at each step
        idx = np.random.choice(vocab_size, p=y.ravel())
        indices.append(idx)
        if idx == newline:
            return indices
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
    indices.append(newline)
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[len(X)]
