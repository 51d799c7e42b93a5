"""Keras layers as plug-ins: one folder per layer (or per family), nothing to register anywhere else.

A folder holds ``spec.py`` (stdlib: Keras's class and argument names, the shape rule, the parameter
count, the trace rows) and ``engine.py`` (numpy: forward and backward side by side, in float64).
``registry.layer_types()`` finds every folder; ``Sequential``, the tracer, ``summary``, spec files and
the training runtime ask it. The course's own Dense, SimpleRNN, LSTM (and GRU) are folders like the
rest; what they share is in ``units.py`` (spec) and ``runtime.py`` (engine).
"""
