"""The seed: idempotent, made through the services, with the people and history it promises."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tiendo.accounts.models import Membership, Role, User
from tiendo.core.deadlines import DeadlineKind
from tiendo.demo import DEMO_PASSWORD
from tiendo.demo.accounts import DEMO_ACCOUNTS
from tiendo.demo.seed import PROGRAM_CODES, SeedResult, seed
from tiendo.orgs.models import Unit
from tiendo.programs.models import DeadlineExtension, ProgressUpdate, Task
from tiendo.programs.services import missing_clears

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "orgs", "programs", "audit"}
    }


def test_seed_creates_the_demo_once(demo: SeedResult) -> None:
    # Given a seeded database
    assert demo.created
    before = row_counts()

    # When the seed and the command run again
    again = seed()
    out = io.StringIO()
    call_command("demo", "--seed-only", stdout=out)

    # Then nothing was added or changed
    assert not again.created
    assert row_counts() == before
    assert "chutich" in out.getvalue()


def test_every_assigned_task_has_its_five_clears(demo: SeedResult) -> None:
    # Given the seeded tasks of the three situations
    tasks = Task.objects.filter(program__code__in=PROGRAM_CODES[:3])

    # Then every one is assigned, with nothing missing
    assert tasks.count() == 11 + 21 + 9 + 6 + 17 + 46 + 51 + 38
    assert not tasks.filter(assigned_at__isnull=True).exists()
    assert all(missing_clears(task) == [] for task in tasks)


def test_deadlines_are_written_in_every_form_officials_use(demo: SeedResult) -> None:
    kinds = set(Task.objects.assigned().values_list("deadline_kind", flat=True))
    assert kinds == set(DeadlineKind.values)


def test_history_has_narratives_difficulties_and_extensions(demo: SeedResult) -> None:
    updates = ProgressUpdate.objects.all()
    years = {d.year for d in updates.values_list("as_of", flat=True)}
    assert {2022, 2023, 2024} <= years
    assert not updates.filter(narrative="").exists()
    assert updates.exclude(difficulties="").count() >= 20
    assert updates.exclude(proposals="").count() >= 20
    extensions = DeadlineExtension.objects.select_related("task")
    assert extensions.count() >= 5
    for extension in extensions:
        # an extension keeps the original deadline, for statistics
        assert extension.reason
        assert extension.task.original_deadline == extension.previous_deadline


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_demo_account_holds_its_role_and_signs_in(demo: SeedResult, account: object) -> None:
    # Given a demo account
    user = User.objects.get(username=account.username)  # type: ignore[attr-defined]

    # Then it holds its role in its unit, has a name and a position, and signs in
    assert Membership.objects.filter(
        user=user,
        role=account.role,  # type: ignore[attr-defined]
        unit__code=account.unit_code,  # type: ignore[attr-defined]
    ).exists()
    assert user.full_name
    assert user.position
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_every_demo_person_shares_the_demo_password(demo: SeedResult) -> None:
    people = User.objects.filter(memberships__isnull=False).distinct()
    assert people.count() == demo.users
    assert all(user.check_password(DEMO_PASSWORD) for user in people)
    assert not User.objects.get(username="chutich").check_password("wrong-password")


def test_every_unit_has_a_head_who_leads_it(demo: SeedResult) -> None:
    for unit in Unit.objects.select_related("head"):
        roles = set(unit.memberships.filter(user=unit.head).values_list("role", flat=True))
        assert roles & {Role.UNIT_LEADER, Role.COMMITTEE_LEADER}, unit.code
