"""Diagnosis of a student's implementation of the course's assignments, function by function.

The student's file runs in a sandboxed worker; its results are compared with the reference, the
classic mistakes (mutants) and the hint rules; the verdicts become a ``DiagnoseReport``.
"""
