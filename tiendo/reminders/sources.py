"""Other apps' daily reminders, run by the daily reminder run (``engine.reminders_run``).

An app whose reminders are not about task deadlines (unit reports not sent, consultations
unanswered...) registers a function ``fn(*, today) -> int`` (notifications created) in its
``AppConfig.ready``; it should send through ``services.notify`` with dedupe keys, so that a
rerun of the day creates nothing twice. One failing source is logged and does not stop the
others or the task reminders.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)
Source = Callable[..., int]
_sources: dict[str, Source] = {}


def register(name: str, fn: Source) -> None:
    """Add (or replace) the daily source ``name``."""
    _sources[name] = fn


def run_sources(today: dt.date) -> int:
    total = 0
    for name, fn in sorted(_sources.items()):
        try:
            total += fn(today=today)
        except Exception:
            logger.exception("daily reminder source %s failed on %s", name, today)
    return total
