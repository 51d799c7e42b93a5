"""Keras's ReLU and Activation layers: spec.py (shape rule), engine.py (forward, backward)."""
