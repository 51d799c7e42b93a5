"""Keras's Embedding: spec.py (shape rule, count), engine.py (forward, backward)."""
