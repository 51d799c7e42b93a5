"""Keras's SimpleRNN, the course's basic RNN cell: spec.py (shape rule, count), engine.py (forward, backward)."""
