"""``{% status_badge %}`` and ``{% progress_bar %}``: the markup every list and page uses."""

from django.template import Context, Template
from django.utils import translation

from tiendo.core.templatetags.ui import progress_bar_html, status_badge_html


def _render(source: str, **context: object) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_a_badge_writes_the_status_as_class_and_data_and_escapes_the_label() -> None:
    html = _render("{% status_badge s label %}", s="overdue", label="Quá hạn <b>")
    assert html == ('<span class="badge s-overdue" data-status="overdue">Quá hạn &lt;b&gt;</span>')
    assert status_badge_html('x" onclick="y', "z") == (
        '<span class="badge s-x&quot; onclick=&quot;y" data-status="x&quot; onclick=&quot;y">'
        "z</span>"
    )


def test_a_bar_shows_the_percent_and_a_dash_when_nothing_was_reported() -> None:
    with translation.override("vi"):
        reported = _render("{% progress_bar p %}", p=40)
        never = progress_bar_html(None)
    assert 'aria-valuenow="40"' in reported
    assert "inline-size: 40%" in reported
    assert '<span class="label">40%</span>' in reported
    assert 'aria-label="Tiến độ"' in reported  # translated
    assert 'aria-valuenow="0"' in never
    assert '<span class="label">–</span>' in never
    assert '<span class="label">0%</span>' in progress_bar_html(0)  # 0 % is not "never"
