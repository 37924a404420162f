"""The dashboard as a new analyst meets it, in headless Chromium (Debian's, via Playwright)."""

import time
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, reload_real_data  # noqa: F401 - CHROMIUM: other browser tests import it
from tools.screenshots import BRING_CHARTS_INTO_VIEW

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(live_server, chromium):
    """A page in a fresh browser context (its own cookies and cache) of the session's Chromium,
    recording console errors, dialogs and any request that leaves the test server."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.console_errors, page.foreign_requests, page.dialogs = [], [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:"))
            else page.foreign_requests.append(r.url))
    yield page
    context.close()


def draw_every_chart(page, timeout: int = 30_000) -> None:
    # A page polling a computation reloads itself when it is done (static/js/progress.js), maybe
    # while we scroll or wait: then scroll again, on the new page, until the timeout.
    from playwright.sync_api import Error as PlaywrightError  # its TimeoutError is one too

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            page.wait_for_selector("[data-figure]", state="attached", timeout=timeout)
            page.evaluate(BRING_CHARTS_INTO_VIEW)
            page.wait_for_selector("html[data-charts=drawn]", state="attached", timeout=10_000)
            return
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]:not([name])")
    page.wait_for_load_state("networkidle")


def test_an_analyst_logs_in_and_sees_the_charts_drawn_from_local_files(browser_page, live_server, django_user_model):
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("browser-analyst", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    page = browser_page
    log_in(page, live_server.url, "browser-analyst", "a-long-test-password")
    draw_every_chart(page)
    page.wait_for_selector("#fig-comparators .main-svg", timeout=20_000)
    drawn = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => (e.data || []).length)")
    assert len(drawn) == 5 and all(n > 0 for n in drawn)
    assert page.locator("#fig-map .geo").count() == 1  # the world map drew from our own topojson
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

    page.click("text=Missions")
    with page.expect_navigation():
        page.click("text=MINURSO")
    draw_every_chart(page)
    page.wait_for_selector("#fig-top .main-svg", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "minurso.png"), full_page=True)

    page.click("button[value=es]")
    page.wait_for_load_state("networkidle")
    assert "Presencia de México" in page.content()
    assert page.console_errors == []
    assert page.foreign_requests == []
