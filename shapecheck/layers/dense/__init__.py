"""Keras's Dense, the course's fully connected layer: spec.py (shape rule, count), engine.py (forward, backward)."""
