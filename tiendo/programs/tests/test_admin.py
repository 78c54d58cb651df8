"""The Django admin shows programs and tasks but never changes them.

A direct admin edit would skip the services: no five-clears check, no version, no audit entry,
and the dashboards' summary tables would go stale. Even a superuser gets 403.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tiendo.programs.models import Program, Task

from .factories import make_admin, make_program, make_task, make_unit

pytestmark = pytest.mark.django_db


def test_superuser_can_view_but_not_change_add_or_delete_a_task() -> None:
    admin = make_admin()
    unit = make_unit()
    program = make_program(owner=unit, actor=admin)
    task = make_task(program=program, lead_unit=unit, actor=admin)
    before = (task.title, task.version)
    client = Client()
    client.force_login(admin)
    change = reverse("admin:programs_task_change", args=[task.pk])

    assert client.get(reverse("admin:programs_task_changelist")).status_code == 200
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # shown read-only, no save button

    assert client.post(change, {"title": "Edited in the admin"}).status_code == 403
    assert client.post(reverse("admin:programs_task_add"), {}).status_code == 403
    delete = reverse("admin:programs_task_delete", args=[task.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    task.refresh_from_db()
    assert (task.title, task.version) == before

    edit_program = reverse("admin:programs_program_change", args=[program.pk])
    assert client.post(edit_program, {"name": "Renamed"}).status_code == 403
    assert Program.objects.get(pk=program.pk).name == program.name
    assert Task.objects.filter(pk=task.pk).exists()
