"""In a real browser, pages and charts showing hostile names run no script and draw the names as
typed (headless Debian chromium through Playwright)."""


import pytest
from django.conf import settings
from django.test import Client

from risks.models import Factor
from tests.browser.test_home import browser_page, draw_every_chart  # noqa: F401 - fixture
from tests.conftest import make_user, reload_real_data
from tests.security.test_escaping import TAG, make_everything_hostile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_script_runs_and_names_are_drawn_as_text(browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    scenario = make_everything_hostile()
    client = Client()
    client.force_login(make_user(django_user_model, "superuser"))
    page = browser_page
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    for path, chart in [("/missions/MINURSO/", "#fig-top"), (scenario.get_absolute_url(), "#fig-waterfall"),
                        ("/scenarios/explorer/?mode=individual", "#fig-heatmap"), ("/", "#fig-comparators"),
                        ("/missions/", None), (f"/admin/risks/factor/{Factor.objects.first().pk}/change/", None)]:
        page.goto(live_server.url + path)
        if chart:
            draw_every_chart(page)  # charts are drawn as they near the viewport
            page.wait_for_selector(f"{chart} .main-svg", timeout=20_000)
            page.hover(f"{chart} .main-svg")
            drawn = page.eval_on_selector(chart, "el => el.textContent")
            assert TAG in drawn, f"{path}: the chart does not draw the name as typed"
            assert page.locator(f"{chart} img").count() == 0
        else:
            assert TAG in page.inner_text("body"), f"{path}: the name is not shown as text"
        assert page.locator("img[src=x]").count() == 0, path
    assert page.dialogs == [], f"a hostile name ran script: {page.dialogs}"
