"""Checks that need numbers: gradient checks and the diagnosis of a student's code."""
