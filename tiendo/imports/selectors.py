"""Reads of the import app, always through the caller's scope.

A batch is visible only to the user who uploaded it, and only while they may still import into
its program; anything else answers 404, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs import access, selectors
from tiendo.programs.models import Program

from .models import ImportBatch


def program_for_import(actor: Any, program_id: int) -> Program:
    """A program the caller can see (else 404) and may import into (else 403)."""
    scope = scope_for(actor)
    program = selectors.program_get(scope, program_id)
    if not access.can_manage_program(scope, program):
        raise PermissionDeniedError(
            _(
                "Only the standing office, a committee leader or an administrator can import a "
                "plan into this program."
            )
        )
    return program


def program_by_code(actor: Any, code: str) -> Program:
    program = selectors.program_list(scope_for(actor)).filter(code=code).first()
    if program is None:
        raise Http404
    return program_for_import(actor, program.pk)


def batch_list(actor: Any, program: Program) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(program=program, created_by_id=actor.pk).defer("content")


def batch_get(actor: Any, batch_id: int) -> ImportBatch:
    batch = (
        ImportBatch.objects.select_related("program", "program__owner_unit")
        .filter(pk=batch_id, created_by_id=getattr(actor, "pk", None))
        .first()
    )
    if batch is None or not access.can_manage_program(scope_for(actor), batch.program):
        raise Http404
    return batch
