"""The example files the README uses, installed with shapecheck.

``shapecheck examples`` lists them; ``shapecheck examples write [FOLDER]`` copies them into FOLDER (the current
one by default) and makes ``weights.npz``, the course network's parameters with W2 transposed.
"""
