"""Keras's MaxPooling2D and AveragePooling2D: spec.py (shape rule), engine.py (forward, backward)."""
