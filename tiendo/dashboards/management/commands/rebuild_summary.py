"""``tiendo rebuild-summary [--day YYYY-MM-DD]``: rebuild the dashboards' summary tables.

Run it once a day just after midnight (cron or a systemd timer): the tables are exact for one
day (see ``tiendo/dashboards/summary.py``); until the day's rebuild has run, unit dashboards
count over the task table (same figures, slower). Safe to run at any time: writes wait for it.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiendo.dashboards.summary import summary_rebuild


class Command(BaseCommand):
    help = "Rebuild the dashboards' summary tables for today (or --day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="reference day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError(f"--day {options['day']!r}: expected YYYY-MM-DD") from None
        started = time.perf_counter()
        result = summary_rebuild(day=day)
        self.stdout.write(
            f"summary rebuilt: {result['tasks']:,} tasks, {result['tally_rows']:,} tally rows, "
            f"{result['trend_rows']:,} trend rows in {time.perf_counter() - started:.1f} s"
        )
