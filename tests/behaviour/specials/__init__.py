"""Per-family entries of the SPECIAL table (see tests/behaviour/opcases.py)."""
