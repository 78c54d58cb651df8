"""Quality measures of a dataset version on the six dimensions officials name.

Works on a dataset version's Parquet file through DuckDB; knows nothing of Django models.
"""
