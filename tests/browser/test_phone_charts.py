"""Decisions read on a phone (390 px): the waterfall's and the tornado's names sit above their
bars, whole and inside the screen, the bars get the width; the explorer's heatmap gives its cells
most of the width, and its best options show their index and "Build" without scrolling sideways."""

import pytest

from tests.browser.test_home import ARTIFACTS, browser_page, draw_every_chart, log_in  # noqa: F401 - fixture
from tests.browser.test_phone import PHONE, two_scenarios
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For a chart: its y tick labels shown, its names drawn above bars (annotations on the y axis)
# with their boxes, and the plot area's box.
LAYOUT = """el => ({
  ticks: el._fullLayout.yaxis.showticklabels,
  names: Array.from(el.querySelectorAll(".annotation")).filter((a, k) => el.layout.annotations[k]
         && el.layout.annotations[k].yref === "y").map(a => a.getBoundingClientRect())
         .map(r => ({left: r.left, right: r.right})),
  plot: (r => ({left: r.left, width: r.width}))(el.querySelector(".nsewdrag").getBoundingClientRect()),
  page: el.getBoundingClientRect().width})"""


def test_waterfall_tornado_and_heatmap_are_legible_on_a_phone(browser_page, live_server, django_user_model):  # noqa: F811
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("phone-reader", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    first, _ = two_scenarios(user)
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "phone-reader", "a-long-test-password")
    for language in ("en", "es"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/scenarios/{first}/")
        draw_every_chart(page)
        for chart in ("#fig-waterfall", "#fig-tornado"):
            shown = page.eval_on_selector(chart, LAYOUT)
            bars = page.eval_on_selector(chart, "el => new Set(el.data.flatMap(t => Array.from(t.y))).size")
            assert shown["ticks"] is False, chart
            assert len(shown["names"]) == bars, chart  # every bar's name, above it
            assert all(0 <= r["left"] and r["right"] <= PHONE["width"] for r in shown["names"]), (chart, shown)
            assert shown["plot"]["width"] > 0.8 * shown["page"], (chart, shown)  # the bars take the width
        if language == "en":
            ARTIFACTS.mkdir(exist_ok=True)
            page.locator("#fig-waterfall").screenshot(path=str(ARTIFACTS / "phone-waterfall.png"))
            page.locator("#fig-tornado").screenshot(path=str(ARTIFACTS / "phone-tornado.png"))
        page.goto(f"{live_server.url}/scenarios/explorer/")
        draw_every_chart(page)
        shown = page.eval_on_selector("#fig-heatmap", LAYOUT)
        assert shown["plot"]["width"] > 0.55 * shown["page"], shown
        labels = page.eval_on_selector_all("#fig-heatmap .xtick text, #fig-heatmap .ytick text",
                                           "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])")
        assert labels and all(left >= 0 and right <= PHONE["width"] for left, right in labels)  # none cut
        if language == "en":
            page.locator("#fig-heatmap").screenshot(path=str(ARTIFACTS / "phone-heatmap.png"))
        # The best options' table: each row a block, its index and "Build" on the screen.
        row = page.locator("table.stack tbody tr").first
        for cell in (row.locator("td.num").first, row.locator("td").last.locator("a")):
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.console_errors == []
