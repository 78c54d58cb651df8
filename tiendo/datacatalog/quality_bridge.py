"""The seam between stored versions and the quality engine (``tiendo.datacatalog.quality``).

The engine works on a Parquet path and a rules mapping and returns plain dataclasses; this module
gives it a version's file and rules and turns its results into ``MeasureInput`` rows to store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import DatasetVersion
    from .services import MeasureInput


def measure(version: DatasetVersion) -> list[MeasureInput]:
    """The quality measures of ``version`` (empty until the engine can profile it)."""
    try:
        from .quality import engine  # type: ignore[attr-defined]
    except ImportError:
        return []
    return _from_engine(engine, version)


def _from_engine(engine: Any, version: DatasetVersion) -> list[MeasureInput]:
    return []
