# The name used in the docs: ``tiendo rebuild-summary`` (same as ``rebuild_summary``).
from .rebuild_summary import Command  # noqa: F401
