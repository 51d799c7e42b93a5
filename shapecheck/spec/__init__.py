"""Specs: pure descriptions of a network, before any math (stdlib only).

Ng's layer sizes (``dense_net([12288, 20, 7, 5, 1])``, ``dense``) or a Keras-like ``Sequential`` of
``Dense``, ``SimpleRNN``, ``LSTM``, ``GRU``; ``load_spec`` reads either from TOML or JSON (``networks``).
"""
