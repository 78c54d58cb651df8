"""Appraisal of investment projects (``appraisal``) and indicators with targets (``kpi``)."""

from .appraisal import (
    Appraisal,
    AppraisalDocument,
    AppraisalState,
    AppraisalStep,
    AppraisalStepRule,
    DocumentKind,
    StepOutcome,
)
from .kpi import Aggregation, Direction, Indicator, IndicatorActual, IndicatorTarget

__all__ = [
    "Aggregation",
    "Appraisal",
    "AppraisalDocument",
    "AppraisalState",
    "AppraisalStep",
    "AppraisalStepRule",
    "Direction",
    "DocumentKind",
    "Indicator",
    "IndicatorActual",
    "IndicatorTarget",
    "StepOutcome",
]
