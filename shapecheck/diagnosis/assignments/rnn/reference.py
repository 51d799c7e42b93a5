"""The right answer for every recurrent function: the engine's (``shapecheck.engine.rnn``) as they are
(course caches: rnn cell ``(a_next, a_prev, xt, parameters)``, lstm cell ``(a_next, c_next, a_prev,
c_prev, ft, it, cct, ot, xt, parameters)``, through time ``(list of step caches, x)``), with writeable
outputs; the backward functions read the caches students make (course.step_cache_of, through_time_of)."""

from typing import Any

import numpy as np

from shapecheck.diagnosis.assignments.rnn.course import LSTM_STEP, RNN_STEP, step_cache_of, through_time_of
from shapecheck.engine import rnn as _rnn


def _writeable(value: Any, top: bool = True) -> Any:
    """Copies of the engine's read-only views, so a student's code may write into what it gets back."""
    if isinstance(value, np.ndarray):
        return np.array(value)
    if isinstance(value, tuple):
        return tuple(_writeable(v, False) for v in value)
    if isinstance(value, list):
        return [_writeable(v, False) for v in value]
    if top and isinstance(value, dict):  # a gradients dict
        return {k: _writeable(v, False) for k, v in value.items()}
    return value  # the parameters dict inside a cache stays the caller's own


def rnn_cell_forward(xt, a_prev, parameters):
    """a_next = tanh(Wax·xt + Waa·a_prev + ba), yt_pred = softmax(Wya·a_next + by); cache = (a_next, a_prev, xt, parameters)."""
    return _writeable(_rnn.rnn_cell_forward(xt, a_prev, parameters))


def rnn_forward(x, a0, parameters):
    """(a, y_pred, (caches, x)) over T_x steps."""
    return _writeable(_rnn.rnn_forward(x, a0, parameters))


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """(a_next, c_next, yt_pred, cache), gates on [a_prev; xt]."""
    return _writeable(_rnn.lstm_cell_forward(xt, a_prev, c_prev, parameters))


def lstm_forward(x, a0, parameters):
    """(a, y, c, (caches, x)) over T_x steps, c⟨0⟩ = 0."""
    return _writeable(_rnn.lstm_forward(x, a0, parameters))


def rnn_cell_backward(da_next, cache):
    """{"dxt", "da_prev", "dWax", "dWaa", "dba"} of one step."""
    return _writeable(_rnn.rnn_cell_backward(da_next, step_cache_of(cache, RNN_STEP)))


def rnn_backward(da, caches):
    """{"dx", "da0", "dWax", "dWaa", "dba"} through time; da is every hidden state's upstream gradient."""
    return _writeable(_rnn.rnn_backward(da, through_time_of(caches, RNN_STEP)))


def lstm_cell_backward(da_next, dc_next, cache):
    """{"dxt", "da_prev", "dc_prev", "dWf", "dbf", ..., "dWo", "dbo"} of one step."""
    return _writeable(_rnn.lstm_cell_backward(da_next, dc_next, step_cache_of(cache, LSTM_STEP)))


def lstm_backward(da, caches):
    """{"dx", "da0", "dWf", "dbf", ..., "dWo", "dbo"} through time."""
    return _writeable(_rnn.lstm_backward(da, through_time_of(caches, LSTM_STEP)))


FUNCTIONS = {f.__name__: f for f in (rnn_cell_forward, rnn_forward, lstm_cell_forward, lstm_forward,
                                     rnn_cell_backward, rnn_backward, lstm_cell_backward, lstm_backward)}
