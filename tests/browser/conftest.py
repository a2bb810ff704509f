"""Browser tests: a real Chromium (Debian's, never downloaded) driven by Playwright against the app served on
127.0.0.1 by a real HTTP server in a thread, with the demo data loaded."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.extensions import db
from tests.app.conftest import advert_site

__all__ = ["advert_site"]  # a local job site, for fetching adverts by web address

CHROMIUM = os.environ.get("SCRUTINEER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(app: Flask, demo_snapshot: Any) -> Iterator[str]:
    with app.app_context():
        demo_snapshot.restore()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, tmp_path: Path) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, base_url=None)  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def check_accessibility(page: object) -> None:
    """axe-core over the whole page, WCAG 2.0–2.2 A and AA rules: no violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, (
        f"{page.url}:\n"
        + "\n".join(  # type: ignore[attr-defined]
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
        )
    )


def sign_in(page: object, base: str, email: str) -> None:
    page.goto(base + "/sign-in")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill("demo-password-for-tests")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/campaigns/")  # type: ignore[attr-defined]


def download_prepared(page: object, button: str, path: Path) -> Path:
    """Press the button that prepares a workbook or scorecard, follow its job's page until it offers the file
    (the page reloads itself when the job ends), check that page, and save the file to `path`."""
    page.get_by_role("button", name=button).click()  # type: ignore[attr-defined]
    page.wait_for_url("**/jobs/JOB-*")  # type: ignore[attr-defined]
    link = page.get_by_role("link", name=re.compile(r"^Download .+\.xlsx$"))  # type: ignore[attr-defined]
    link.wait_for(timeout=30_000)
    check_accessibility(page)
    with page.expect_download() as download:  # type: ignore[attr-defined]
        link.click()
    download.value.save_as(path)
    return path


def sign_out(page: object) -> None:
    page.get_by_role("link", name="Sign out").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign out").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/sign-in")  # type: ignore[attr-defined]


def tab_to(page: object, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text, label or value contains `text`: reachable by keyboard alone."""
    script = """() => {
      const el = document.activeElement;
      if (!el) return "";
      const labels = el.labels ? Array.from(el.labels).map(l => l.textContent).join(" ") : "";
      return [el.textContent, labels, el.getAttribute("aria-label") || "", el.value || ""].join(" ");
    }"""
    for _press in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if text in " ".join(page.evaluate(script).split()):  # type: ignore[attr-defined]
            return
    raise AssertionError(f"{text!r} cannot be reached with the Tab key")
