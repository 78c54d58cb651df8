"""Appraisal of investment projects (``appraisal``), indicators with targets (``kpi``) and
consultation rounds (``consultation``)."""

from .appraisal import (
    Appraisal,
    AppraisalDocument,
    AppraisalState,
    AppraisalStep,
    AppraisalStepRule,
    DocumentKind,
    StepOutcome,
)
from .consultation import (
    Answer,
    ConsultationFile,
    ConsultationRecipient,
    ConsultationRound,
    Response,
)
from .kpi import Aggregation, Direction, Indicator, IndicatorActual, IndicatorTarget

__all__ = [
    "Aggregation",
    "Answer",
    "Appraisal",
    "AppraisalDocument",
    "AppraisalState",
    "AppraisalStep",
    "AppraisalStepRule",
    "ConsultationFile",
    "ConsultationRecipient",
    "ConsultationRound",
    "Direction",
    "DocumentKind",
    "Indicator",
    "IndicatorActual",
    "IndicatorTarget",
    "Response",
    "StepOutcome",
]
