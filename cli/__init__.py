"""The ``shapecheck`` command line (installed as ``shapecheck.cli``)."""
