"""Demo data: three real situations from steering committees' own reports (see seed.py)."""

# Every demo account shares this password; the sign-in page lists the accounts in demo mode only.
DEMO_PASSWORD = "tiendo-demo-2024"  # noqa: S105 - a published demo password, demo mode only
