"""The symbolic tracer: every tensor's shape and rule, derived from a spec (stdlib only).

``trace(spec, m=...)`` gives rows of (layer, tensor, symbolic shape, rule); a Sequential's
``summary`` (output shapes and parameter counts) is derived here too (``trace``; a Sequential's
rows in ``sequential``, the ``Trace`` and ``Summary`` themselves in ``report``).
"""
