"""Consultation rounds: sending, answers, lateness as of a day, synthesis, permissions, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs.tests.factories import make_unit, make_user

from ..consultation import (
    RecipientState,
    consultation_answer,
    consultation_mark_not_answered,
    consultation_respond,
    consultation_send,
    recipient_state,
    response_figures,
    round_get,
    round_recipients,
)
from ..models import Answer, ConsultationRecipient, Response
from .world import build_world

pytestmark = pytest.mark.django_db
SENT, DEADLINE = dt.date(2024, 3, 4), dt.date(2024, 3, 15)


def _round():  # type: ignore[no-untyped-def]
    w = build_world()
    round_ = consultation_send(
        actor=w.office, program=w.program, title="Dự thảo Kế hoạch chuyển đổi số",
        questions="Đề nghị góp ý mục III.", sender_unit=w.appraiser,
        units=[w.planning, w.owner], sent_on=SENT, deadline=DEADLINE,
    )  # fmt: skip
    planning = round_.recipients.get(unit=w.planning)
    owner = round_.recipients.get(unit=w.owner)
    return w, round_, planning, owner


def test_who_answered_and_who_is_late_as_of_a_day() -> None:
    # given a round due on 15 March; planning answers with comments on 12 March, the owner on 20 March
    w, round_, planning, owner = _round()
    consultation_answer(actor=w.planner, recipient=planning, answer=Answer.AGREE_WITH_COMMENTS,
                        comments="Bổ sung nguồn vốn.", on=dt.date(2024, 3, 12))  # fmt: skip
    # when the drafter reads the round on 18 March
    states = {r.unit: s for r, s in round_recipients(round_, on=dt.date(2024, 3, 18))}
    # then planning answered on time and the owner is late
    assert states == {w.planning: RecipientState.ON_TIME, w.owner: RecipientState.LATE}
    consultation_answer(actor=w.officer, recipient=owner, answer=Answer.DISAGREE,
                        comments="Chưa phù hợp.", on=dt.date(2024, 3, 20))  # fmt: skip
    later = [s for _, s in round_recipients(round_, on=dt.date(2024, 3, 25))]
    figures = response_figures(later)
    assert (figures["answered_late"], figures["response_rate"]) == (1, 100.0)
    # and as of 10 March both were still within the deadline
    assert [s for _, s in round_recipients(round_, on=dt.date(2024, 3, 10))] == [
        "waiting",
        "waiting",
    ]


def test_the_synthesis_table_carries_the_drafters_response() -> None:
    w, _, planning, _ = _round()
    consultation_answer(actor=w.planner, recipient=planning, answer=Answer.AGREE_WITH_COMMENTS,
                        comments="Bổ sung nguồn vốn.", on=dt.date(2024, 3, 12))  # fmt: skip
    consultation_respond(
        actor=w.reviewer, recipient=planning, response=Response.ACCEPTED, text="Đã bổ sung."
    )
    row = ConsultationRecipient.objects.get(pk=planning.pk)
    assert (row.comments, row.response, row.response_text) == (
        "Bổ sung nguồn vốn.",
        "accepted",
        "Đã bổ sung.",
    )
    with pytest.raises(ValidationError):
        consultation_respond(
            actor=w.reviewer, recipient=planning, response=Response.EXPLAINED, text=""
        )


def test_a_unit_answers_only_for_itself_and_disagreeing_needs_reasons() -> None:
    w, _, planning, owner = _round()
    with pytest.raises(PermissionDeniedError):
        consultation_answer(actor=w.officer, recipient=planning, answer=Answer.AGREE, on=SENT)
    with pytest.raises(ValidationError):
        consultation_answer(actor=w.officer, recipient=owner, answer=Answer.DISAGREE, on=SENT)
    assert ConsultationRecipient.objects.get(pk=owner.pk).answer == ""


def test_not_answered_is_marked_only_after_the_deadline_by_the_drafter() -> None:
    w, round_, _, owner = _round()
    with pytest.raises(ValidationError):
        consultation_mark_not_answered(actor=w.reviewer, recipient=owner, on=DEADLINE)
    with pytest.raises(PermissionDeniedError):
        consultation_mark_not_answered(actor=w.planner, recipient=owner, on=dt.date(2024, 3, 18))
    consultation_mark_not_answered(actor=w.reviewer, recipient=owner, on=dt.date(2024, 3, 18))
    states = [s for r, s in round_recipients(round_, on=dt.date(2024, 3, 20)) if r.unit == w.owner]
    assert states == [RecipientState.NOT_ANSWERED]


def test_rounds_outside_the_scope_are_not_found() -> None:
    w, round_, _, _ = _round()
    assert round_get(scope_for(w.planner), round_.pk) == round_  # consulted
    stranger = make_user(unit=make_unit("Sở khác"))
    with pytest.raises(Http404):
        round_get(scope_for(stranger), round_.pk)


@given(st.integers(0, 30), st.integers(-5, 40), st.booleans())
def test_recipient_state_rule(deadline_after: int, read_after: int, answered: bool) -> None:
    # given a round sent on SENT, an answer 10 days after (or none), read some days after sending
    deadline = SENT + dt.timedelta(days=deadline_after)
    on = SENT + dt.timedelta(days=read_after)
    answer_day = SENT + dt.timedelta(days=10)
    recipient = ConsultationRecipient(
        answer=Answer.AGREE if answered else "", answered_on=answer_day if answered else None
    )
    state = recipient_state(recipient, deadline, on)
    # then an answer counts only from its day, and lateness compares with the deadline
    if answered and answer_day <= on:
        assert state == (
            RecipientState.ON_TIME if answer_day <= deadline else RecipientState.ANSWERED_LATE
        )
    else:
        assert state == (RecipientState.LATE if on > deadline else RecipientState.WAITING)
