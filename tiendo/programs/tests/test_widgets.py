"""``QuickSelect`` writes the same HTML as Django's ``Select`` templates, only faster."""

from __future__ import annotations

import re

import pytest
from django import forms

from tiendo.orgs.models import Unit
from tiendo.programs.forms import QuickSelect, UnitChoiceField

from .factories import make_unit

CHOICES = [
    ("", "—"),
    ("1", "Hà Nội"),
    ("2", '\u2003Sở <Thông tin> & "Truyền thông"'),
    ("Nhóm", [("3", "Xã 1"), ("4", "Xã 2")]),
]


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_quick_select_renders_what_select_renders() -> None:
    # given the same choices, attributes and selected value in both widgets
    attrs = {"id": "id_unit", "aria-describedby": "id_unit_helptext", "required": True}
    for value in ("2", "4", None):
        # when each renders
        quick = QuickSelect(choices=CHOICES).render("unit", value, attrs=attrs)
        plain = forms.Select(choices=CHOICES).render("unit", value, attrs=attrs)
        # then the HTML is the same, escaped alike
        assert _normal(quick) == _normal(plain)
    assert "&lt;Thông tin&gt; &amp; &quot;Truyền thông&quot;" in quick


@pytest.mark.django_db
def test_unit_choices_are_the_units_indented_by_depth() -> None:
    # given a unit tree
    province = make_unit("Tỉnh A", kind="province")
    district = make_unit("Huyện <B>", parent=province, kind="district")
    field = UnitChoiceField(queryset=Unit.objects.filter(pk__in=[province.pk, district.pk]))
    # when its select is rendered with the district chosen
    html = field.widget.render("unit", district.pk)
    # then each unit is an option labelled as label_from_instance labels it, escaped
    assert list(field.choices)[1:] == [
        (u.pk, field.label_from_instance(u)) for u in field.queryset.order_by("path")
    ]
    assert f'<option value="{district.pk}" selected>\u2003Huyện &lt;B&gt;</option>' in html
