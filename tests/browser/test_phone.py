"""Every main page on a phone (390 x 844, an iPhone 14's viewport), in Chromium: nothing wider than
the screen, the menu folded behind its button, charts drawn to the screen's width, no console error;
and nothing wider than the window at 1400 px."""

import pytest

from tests.browser.test_home import ARTIFACTS, browser_page, draw_every_chart, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def two_scenarios(owner) -> list[int]:
    from missions.models import MandateFunction, Mission
    from risks import services
    from risks.models import ContributionMode, Scenario

    ids = []
    for name, acronyms in (("Phone one", ["MINURSO", "UNMISS"]), ("Phone two", ["UNIFIL", "UNFICYP"])):
        scenario = Scenario.objects.create(name=name, owner=owner, mode=ContributionMode.objects.get(code="individual"))
        scenario.missions.set(Mission.objects.filter(acronym__in=acronyms))
        scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
        services.recompute_scenario(scenario.pk)
        ids.append(scenario.pk)
    return ids


def test_every_main_page_fits_a_phone_screen_with_its_menu_folded_and_charts_drawn(browser_page, live_server,  # noqa: F811
                                                                                    django_user_model):
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("phone-analyst", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    first, second = two_scenarios(user)
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "phone-analyst", "a-long-test-password")

    menu = page.locator(".menu-button")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.locator(".mainnav").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    page.locator(".mainnav a").first.focus()
    page.keyboard.press("Escape")  # folds the menu and gives focus back to its button
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")
    menu.click()
    page.locator(".mainnav a", has_text="Missions").click()
    page.wait_for_url("**/missions/")
    assert not page.locator(".mainnav").is_visible()  # the next page starts folded

    pages = {
        "overview": "/", "missions": "/missions/", "mission": "/missions/MINUSCA/", "scenarios": "/scenarios/",
        "scenario": f"/scenarios/{first}/", "explorer": "/scenarios/explorer/", "builder": "/scenarios/new/",
        "compare": f"/scenarios/compare/?ids={first},{second}",
    }
    too_wide, undrawn, uploads = {}, [], []
    for language in ("en", "es"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for name, address in pages.items():
            assert page.goto(live_server.url + address).ok, address
            if page.locator("[data-figure]").count():
                draw_every_chart(page)
                widths = page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.getBoundingClientRect().right)")
                if not widths or max(widths) > PHONE["width"]:
                    undrawn.append((language, name, widths))
                # No chart may offer an upload to another host (plotly.js 4's "Share chart..." is on by default).
                offers = page.eval_on_selector_all(".js-plotly-plot", """els => els.filter(e =>
                    e._context.showSendToCloud !== false || e._context.plotlyServerURL !== ""
                    || e.querySelector('[data-title^="Share"], [data-title^="Compartir"]')).length""")
                if offers:
                    uploads.append((language, name, offers))
            page.wait_for_load_state("networkidle")
            width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
            if width > PHONE["width"]:
                too_wide[f"{language} {name}"] = width
            if language == "en":
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    assert too_wide == {}
    assert undrawn == []
    assert uploads == []
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # the first stop is the skip link, and it leads into the page's content
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    assert page.locator(".mainnav").is_visible() and not menu.is_visible()  # a desktop shows the menu
    for name, address in pages.items():  # and on a desktop no long cell widens a page either
        page.goto(live_server.url + address)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 1400:
            too_wide[f"desktop {name}"] = width
    assert too_wide == {}
    assert page.console_errors == []
