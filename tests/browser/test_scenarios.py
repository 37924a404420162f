"""An analyst builds a scenario, watches it compute, reads it and compares it, in Chromium."""

import re

import pytest

from tests.browser.test_home import ARTIFACTS, browser_page, draw_every_chart, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_builds_compares_and_reads_scenarios(browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("builder", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    page = browser_page
    log_in(page, live_server.url, "builder", "a-long-test-password")

    page.click("text=Scenarios")
    page.click("text=Preset: Japan safeguards")
    page.fill("#id_name", "Japanese-style engineers")
    for acronym in ("UNMISS", "UNFICYP", "MINURSO"):  # labelled "UNMISS (Juba, South Sudan)"
        page.get_by_label(re.compile(rf"\b{acronym} \(")).check()
    page.click("form.builder button[type=submit]:not(.visually-hidden):not([name=check])")
    page.wait_for_url("**/scenarios/*/**", timeout=20_000)
    draw_every_chart(page)
    page.wait_for_selector("#fig-waterfall .main-svg", timeout=30_000)
    assert page.locator(".verdict-card .verdict").first.inner_text().strip() in ("Feasible", "Conditional", "Infeasible")
    drawn = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => (e.data || []).length)")
    assert len(drawn) >= 4 and all(n > 0 for n in drawn)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario.png"), full_page=True)

    with page.expect_navigation():
        page.click("button:has-text('Duplicate')")
    draw_every_chart(page)
    page.wait_for_selector("#fig-distribution .main-svg", timeout=30_000)
    page.click("text=Scenarios")
    page.check("input[name=pick] >> nth=0")
    page.check("input[name=pick] >> nth=1")
    with page.expect_navigation():
        page.click("text=Compare the ticked scenarios")
    draw_every_chart(page)
    page.wait_for_selector("#fig-compare .main-svg", timeout=20_000)
    assert page.locator("table.compare th a").count() == 2
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)

    with page.expect_navigation():
        page.click("text=Selective peacekeeping")
    draw_every_chart(page)
    page.wait_for_selector("#fig-heatmap .main-svg", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "explorer.png"), full_page=True)

    page.click("button[value=es]")
    page.wait_for_load_state("networkidle")
    assert "Explorador de mantenimiento de la paz selectivo" in page.content()
    assert page.console_errors == []
    assert page.foreign_requests == []
