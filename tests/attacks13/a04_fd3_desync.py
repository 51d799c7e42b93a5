# a04_fd3_desync: linear_forward writes 20 forged ok-replies straight into the socket (fd 3), then returns garbage
# <<gallery: dnn/dW_transposed.py>>
import socket as _so, sys as _sys
def _forge():
    m = _sys.modules['__main__']
    s = _so.socket(fileno=3)
    s.setblocking(True)
    import numpy as np
    for i in range(20):
        m.send(s, {"status": "ok", "value": None, "handle": 1000 + i, "line": None, "mutated": []})
    s.detach()
_lf = linear_forward
def linear_forward(A, W, b):
    _forge()
    return _lf(A, W, b)
