"""Keras's Conv2D: spec.py (shape rule, count), engine.py (forward, backward)."""
