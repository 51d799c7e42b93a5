"""Validation: real arrays against the course's rules, before any math runs.

``params.check_params`` (saved or student arrays against a spec; no numpy: only ``.shape`` and
``.dtype`` are asked), ``rnn_shapes`` (the recurrent functions' inputs), ``watch`` (a student's
functions checked at every call in a notebook) and ``io`` (reading ``.npz`` arrays safely).
"""
