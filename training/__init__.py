"""Training and data simulation for the project's own models (Debian python3-* packages only)."""
