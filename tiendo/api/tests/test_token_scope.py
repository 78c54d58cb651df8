"""API token scopes: a read-only token reads and never writes."""

import pytest
from django.test import Client

from tiendo.accounts.models import Role, TokenScope
from tiendo.accounts.services import api_token_create
from tiendo.programs.models import Program
from tiendo.programs.tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_a_read_only_token_reads_but_cannot_write() -> None:
    unit = make_unit(kind="province")
    user = make_user(unit=unit, role=Role.STANDING_OFFICE)
    _, secret = api_token_create(user=user, name="etl", scope=TokenScope.READ)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/programs").status_code == 200
    response = client.post(
        "/api/v1/programs",
        {"code": "x1", "name": "X", "owner_unit": unit.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not Program.objects.filter(code="x1").exists()


def test_a_write_token_writes() -> None:
    unit = make_unit(kind="province")
    user = make_user(unit=unit, role=Role.STANDING_OFFICE)
    _, secret = api_token_create(user=user, name="sync", scope=TokenScope.WRITE)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = client.post(
        "/api/v1/programs",
        {"code": "x2", "name": "X", "owner_unit": unit.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
