"""Reports: plain data that renders itself with rich and serialises to JSON."""
