"""Appraisal pages through the real HTTP path: board, detail, actions, refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tiendo.programs.tests.factories import make_unit, make_user

from ..models import AppraisalStep
from ..services import appraisal_submit
from .world import MONDAY, build_world

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_board_shows_where_the_project_waits() -> None:
    # given a submitted dossier
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # when the standing office opens the board as of 20 March 2024
    response = _client(w.office).get(reverse("appraisals:board"), {"on": "2024-03-20"})
    # then the project waits at step 1, past its limit
    assert response.status_code == 200
    assert response.context["figures"]["behind"] == 1
    assert "Tiếp nhận hồ sơ" in response.content.decode()


def test_the_responsible_body_passes_a_step_through_the_page() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    url = reverse("appraisals:pass", args=[w.project.pk])
    response = _client(w.reviewer).post(
        url, {"pass-on": "2024-03-05", "pass-version": appraisal.version}
    )
    assert response.status_code == 302
    assert AppraisalStep.objects.filter(appraisal=appraisal).count() == 2


def test_a_return_without_reason_changes_nothing_and_says_why() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    response = _client(w.reviewer).post(
        reverse("appraisals:return", args=[w.project.pk]), {"return-on": "2024-03-05"}
    )
    assert response.status_code == 400
    assert response.context["return_form"].errors["reason"]
    assert appraisal.steps.get().finished_on is None


def test_the_owner_cannot_decide_and_a_stranger_sees_nothing() -> None:
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    refused = _client(w.officer).post(
        reverse("appraisals:pass", args=[w.project.pk]), {"pass-on": "2024-03-05"}
    )
    assert refused.status_code == 403
    stranger = make_user(unit=make_unit("Sở khác"))
    assert (
        _client(stranger).get(reverse("appraisals:detail", args=[w.project.pk])).status_code == 404
    )
