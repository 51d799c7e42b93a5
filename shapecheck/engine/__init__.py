"""The numpy engine: what the tracer described, executed in float64.

Dense nets (``dense``), recurrent layers through time (``rnn``, ``rnn_kernels``, ``lstm_kernels``,
``gru_kernels``, ``rnn_caches``),
activations and losses, initialisers, optimisers, and the Keras-like runtime (``model``,
``keras_losses``, ``history``) that runs the layers' engines (``shapecheck/layers/<name>/engine.py``).
"""
