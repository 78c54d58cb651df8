from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from tiendo.orgs.scope import scope_for

from . import selectors


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = selectors.my_tasks(scope_for(request.user), request.user.pk)
    return HttpResponse("\n".join(str(t) for t in tasks[:50]))


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(scope_for(request.user), task_id)
    return HttpResponse(str(task))


@login_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get(scope_for(request.user), program_id)
    return HttpResponse(str(program))
