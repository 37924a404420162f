"""An analyst derives weights by swing and by AHP (fixing the judgment the page points to), then
runs a three-participant workshop and reads each participant's best option, in Chromium."""

import re

import pytest

from tests.browser.test_home import ARTIFACTS, browser_page, draw_every_chart, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATEGORIES = ("human_rights_conduct", "reputation", "constitutional_legal", "domestic_politics", "budget",
              "operational_security", "professionalisation", "transparency_accountability", "international_standing")


def make_scenario(owner):
    from missions.models import MandateFunction, Mission
    from risks import services
    from risks.models import ContributionMode, Scenario

    scenario = Scenario.objects.create(name="Observers for the workshop", owner=owner,
                                       mode=ContributionMode.objects.get(code="individual"), size=10)
    function = MandateFunction.objects.get(code="ceasefire_monitoring")
    scenario.missions.set(Mission.objects.filter(is_active=True, functions=function).distinct())
    scenario.functions.set([function])
    services.recompute_scenario(scenario.pk)
    return scenario


def test_swing_ahp_with_a_fix_and_a_three_participant_workshop(browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("weigher", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    scenario = make_scenario(user)
    page = browser_page
    log_in(page, live_server.url, "weigher", "a-long-test-password")
    ARTIFACTS.mkdir(exist_ok=True)

    # Swing weighting, from the builder's link.
    page.goto(f"{live_server.url}/scenarios/{scenario.pk}/edit/")
    page.click("a:has-text('swing weighting')")
    page.fill("#id_name", "Security first (swing)")
    for code, rating in zip(CATEGORIES, (60, 40, 80, 50, 30, 100, 20, 20, 40), strict=True):
        page.fill(f"#id_r_{code}", str(rating))
    # With JavaScript the page shows each weight as it will be saved (100 / 440).
    assert page.inner_text("output[for=id_r_operational_security]") == "22.7%"
    page.click("form.elicit button[type=submit]")
    page.wait_for_url(f"**/scenarios/{scenario.pk}/**")
    assert "Weights from “Security first (swing)”: Swing weighting." in page.inner_text(".weight-source")

    # AHP with one reversed judgment: the page names it and the value the others imply.
    page.goto(f"{live_server.url}/weights/new/ahp/")
    page.fill("#id_name", "Pairwise (AHP)")
    priority = {code: 9 - k for k, code in enumerate(CATEGORIES)}
    for i, a in enumerate(CATEGORIES):
        for b in CATEGORIES[i + 1:]:
            page.fill(f"#id_p_{a}__{b}", f"{priority[a]}/{priority[b]}")
    page.fill("#id_p_human_rights_conduct__international_standing", "1/9")
    page.click("form.elicit button[type=submit]")
    alert = page.inner_text(".errors[role=alert]")
    assert "inconsistent" in alert and "Human rights and conduct against International standing = 1/9" in alert
    page.screenshot(path=str(ARTIFACTS / "ahp-inconsistent.png"), full_page=True)
    suggested = re.search(r"suggested: ([0-9/]+)", alert).group(1)
    page.click(".errors[role=alert] a.go-to")
    # "Go to" moves the focus to the judgment itself, not only the view
    assert page.url.endswith("#id_p_human_rights_conduct__international_standing")
    assert page.evaluate("document.activeElement.id") == "id_p_human_rights_conduct__international_standing"
    flagged = page.locator("tr.flagged input")
    assert flagged.count() == 1
    flagged.fill(suggested)
    page.click("form.elicit button[type=submit]")
    page.wait_for_url(re.compile(r"/weights/\d+/"))  # the weight set's page (the #fragment stays)
    lede = page.inner_text(".lede")
    assert "AHP pairwise comparisons" in lede
    assert float(re.search(r"consistency ratio ([0-9.]+)", lede).group(1)) <= 0.10

    # A workshop of three on the scenario.
    page.goto(f"{live_server.url}/scenarios/{scenario.pk}/")
    page.click("a.button:has-text('Workshop')")
    for label, top in (("SRE", "international_standing"), ("SEDENA", "operational_security"),
                       ("Senate committee", "budget")):
        page.fill("#id_p-label", label)
        for code in CATEGORIES:
            page.fill(f"#id_p-r_{code}", "100" if code == top else "10")
        page.click("#add button[type=submit]")
        page.wait_for_selector(f"#per-participant :text-is('{label}')")
    rows = page.locator("#per-participant tbody tr")
    assert rows.count() == 3
    acronyms = "|".join(re.escape(a) for a in scenario.missions.values_list("acronym", flat=True))
    shown = rf"^(({acronyms})|No deployment \(the best, ({acronyms}), scores below zero\)|none admissible)$"
    for k in range(3):
        assert re.match(shown, rows.nth(k).locator("td").nth(1).inner_text())
    answer = page.inner_text("#answer p")
    assert "Under the group's weights the best admissible option is" in answer
    assert ("would change it" in answer) == (page.locator("#per-participant tr.flagged").count() > 0)
    draw_every_chart(page)
    page.wait_for_selector("#fig-workshop .main-svg", timeout=20_000)
    assert page.eval_on_selector("#fig-workshop", "e => e.data.length") == 4  # the group and three participants
    page.screenshot(path=str(ARTIFACTS / "workshop.png"), full_page=True)

    page.click("button[value=es]")
    page.wait_for_load_state("networkidle")
    assert "¿Cambiarían las prioridades de alguien la recomendación?" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "workshop-es-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    # The refused AHP form answered 400 (Chromium logs that); nothing else went wrong.
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []
    assert page.foreign_requests == []
