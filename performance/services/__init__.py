"""Writes of the performance app, one module per stage of the cycle (STYLE.md: services as a package)."""
