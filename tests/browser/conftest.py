"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server.

No browser is downloaded. Without Chromium the tests are skipped, unless HAVEN_REQUIRE_BROWSER is
set (as CI does), in which case they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside one
# unless told that this is deliberate. The test code itself stays synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HAVEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("HAVEN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    from django.utils import translation
    from django.utils.translation import trans_real

    call_command("compiletranslations", verbosity=0)
    trans_real._translations = {}
    trans_real._default = None
    translation.deactivate()


@pytest.fixture
def web(chromium, live_server, transactional_db) -> Iterator[object]:  # noqa: ANN001
    """A fresh browser tab (own cookies) on a small laptop screen, pointed at the live server."""
    context = chromium.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 768},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: object, name: str) -> None:
    """Kept only when HAVEN_SCREENSHOT_DIR is set: for looking at the pages, not for asserting."""
    directory = os.environ.get("HAVEN_SCREENSHOT_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
