import numpy as np

# deep L-layer network, course notation:
#   Z[l] = W[l] . A[l-1] + b[l]      A[l] = g[l](Z[l])
#   dZ[l] = dA[l] * g'(Z[l])
#   dW[l] = 1/m dZ[l] . A[l-1].T     db[l] = 1/m sum(dZ[l])     dA[l-1] = W[l].T . dZ[l]


def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    L = len(layer_dims) - 1
    parameters = {}
    for l in range(1, L + 1):
        n_l, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters["W" + str(l)] = np.random.randn(n_l, n_prev) * 0.01
        parameters["b" + str(l)] = np.zeros(shape=(n_l, 1))
    return parameters


def linear_forward(A, W, b):
    Z = np.matmul(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, (A_prev, W, b) = linear_forward(A_prev, W, b)
    if activation == "relu":
        A = np.where(Z > 0, Z, 0.0)
    else:  # sigmoid
        A = 1 / (1 + np.exp(-Z))
    # one flat cache per layer: (A_prev, W, b, Z)
    return A, (A_prev, W, b, Z)


def L_model_forward(X, parameters):
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], activation)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    return np.squeeze(cost)


def linear_backward(dZ, cache):
    A_prev, W, b = cache[0], cache[1], cache[2]
    m = A_prev.shape[1]
    dW = np.matmul(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.matmul(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    Z = cache[3]
    if activation == "relu":
        g_prime = (Z > 0).astype(float)
    else:  # sigmoid
        s = 1 / (1 + np.exp(-Z))
        g_prime = s * (1 - s)
    dZ = np.multiply(dA, g_prime)
    return linear_backward(dZ, cache[:3])


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA" + str(l - 1)] = dA
        grads["dW" + str(l)] = dW
        grads["db" + str(l)] = db
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    updated = dict(parameters)
    for l in range(1, L + 1):
        updated["W" + str(l)] = updated["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        updated["b" + str(l)] = updated["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return updated
