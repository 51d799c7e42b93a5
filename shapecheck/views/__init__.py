"""Views: all rich rendering, loaded only when something is drawn.

Reports are plain data with ``__rich__``; their tables, progress bars and layer diagrams live
here. Views know reports only by their attributes (duck typing) and import nothing above the core,
so any layer's report may ask them lazily.
"""
