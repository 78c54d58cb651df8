"""Shared Playwright fixtures for real-browser tests (Debian's Chromium, headless, offline).

Use ``page`` (English) or ``page_vi`` in a test together with ``live_server``; the ``sign_in``
fixture goes through the real sign-in form. Mark browser tests ``@pytest.mark.e2e``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-Long-passw0rd"  # the factories' password


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url() -> Iterator[None]:
    """Let ``live_server`` start although evidence has no public URL (``MEDIA_URL = None``).

    Django's live server wraps the app in a media-file handler that parses ``MEDIA_URL``; with
    None it fails on every request. A URL on another host makes that handler serve nothing, so
    evidence is still reachable only through the access-checked download view.
    """
    from django.conf import settings

    original = settings.MEDIA_URL
    if not original:
        settings.MEDIA_URL = "http://media.invalid/"
    yield
    settings.MEDIA_URL = original


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/ensure-browser)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, locale: str) -> Iterator[Page]:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, "en-GB")


@pytest.fixture
def page_vi(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, "vi-VN")


def _sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """``sign_in(page, live_server.url, username[, password])``: through the form, as a person."""
    return _sign_in


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: ``TIENDO_SCREENSHOT_DIR`` to keep them, else a temporary folder."""
    kept = os.environ.get("TIENDO_SCREENSHOT_DIR")
    path = Path(kept) if kept else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path
