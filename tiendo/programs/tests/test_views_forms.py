"""The page forms: a stored deadline written back into the form reads the same way again."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tiendo.core.deadlines import Deadline, DeadlineKind, parse_deadline, period_end
from tiendo.programs.forms import DeadlineField, deadline_text

years = st.integers(min_value=2000, max_value=2099)


@st.composite
def deadlines(draw: st.DrawFn) -> Deadline:
    kind = draw(st.sampled_from(DeadlineKind.values))
    if kind == DeadlineKind.ONGOING:
        return Deadline(kind, None)
    if kind == DeadlineKind.DATE:
        return Deadline(kind, draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))))
    if kind == DeadlineKind.MONTH:
        return Deadline(kind, period_end(kind, draw(years), draw(st.integers(1, 12))))
    if kind == DeadlineKind.QUARTER:
        return Deadline(kind, period_end(kind, draw(years), draw(st.integers(1, 4))))
    return Deadline(kind, period_end(kind, draw(years)))


@given(deadline=deadlines(), language=st.sampled_from(["vi", "en"]))
def test_edit_form_shows_a_deadline_that_parses_back_to_itself(
    deadline: Deadline, language: str
) -> None:
    # given a stored deadline, when the edit form writes it in the user's language,
    # then saving the form unchanged keeps exactly the same deadline
    with translation.override(language):
        text = deadline_text(deadline.kind, deadline.due)
        assert parse_deadline(text) == deadline
        assert DeadlineField().clean(text) == deadline


def test_empty_deadline_field_is_no_deadline() -> None:
    assert DeadlineField(required=False).clean("  ") is None
    assert deadline_text("", None) == ""
