# a16_wire_overflow: linear_forward writes its own reply frame to fd 3 with a complex tag holding a 400-digit int (complex() raises OverflowError, not ProtocolError, in the trusted decoder), then a 0-size array with a 1e30 dimension
# <<gallery: correct/dnn_course.py>>
import socket as _so, struct as _st, json as _js, time as _ti
def _frame(doc, bufs=()):
    d = doc.encode()
    parts = [_st.pack("<4sII", b"SCW1", len(d), len(bufs)), d]
    for b in bufs: parts += [_st.pack("<Q", len(b)), b]
    return b"".join(parts)
def linear_forward(A, W, b):
    s = _so.socket(fileno=3)
    s.sendall(_frame('{"$d": [["status", "ok"], ["value", {"$c": [' + "9" * 400 + ', 0]}]]}'))
    s.detach()
    _ti.sleep(5)
    return None
def compute_cost(AL, Y):
    s = _so.socket(fileno=3)
    s.sendall(_frame('{"$d": [["status", "ok"], ["value", {"$a": 0, "dtype": "float64", "shape": [0, 1000000000000000000000000000000]}]]}', [b""]))
    s.detach()
    _ti.sleep(5)
    return None
