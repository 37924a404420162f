"""The builder and the AHP page guide while the analyst types, in Chromium: the builder names the
rule a ticked mission fails as it is ticked; the AHP page shows the consistency ratio and the
weights as judgments are typed, points at the worst judgment and moves the focus to it; both
pages have no serious or critical WCAG A/AA violation (axe-core), in English and Spanish."""

import pytest

from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA
from tests.browser.test_home import browser_page, log_in  # noqa: F401 - fixture
from tests.browser.test_weights import CATEGORIES
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


@pytest.fixture
def csp_free_page(live_server, chromium):
    """A page of the session's Chromium that lets the test inject axe-core past the pages' CSP."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def an_analyst(django_user_model, name="form-analyst"):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(name, password=PASSWORD)
    user.groups.add(Group.objects.get(name="analyst"))
    return user


def type_consistent_ahp(page):
    priority = {code: 9 - k for k, code in enumerate(CATEGORIES)}
    for i, a in enumerate(CATEGORIES):
        for b in CATEGORIES[i + 1:]:
            page.fill(f"#id_p_{a}__{b}", f"{priority[a]}/{priority[b]}")


def choose_a_unit_for_unmogip(page):
    page.check("input[name=mode] >> nth=0")  # the first mode: a national contingent
    assert page.locator("label:has(input[name=mode]:checked)").inner_text().strip() in ("National contingent",
                                                                                      "Contingente nacional")
    page.fill("#id_size", "150")
    page.fill("#id_duration_months", "12")
    page.check("label:has-text('Ceasefire') input[name=functions], label:has-text('cese al fuego') input[name=functions]")
    page.check("label:has-text('UNMOGIP') input[name=missions]")


def test_the_ahp_page_shows_the_ratio_and_weights_live_and_goes_to_the_worst_judgment(
        browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    an_analyst(django_user_model)
    page = browser_page
    log_in(page, live_server.url, "form-analyst", PASSWORD)
    page.goto(f"{live_server.url}/weights/new/ahp/")
    live = page.locator(".ahp-live")
    assert live.is_visible()
    assert "0 of 36 comparisons given" in live.inner_text()
    type_consistent_ahp(page)
    assert page.inner_text(".ahp-live output.cr") == "0.00"
    # the weights as the server will compute them: priorities 9..1 over 45
    assert "Human rights and conduct: 20.0%" in live.inner_text()
    assert page.locator(".ahp-live .worst-line").is_hidden()

    # one judgment reversed: the ratio jumps while typing, nothing submitted
    bad = "#id_p_human_rights_conduct__international_standing"
    page.fill(bad, "1/9")
    ratio = float(page.inner_text(".ahp-live output.cr"))
    assert ratio > 0.10 and "bad" in page.get_attribute(".ahp-live output.cr", "class")
    assert page.url.endswith("/weights/new/ahp/")
    worst = page.inner_text(".ahp-live .worst-text")
    assert "Human rights and conduct against International standing = 1/9" in worst
    assert page.locator("tr.worst").count() == 1
    page.focus("#id_name")
    page.click(".ahp-live button.go")
    assert page.evaluate("document.activeElement.id") == bad[1:]
    # taking the suggestion brings the ratio back under the limit, still live
    page.click(".ahp-live button.use")
    assert float(page.inner_text(".ahp-live output.cr")) <= 0.10
    assert page.locator("tr.worst").count() == 0

    # the same ratio as the server's: submitted with the value typed, the set is saved with it
    page.fill("#id_name", "Live AHP")
    shown = float(page.inner_text(".ahp-live output.cr"))
    page.click("form.elicit button[type=submit]")
    page.wait_for_url("**/weights/*/")
    from weights.models import WeightSet

    assert round(WeightSet.objects.get(name="Live AHP").consistency_ratio, 2) == pytest.approx(shown, abs=0.005)
    assert page.console_errors == []


def test_the_builder_names_the_failed_rule_as_a_mission_is_ticked(browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    an_analyst(django_user_model)
    page = browser_page
    log_in(page, live_server.url, "form-analyst", PASSWORD)
    page.goto(f"{live_server.url}/scenarios/new/")
    assert page.locator("#rule-checks .no-js-check").is_hidden()  # JavaScript checks as you go
    choose_a_unit_for_unmogip(page)
    panel = page.locator("#rule-checks .rule-results")
    panel.locator("text=Does the mission take this kind of personnel?").wait_for()
    assert "No: UNMOGIP has no formed units" in panel.inner_text()
    tag = page.locator("label:has-text('UNMOGIP') .verdict-tag")
    assert tag.inner_text() == "Infeasible" and "infeasible" in tag.get_attribute("class")
    # untick it from the panel: the panel and the list follow
    page.click("#rule-checks button[name=drop_infeasible]")
    panel.locator("text=Tick missions to see").wait_for()
    assert not page.is_checked("label:has-text('UNMOGIP') input[name=missions]")
    from risks.models import Scenario

    assert not Scenario.objects.exists()  # checking saves nothing
    assert page.console_errors == []


def test_the_builder_and_the_ahp_page_have_no_serious_wcag_violation(csp_free_page, live_server, django_user_model):
    reload_real_data()
    an_analyst(django_user_model)
    page = csp_free_page
    log_in(page, live_server.url, "form-analyst", PASSWORD)
    found = {}
    for language, width in (("en", 1400), ("es", 1400), ("es", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/scenarios/new/")
        choose_a_unit_for_unmogip(page)
        page.locator("#rule-checks .mission-check").first.wait_for()
        page.locator("label:has-text('UNMOGIP') .verdict-tag").wait_for()
        page.add_script_tag(path=str(AXE))
        if violations := page.evaluate(RUN_AXE, WCAG_AA):
            found[f"{language} {width} builder"] = violations
        page.goto(f"{live_server.url}/weights/new/ahp/")
        type_consistent_ahp(page)
        page.fill("#id_p_human_rights_conduct__international_standing", "1/9")
        page.locator(".ahp-live .worst-line").wait_for()
        assert page.inner_text(".ahp-live output.cr") == "0.30", language  # the server's CR, in any language
        page.add_script_tag(path=str(AXE))
        if violations := page.evaluate(RUN_AXE, WCAG_AA):
            found[f"{language} {width} AHP"] = violations
    assert found == {}, found
