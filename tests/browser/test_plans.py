"""An analyst asks for a plan with the issue's limits and reads it, in Chromium, in English and
Spanish, on a desktop and a phone."""

import pytest

from tests.browser.test_home import ARTIFACTS, CHROMIUM, browser_page, draw_every_chart, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIGURES = ("#fig-frontier-people", "#fig-frontier-cost", "#fig-acceptability", "#fig-pathway", "#fig-references")


def drawn(page) -> None:
    draw_every_chart(page)
    for selector in FIGURES:
        page.wait_for_selector(f"{selector} .main-svg", timeout=30_000)
    counts = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => (e.data || []).length)")
    assert len(counts) == len(FIGURES) and all(n > 0 for n in counts)


def test_an_analyst_gets_a_plan_its_frontier_acceptability_and_pathway(browser_page, live_server,  # noqa: F811
                                                                       django_user_model):
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("planner", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    page = browser_page
    log_in(page, live_server.url, "planner", "a-long-test-password")
    page.click("nav.mainnav >> text=Plans")
    page.click("text=New plan")
    page.fill("#id_name", "300 people, US$ 20 M, no Chapter VII")
    page.fill("#id_max_people", "300")
    page.fill("#id_max_cost_usd", "20000000")
    page.check("#id_exclude_chapter_vii")
    page.click("form.builder button[type=submit]")
    page.wait_for_url("**/plans/*/", timeout=60_000)
    drawn(page)
    rows = page.locator("#plan-options tbody tr")
    assert rows.count() >= 1
    people = sum(int(rows.nth(k).locator("td").nth(3).inner_text()) for k in range(rows.count()))
    assert people <= 300
    missions = {rows.nth(k).locator("td").first.inner_text() for k in range(rows.count())}
    assert not missions & {"MINUSCA", "MONUSCO", "UNISFA", "UNMISS", "UNMIK"}  # Chapter VII missions
    assert page.locator("#pathway tbody tr").count() == 5
    assert page.console_errors == [] and page.foreign_requests == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-en-1400.png"), full_page=True)
    url = page.url
    browser = page.context.browser
    cookies = page.context.cookies()
    for locale, width, name in (("en-US", 390, "plan-en-390"), ("es-MX", 1400, "plan-es-1400"),
                                ("es-MX", 390, "plan-es-390")):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
        context.add_cookies(cookies)
        other = context.new_page()
        errors = []
        other.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        other.goto(url)
        drawn(other)
        if locale == "es-MX":
            assert "El plan óptimo" in other.content() and "Trayectoria" in other.content()
        width_used = other.evaluate("document.documentElement.scrollWidth")
        assert width_used <= width + 1, f"{name}: the page is {width_used} px wide"
        assert errors == []
        other.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
