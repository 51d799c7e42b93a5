"""Keras's GRU (reset_after=True): spec.py (shape rule, count), engine.py (forward, backward)."""
