"""Restoration of early (2 h) / low-count bone scans to 4 h-like images."""
