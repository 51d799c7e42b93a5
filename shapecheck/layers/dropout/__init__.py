"""Keras's Dropout: spec.py (shape rule), engine.py (forward, backward)."""
