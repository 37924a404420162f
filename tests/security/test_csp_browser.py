"""Under the Content Security Policy every page still works in Chromium: the charts draw, the
admin, Swagger UI and Redoc start, and the browser reports no violation and no console error."""

import pytest

from tests.browser.test_home import browser_page, draw_every_chart, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser tells the page about each blocked load or script; collect them before any page code runs.
LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));"""


# Redoc always draws Redocly's logo from its CDN (no option turns it off); the policy blocks it,
# as it should, and Redoc hides the image when it fails. That one refusal is expected.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
EXPECTED = {"/api/redoc/": [f"img-src {REDOC_LOGO}"]}


def scenario_url(owner) -> str:
    from missions.models import MandateFunction, Mission
    from risks import services
    from risks.models import ContributionMode, Scenario

    scenario = Scenario.objects.create(name="CSP scenario", owner=owner,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMISS"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)
    return scenario.get_absolute_url()


def test_every_kind_of_page_renders_with_no_csp_violation(browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    admin = django_user_model.objects.create_superuser("csp-admin", password="a-long-test-password")
    page = browser_page
    page.add_init_script(LISTEN)
    csp_messages = []
    page.on("console", lambda m: csp_messages.append(m.text) if "Content Security Policy" in m.text
            and REDOC_LOGO not in m.text else None)
    log_in(page, live_server.url, "csp-admin", "a-long-test-password")

    visits = [  # (address, what shows the page's scripts ran)
        ("/", "#fig-map .geo"),
        ("/missions/MINURSO/", "#fig-top .main-svg"),
        (scenario_url(admin), "#fig-waterfall .main-svg"),
        ("/scenarios/explorer/", "#fig-heatmap .main-svg"),
        ("/scenarios/new/", "form.builder"),
        ("/admin/", "#content-main"),
        ("/admin/missions/mission/", "#changelist-form"),
        ("/admin/risks/scenario/add/", ".selector-available"),  # filter_horizontal is drawn by admin JS
        ("/api/docs/", ".swagger-ui .info .title"),
        ("/api/redoc/", ".api-content h1"),
    ]
    violations = {}
    for address, ready in visits:
        response = page.goto(live_server.url + address)
        assert response.ok, address
        assert "script-src 'self'" in response.headers["content-security-policy"], address
        if ready.startswith("#fig-"):
            draw_every_chart(page)  # charts are drawn as they near the viewport
        page.wait_for_selector(ready, timeout=30_000)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp")
        if found:
            violations[address] = found
    assert violations == EXPECTED
    assert csp_messages == []
    assert [m for m in page.console_errors if REDOC_LOGO not in m] == []
    # Redoc's search worker is a blob: of its own script; the logo was refused above.
    assert [u for u in page.foreign_requests if not u.startswith(f"blob:{live_server.url}/") and u != REDOC_LOGO] == []
