"""Seed the demo: organisation, people, three real situations and the 2025 extras, in one
transaction, through the services only.

Start here: ``seed()``. The data live in ``orgtree`` (units, named people) and one module per
situation (``situation_province``, ``situation_ministry``, ``situation_p06``, ``situation_2025``);
``figures`` says which numbers must come out and computes them with the app's selectors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tiendo.programs.models import Program, Task

from . import DEMO_PASSWORD
from .builder import Builder
from .orgtree import build_org
from .situation_2025 import CODE as EXTRA_CODE
from .situation_2025 import build_2025_plan
from .situation_appraisal import build_appraisals, build_p06_indicators, build_task_consultation
from .situation_ministry import CODE as MINISTRY_CODE
from .situation_ministry import build_ministry_plan
from .situation_p06 import CODE as P06_CODE
from .situation_p06 import build_p06_plan
from .situation_province import CODE as PROVINCE_CODE
from .situation_province import build_province_plan
from .situation_reports import build_situation_reports

PROGRAM_CODES = (PROVINCE_CODE, MINISTRY_CODE, P06_CODE, EXTRA_CODE)


@dataclass(frozen=True)
class SeedResult:
    created: bool  # False: the demo was already there and nothing was written
    seconds: float
    users: int = 0
    units: int = 0
    tasks: int = 0


def is_seeded() -> bool:
    """The seed is one transaction, so one of its programs present means all of it is."""
    return Program.objects.filter(code=PROVINCE_CODE).exists()


@transaction.atomic
def seed() -> SeedResult:
    """Create the demo data unless it is already there (running it twice changes nothing)."""
    began = time.perf_counter()
    if is_seeded():
        return SeedResult(created=False, seconds=time.perf_counter() - began)
    # One hash for every demo account: hashing ~200 passwords one by one would take a minute.
    b = Builder(password_hash=make_password(DEMO_PASSWORD))
    build_org(b)
    build_province_plan(b)
    build_ministry_plan(b)
    build_appraisals(b)  # the 17 projects through their appraisal steps (tiendo.appraisals)
    build_task_consultation(b)  # the 46 tasks' draft went out for comments
    build_p06_plan(b)
    build_p06_indicators(b)  # its 53 / 20 service targets with actuals (tiendo.appraisals)
    build_2025_plan(b)
    build_situation_reports(b)  # periodic reports of the province plan (tiendo.reporting)
    tasks = Task.objects.filter(program__code__in=PROGRAM_CODES).count()
    return SeedResult(
        created=True,
        seconds=time.perf_counter() - began,
        users=len(b.users),
        units=len(b.units),
        tasks=tasks,
    )
