"""Keras's Flatten: spec.py (shape rule), engine.py (forward, backward)."""
