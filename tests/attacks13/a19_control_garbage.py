# a19_control_garbage: control for a19 — linear_forward uses W.T (root cause), linear_activation_forward and L_model_forward return garbage (honest score of this code)
# <<gallery: dnn/linear_forward_W_transposed.py>>
import numpy as _np
def linear_activation_forward(A_prev, W, b, activation):
    return _np.zeros((W.shape[0], A_prev.shape[1])), ((A_prev, W, b), _np.zeros((W.shape[0], A_prev.shape[1])))
def L_model_forward(X, parameters):
    L = len(parameters) // 2
    return _np.zeros((parameters["W%d" % L].shape[0], X.shape[1])), [None] * L
