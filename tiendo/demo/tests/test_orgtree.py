"""The demo organisation as the access layer sees it: each role sees what it should."""

from __future__ import annotations

import pytest
from django.http import Http404

from tiendo.accounts.models import User
from tiendo.core.fields import in_subtree
from tiendo.demo.seed import SeedResult
from tiendo.demo.situation_ministry import CODE as MINISTRY_CODE
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Task, TaskKind
from tiendo.programs.selectors import program_list, task_get, task_list

pytestmark = pytest.mark.django_db


def test_unit_officer_sees_only_their_subtree(demo: SeedResult) -> None:
    # Given the officer of the Department of Information and Communications
    officer = User.objects.get(username="canbo.sotttt")
    department = Unit.objects.get(code="sotttt")
    scope = scope_for(officer)

    # When they list tasks
    visible = list(task_list(scope))

    # Then each is led by a unit of the department's subtree, coordinated by one, or theirs
    assert visible
    subtree = in_subtree("unit_path", department.path)
    for task in visible:
        assert (
            task.lead_unit_path.startswith(department.path)
            or task.coordinations.filter(subtree).exists()
            or officer.pk in (task.assignee_id, task.accountable_leader_id)
        ), task.title
    # And a task of another department that does not involve them is refused as absent
    other = Task.objects.filter(lead_unit__code="sonv").exclude(
        coordinations__unit__path__startswith=department.path
    )[0]
    with pytest.raises(Http404):
        task_get(scope, other.pk)
    # And the ministry's program is not theirs to see
    assert not program_list(scope).filter(code=MINISTRY_CODE).exists()


def test_reviewer_sees_the_projects_to_appraise(demo: SeedResult) -> None:
    # Given the reviewer of Command 86, which appraises the ministry's projects
    scope = scope_for(User.objects.get(username="thamdinh"))

    # Then they see the 17 projects and nothing of the province
    projects = task_list(scope).filter(kind=TaskKind.PROJECT)
    assert projects.count() == 17
    assert not task_list(scope).filter(program__code__startswith="thaian").exists()


def test_viewer_of_the_province_sees_no_ministry_task(demo: SeedResult) -> None:
    scope = scope_for(User.objects.get(username="xem"))
    assert task_list(scope).exists()
    assert not task_list(scope).filter(program__code=MINISTRY_CODE).exists()
