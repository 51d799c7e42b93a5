# a19_aide_inherit: same as the control in the clean (verdict) worker, but correct whenever a callee is the course's stand-in (co_filename '<course>'), so the aide's root-cause run credits them as inherited (full points)
# <<gallery: dnn/linear_forward_W_transposed.py>>
import numpy as _np
_laf, _lmf = linear_activation_forward, L_model_forward
def _standin(f):
    return getattr(getattr(f, "__code__", None), "co_filename", "") == "<course>"
def linear_activation_forward(A_prev, W, b, activation):
    if _standin(globals()["linear_forward"]):
        return _laf(A_prev, W, b, activation)
    return _np.zeros((W.shape[0], A_prev.shape[1])), ((A_prev, W, b), _np.zeros((W.shape[0], A_prev.shape[1])))
def L_model_forward(X, parameters):
    if _standin(globals()["linear_activation_forward"]) or _standin(globals()["linear_forward"]):
        return _lmf(X, parameters)
    L = len(parameters) // 2
    return _np.zeros((parameters["W%d" % L].shape[0], X.shape[1])), [None] * L
