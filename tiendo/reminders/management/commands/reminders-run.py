# The name the issue gives the command: ``tiendo reminders-run`` (same as ``reminders_run``).
from .reminders_run import Command  # noqa: F401
