"""Diagnosis of a student's implementation of the two classic assignments, function by function."""
