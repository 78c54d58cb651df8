"""Quality measures of a dataset version on the six dimensions officials name.

Works on a dataset version's Parquet file through DuckDB; knows nothing of Django models.
Start here: ``parse_rules`` (the YAML rule language, docs/quality-rules.md), then ``profile``
(a ``QualityReport``) and ``failing_rows`` (the rows behind any figure). See README.md.
"""

from .engine import (
    DimensionResult,
    FailingRows,
    PublicationFacts,
    QualityReport,
    RuleResult,
    failing_rows,
    file_columns,
    profile,
)
from .rules import RuleError, RuleProblem, RuleSet, Standard, parse_rules, parse_standard
from .scores import DIMENSIONS, WEIGHTS, Liveness, LiveStatus, liveness, overall_score, shared_score

__all__ = [
    "DIMENSIONS",
    "WEIGHTS",
    "DimensionResult",
    "FailingRows",
    "LiveStatus",
    "Liveness",
    "PublicationFacts",
    "QualityReport",
    "RuleError",
    "RuleProblem",
    "RuleResult",
    "RuleSet",
    "Standard",
    "failing_rows",
    "file_columns",
    "liveness",
    "overall_score",
    "parse_rules",
    "parse_standard",
    "profile",
    "shared_score",
]
