"""The course's code for Dinosaurus Island, self-contained (numpy only): utils.py as the notebook ships it
(its update_parameters adds to the caller's arrays in place), and clip, sample and optimize with a ``bug``
switch per classic mistake (``bug=None``: the right one, the 2021+ edition)."""

import copy

import numpy as np


# --- utils.py ------------------------------------------------------------------------------------------

def softmax(x):
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0)


def smooth(loss, cur_loss):
    return loss * 0.999 + cur_loss * 0.001


def print_sample(sample_ix, ix_to_char):
    txt = ''.join(ix_to_char[ix] for ix in sample_ix)
    txt = txt[0].upper() + txt[1:]  # capitalize first character
    print('%s' % (txt, ), end='')


def get_sample(sample_ix, ix_to_char):
    txt = ''.join(ix_to_char[ix] for ix in sample_ix)
    return txt[0].upper() + txt[1:]


def get_initial_loss(vocab_size, seq_length):
    return -np.log(1.0 / vocab_size) * seq_length


def initialize_parameters(n_a, n_x, n_y):
    np.random.seed(1)
    Wax = np.random.randn(n_a, n_x) * 0.01  # input to hidden
    Waa = np.random.randn(n_a, n_a) * 0.01  # hidden to hidden
    Wya = np.random.randn(n_y, n_a) * 0.01  # hidden to output
    b = np.zeros((n_a, 1))  # hidden bias
    by = np.zeros((n_y, 1))  # output bias
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


def rnn_step_forward(parameters, a_prev, x):
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    a_next = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)  # hidden state
    p_t = softmax(np.dot(Wya, a_next) + by)  # unnormalized log probabilities for next chars # probabilities for next chars
    return a_next, p_t


def rnn_step_backward(dy, gradients, parameters, x, a, a_prev):
    gradients['dWya'] += np.dot(dy, a.T)
    gradients['dby'] += dy
    da = np.dot(parameters['Wya'].T, dy) + gradients['da_next']  # backprop into h
    daraw = (1 - a * a) * da  # backprop through tanh nonlinearity
    gradients['db'] += daraw
    gradients['dWax'] += np.dot(daraw, x.T)
    gradients['dWaa'] += np.dot(daraw, a_prev.T)
    gradients['da_next'] = np.dot(parameters['Waa'].T, daraw)
    return gradients


def update_parameters(parameters, gradients, lr):
    parameters['Wax'] += -lr * gradients['dWax']
    parameters['Waa'] += -lr * gradients['dWaa']
    parameters['Wya'] += -lr * gradients['dWya']
    parameters['b'] += -lr * gradients['db']
    parameters['by'] += -lr * gradients['dby']
    return parameters


def rnn_forward(X, Y, a0, parameters, vocab_size=27):
    x, a, y_hat = {}, {}, {}
    a[-1] = np.copy(a0)
    loss = 0
    for t in range(len(X)):
        x[t] = np.zeros((vocab_size, 1))
        if X[t] is not None:
            x[t][X[t]] = 1
        a[t], y_hat[t] = rnn_step_forward(parameters, a[t - 1], x[t])
        loss -= np.log(y_hat[t][Y[t], 0])
    cache = (y_hat, a, x)
    return loss, cache


def rnn_backward(X, Y, parameters, cache):
    gradients = {}
    (y_hat, a, x) = cache
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    gradients['dWax'], gradients['dWaa'], gradients['dWya'] = np.zeros_like(Wax), np.zeros_like(Waa), np.zeros_like(Wya)
    gradients['db'], gradients['dby'] = np.zeros_like(b), np.zeros_like(by)
    gradients['da_next'] = np.zeros_like(a[0])
    for t in reversed(range(len(X))):
        dy = np.copy(y_hat[t])
        dy[Y[t]] -= 1
        gradients = rnn_step_backward(dy, gradients, parameters, x[t], a[t], a[t - 1])
    return gradients, a


# --- the graded functions ----------------------------------------------------------------------------

def clip(gradients, maxValue, bug=None):
    gradients = copy.deepcopy(gradients)
    dWaa, dWax, dWya, db, dby = gradients['dWaa'], gradients['dWax'], gradients['dWya'], gradients['db'], gradients['dby']
    bound = 5 if bug == "dinos_clip_notebook_bound" else maxValue
    chosen = [dWax, dWaa, dWya] if bug == "dinos_clip_weights_only" else [dWax, dWaa, dWya, db, dby]
    for gradient in chosen:
        if bug == "dinos_clip_result_discarded":
            np.clip(gradient, -bound, bound)
        elif bug == "dinos_clip_bounds_swapped":
            np.clip(gradient, bound, -bound, out=gradient)
        else:
            np.clip(gradient, -bound, bound, out=gradient)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


def sample(parameters, char_to_ix, seed, bug=None):
    Waa, Wax, Wya, by, b = parameters['Waa'], parameters['Wax'], parameters['Wya'], parameters['by'], parameters['b']
    vocab_size = by.shape[0]
    n_a = Waa.shape[1]
    x = np.zeros((vocab_size, 1))
    a_prev = np.zeros((n_a, 1))
    indices = []
    idx = -1
    counter = 0
    newline_character = char_to_ix['\n']
    first = seed
    while idx != newline_character and counter != 50:
        a = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        z = np.dot(Wya, a) + by
        y = softmax(z)
        if bug == "dinos_sample_seed_counter_only":  # np.random.seed(counter): the seed argument ignored
            np.random.seed(counter)
        elif bug == "dinos_sample_seed_constant":  # np.random.seed(seed) with seed never advanced: one draw repeated
            np.random.seed(first)
        elif bug == "dinos_sample_seeded_once":  # np.random.seed(seed) before the loop: one stream, not a seed per draw
            if counter == 0:
                np.random.seed(first)
        elif bug != "dinos_sample_unseeded":  # unseeded: the draws come from wherever the global stream stands
            np.random.seed(counter + seed)
        if bug == "dinos_sample_argmax":
            idx = int(np.argmax(y))
        elif bug == "dinos_sample_uniform":
            idx = np.random.choice(list(range(vocab_size)))
        else:
            idx = np.random.choice(list(range(vocab_size)), p=y.ravel())
        indices.append(idx)
        if bug != "dinos_sample_x_not_reset":
            x = np.zeros((vocab_size, 1))
        x[idx] = idx if bug == "dinos_sample_x_index_value" else 1
        if bug != "dinos_sample_state_not_carried":
            a_prev = a
        if bug != "dinos_sample_seed_not_advanced":
            seed += 1
        counter += 1
    if counter == 50 and bug != "dinos_sample_no_final_newline":
        indices.append(char_to_ix['\n'])
    return indices


def optimize(X, Y, a_prev, parameters, learning_rate=0.01, bug=None):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    if bug != "dinos_optimize_no_clip":
        gradients = clip(gradients, 5, bug=bug)
    parameters = update_parameters(parameters, gradients, 0.01 if bug == "dinos_optimize_notebook_rate" else learning_rate)
    return loss, gradients, a[len(X) - 1]
