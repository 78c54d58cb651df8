"""A task names the dataset it delivers as its product: link and unlink, from the task page.

The task is resolved through the programs' task selector (404 outside the user's scope), the
dataset among the datasets the user may use (404 otherwise); only the dataset's steward or a
maintainer of its owner unit may change the link (the service checks it again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import task_get
from tiendo.programs.views._common import forbidden

from . import access, services_warehouse
from .selectors import usable_datasets


def _change(
    request: HttpRequest, task_id: int, code: str, change: Callable[..., Any], done: str
) -> HttpResponse:
    """Resolve the task (in scope) and the dataset (usable), check the right, apply ``change``."""
    task = task_get(scope_for(request.user), task_id)
    dataset = usable_datasets(request.user).filter(code=code).first()
    if dataset is None:
        raise Http404(_("No such dataset."))
    back = f"{task.get_absolute_url()}#task-datasets"
    if not access.can_manage_dataset(scope_for(request.user), dataset):
        return forbidden(request, _("You cannot change this dataset."), back)
    try:
        change(actor=request.user, task=task, dataset=dataset)
    except PermissionDeniedError as exc:
        return forbidden(request, str(exc), back)
    messages.success(request, done % {"name": dataset.name})
    return redirect(back)


@login_required
@require_POST
def task_dataset_link(request: HttpRequest, task_id: int) -> HttpResponse:
    """Record that the task delivers the chosen dataset."""
    return _change(
        request,
        task_id,
        request.POST.get("dataset", ""),
        services_warehouse.dataset_product_link,
        _("The task now delivers the dataset “%(name)s”."),
    )


@login_required
@require_POST
def task_dataset_unlink(request: HttpRequest, task_id: int, code: str) -> HttpResponse:
    """The task no longer delivers this dataset."""
    return _change(
        request,
        task_id,
        code,
        services_warehouse.dataset_product_unlink,
        _("The task no longer delivers the dataset “%(name)s”."),
    )
