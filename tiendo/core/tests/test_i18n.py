"""The Vietnamese interface is complete: every app's catalogue translated, compiled, and used.

The catalogue checks run over every app that has a ``locale`` folder, found on disk, so a new
app is checked without anyone having to remember to add it here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tiendo.programs.status import TaskStatus


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    # The test client leaves the last request's language active in this thread: put the
    # default back so that later tests (in any module) do not run in Vietnamese by accident.
    yield
    translation.deactivate()


ROOT = Path(__file__).resolve().parents[2]
APPS = sorted(p.parents[3].name for p in ROOT.glob("*/locale/vi/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue(app: str) -> polib.POFile:
    return polib.pofile(str(ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


def test_every_app_has_a_catalogue() -> None:
    assert {"core", "accounts", "orgs", "programs", "api", "audit", "reporting"} <= set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_vietnamese_catalogue_is_complete(app: str) -> None:
    catalogue = _catalogue(app)
    assert len(catalogue) > 0
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("app", APPS)
def test_translations_keep_their_placeholders(app: str) -> None:
    # A lost %(name)s would raise KeyError or drop a figure from the sentence at run time.
    for entry in _catalogue(app).translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            found = set(PLACEHOLDER.findall(text))
            # Vietnamese has one plural form, which may use the plural's placeholders only.
            assert found <= wanted, (app, entry.msgid)
            if not entry.msgid_plural:
                assert found == wanted, (app, entry.msgid)


@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogue_matches_the_source(app: str) -> None:
    po = _catalogue(app)
    mo = polib.mofile(str(ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if not e.msgid_plural}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (app, entry.msgid)


def test_statuses_use_the_glossary_terms() -> None:
    with translation.override("vi"):
        labels = {s.value: str(s.label) for s in TaskStatus}
    assert labels[TaskStatus.COMPLETED_ON_TIME] == "Hoàn thành đúng hạn"
    assert labels[TaskStatus.OVERDUE] == "Đang thực hiện quá hạn"
    assert labels[TaskStatus.IN_PROGRESS] == "Đang thực hiện trong hạn"
    assert labels[TaskStatus.NOT_STARTED] == "Chưa triển khai"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", ["Đăng nhập tiendo", 'lang="vi"']), ("en", ["Sign in to tiendo", 'lang="en"'])],
)
def test_sign_in_page_renders_in_both_languages(language: str, expected: list[str]) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("login")).content.decode()
    for text in expected:
        assert text in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Rõ việc", "Cơ quan chủ trì", "Thời gian hoàn thành", "Báo cáo tiến độ"]),
        ("en", ["Clear work", "Lead unit", "Completion time", "Report progress"]),
    ],
)
def test_task_page_renders_in_both_languages(language: str, expected: list[str]) -> None:
    from tiendo.programs.tests.factories import make_program, make_task, make_unit

    unit = make_unit()
    task = make_task(program=make_program(owner=unit), lead_unit=unit)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(task.assignee)
    html = client.get(task.get_absolute_url()).content.decode()
    for text in expected:
        assert text in html


@pytest.mark.django_db
def test_language_switcher_sets_the_language() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert response.status_code == 302
    assert "Đăng nhập tiendo" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("language", "expected"), [("vi", "Đã xảy ra lỗi"), ("en", "Something went wrong")]
)
def test_server_error_page_in_both_languages(language: str, expected: str) -> None:
    from django.test import RequestFactory
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert expected in response.content.decode()
