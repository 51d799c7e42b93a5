"""The symbolic tracer: every tensor's shape and rule, derived from a spec (stdlib only).

``trace(spec, m=...)`` gives rows of (layer, tensor, symbolic shape, rule); a Sequential's
``summary`` (output shapes and parameter counts) is derived here too (``trace``).
"""
