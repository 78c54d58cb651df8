"""Benchmarks of tiendo at national scale: a dataset generator and timed cases (see README.md)."""
