"""Keras's BatchNormalization: spec.py (shape rule, counts), engine.py (forward, backward, moving statistics)."""
