"""Keras's LSTM, the course's LSTM cell: spec.py (shape rule, count), engine.py (forward, backward)."""
