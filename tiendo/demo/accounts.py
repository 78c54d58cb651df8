"""The demo accounts worth signing in as, one per role, in the order a visitor should try them.

Every demo person (about 160: heads and officers of the units) shares ``DEMO_PASSWORD``; these
are the ones the README and the command's output point to.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiendo.accounts.models import Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str  # the unit of the membership that gives the role


DEMO_ACCOUNTS = (
    DemoAccount("chutich", Role.COMMITTEE_LEADER, "tinh"),
    DemoAccount("vanphong", Role.STANDING_OFFICE, "sotttt"),
    DemoAccount("lanhdao.sotttt", Role.UNIT_LEADER, "sotttt"),
    DemoAccount("canbo.sotttt", Role.UNIT_OFFICER, "sotttt"),
    DemoAccount("thamdinh", Role.REVIEWER, "bqp.btl86"),
    DemoAccount("xem", Role.VIEWER, "tinh"),
    DemoAccount("quantri", Role.ADMINISTRATOR, "tinh"),
    DemoAccount("thuongtruc.da06", Role.STANDING_OFFICE, "cat"),
    DemoAccount("bqp.lanhdao", Role.COMMITTEE_LEADER, "bqp"),
    DemoAccount("btl86.vanphong", Role.STANDING_OFFICE, "bqp.btl86"),
)
