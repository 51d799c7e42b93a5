"""Keras's ZeroPadding2D: spec.py (shape rule), engine.py (forward, backward)."""
