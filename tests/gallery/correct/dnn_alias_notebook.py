# Exported from Jupyter: "Building_your_Deep_Neural_Network_Step_by_Step.ipynb"
import numpy as numpy
import copy

numpy.random.seed(1)


def sigmoid(Z):
    A = 1 / (1 + numpy.exp(-Z))
    return A, Z


def relu(Z):
    A = numpy.maximum(0, Z)
    return A, Z


def relu_backward(dA, cache):
    Z = cache
    dZ = numpy.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    Z = cache
    s = 1 / (1 + numpy.exp(-Z))
    return dA * s * (1 - s)


def initialize_parameters_deep(layer_dims):
    numpy.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = numpy.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters['b' + str(l)] = numpy.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    Z = numpy.dot(W, A) + b
    cache = [A, W, b]
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    cache = [linear_cache, activation_cache]
    return A, cache


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters['W' + str(l)], parameters['b' + str(l)], activation="relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters['W' + str(L)], parameters['b' + str(L)], activation="sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    cost = -numpy.mean(Y * numpy.log(AL) + (1 - Y) * numpy.log(1 - AL))
    return cost


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1. / m) * numpy.dot(dZ, A_prev.T)
    db = (1. / m) * numpy.sum(dZ, axis=1, keepdims=True)
    dA_prev = numpy.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    num = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (numpy.divide(Y, AL) - numpy.divide(1 - Y, 1 - AL))
    last = caches[num - 1]
    grads["dA" + str(num - 1)], grads["dW" + str(num)], grads["db" + str(num)] = linear_activation_backward(dAL, last, "sigmoid")
    for layer in reversed(range(num - 1)):
        current = caches[layer]
        dA_tmp, dW_tmp, db_tmp = linear_activation_backward(grads["dA" + str(layer + 1)], current, "relu")
        grads["dA" + str(layer)] = dA_tmp
        grads["dW" + str(layer + 1)] = dW_tmp
        grads["db" + str(layer + 1)] = db_tmp
    return grads


def update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


# ---- test cells ----
parameters = initialize_parameters_deep([5, 4, 3])
print("W1 = " + str(parameters["W1"]))
X = numpy.random.randn(5, 4)
Y = (numpy.random.rand(1, 4) > 0.5).astype(float)
params2 = initialize_parameters_deep([5, 4, 1])
AL, caches = L_model_forward(X, params2)
print("AL = " + str(AL))
print("cost = " + str(compute_cost(AL, Y)))
grads = L_model_backward(AL, Y, caches)
params2 = update_parameters(params2, grads, 0.1)
print("W1 = " + str(params2["W1"]))
