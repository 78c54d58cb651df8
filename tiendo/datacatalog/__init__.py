"""Data catalogue: specialised databases and datasets, their quality, and the shared warehouse (#10)."""
