"""Every chart on every main page comes with its data (issue 24): a Chart / Table switch whose
table names its columns, and a CSV download holding exactly the numbers the figure plots, made in
the browser from the figure JSON the page carries (nothing uploaded, nothing fetched)."""

import base64
import csv
import io
import json

import numpy as np
import pytest

from tests.browser.test_accessibility import a_plan
from tests.browser.test_home import browser_page, draw_every_chart, log_in  # noqa: F401 - browser_page: a fixture
from tests.browser.test_phone import two_scenarios
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DTYPES = {"i1": np.int8, "u1": np.uint8, "i2": np.int16, "u2": np.uint16, "i4": np.int32, "u4": np.uint32,
          "f4": np.float32, "f8": np.float64}


def decoded(value):
    """plotly.py's base64 arrays ({dtype, bdata, shape}) as lists; anything else as it is."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=DTYPES[value["dtype"]])
        if value.get("shape"):
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    return value


def figure(page, chart_id: str) -> dict:
    return json.loads(page.text_content(f"#{chart_id}-data"))


def csv_rows(page, chart_id: str) -> list[list[str]]:
    with page.expect_download() as info:
        page.click(f"#{chart_id}-switch button.csv")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    return list(csv.reader(io.StringIO(text)))


def check_every_chart(page) -> dict[str, list[list[str]]]:
    """Switch each chart to its table and back, download its CSV; returns the CSVs by chart id."""
    found = {}
    for chart_id in page.eval_on_selector_all("[data-figure]", "els => els.map(e => e.id)"):
        switch = page.locator(f"#{chart_id}-switch")
        assert switch.get_attribute("role") == "group"
        table_button = switch.locator("button[aria-pressed]").nth(1)
        table_button.click()
        assert table_button.get_attribute("aria-pressed") == "true"
        assert page.locator(f"#{chart_id}").is_hidden()
        table = page.locator(f"#{chart_id}-table table")
        assert table.is_visible()
        assert len(table.locator("caption").text_content().strip()) >= 10  # named as the chart is
        header = [t.strip() for t in table.locator("thead th").all_text_contents()]
        assert header and all(header), (chart_id, header)
        assert not any(h.startswith("detail") for h in header), (chart_id, header)  # every column named
        body = table.locator("tbody tr").count()
        assert body > 0
        rows = csv_rows(page, chart_id)
        assert [h.strip() for h in rows[0]] == header and len(rows) - 1 == body, chart_id
        switch.locator("button[aria-pressed]").nth(0).click()
        assert page.locator(f"#{chart_id}").is_visible() and table.is_hidden()
        found[chart_id] = rows
    return found


def test_every_chart_has_its_table_and_a_csv_of_the_numbers_it_plots(browser_page, live_server,  # noqa: F811
                                                                      django_user_model):
    reload_real_data()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("table-analyst", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    first, second = two_scenarios(user)
    plan = a_plan(user)
    pages = {"overview": "/", "mission": "/missions/MINUSCA/", "scenario": f"/scenarios/{first}/",
             "explorer": "/scenarios/explorer/", "compare": f"/scenarios/compare/?ids={first},{second}",
             "plan": f"/plans/{plan}/", "validation": "/validation/"}
    page = browser_page
    log_in(page, live_server.url, "table-analyst", "a-long-test-password")
    csvs, figures, counted = {}, {}, 0
    for name, address in pages.items():
        assert page.goto(live_server.url + address).ok, address
        draw_every_chart(page, timeout=60_000)
        found = check_every_chart(page)
        assert found, name
        counted += len(found)
        csvs |= found
        figures |= {chart_id: figure(page, chart_id) for chart_id in found}
    assert counted >= 20
    assert page.console_errors == [] and page.foreign_requests == []

    # The plan's pathway (a wide table: a row per year, a column per trace) holds every trace's y.
    pathway, rows = figures["fig-pathway"], csvs["fig-pathway"]
    years = [r[0] for r in rows[1:]]
    for trace in pathway["data"]:
        column = next(k for k, h in enumerate(rows[0]) if h.startswith(trace["name"].replace("&amp;", "&")))
        plotted = dict(zip(decoded(trace["x"]), decoded(trace["y"]), strict=True))
        assert [float(r[column]) for r in rows[1:]] == [plotted[y] for y in years], trace["name"]
    # ... in three units on three axes, no longer "US$ M" beside "fatalities x 100" on one.
    assert {t.get("yaxis", "y") for t in pathway["data"]} == {"y", "y2", "y3"}
    assert len({t["marker"]["color"] for t in pathway["data"] if t["type"] == "bar"}) \
        == len({t["name"].split(" · ")[0] for t in pathway["data"] if t["type"] == "bar"})  # a colour per mission

    # The mission's top contributors (horizontal bars, read top down): country and personnel.
    bar = figures["fig-top"]["data"][0]
    assert [(r[0], int(r[1])) for r in csvs["fig-top"][1:]] == \
        list(zip(decoded(bar["y"])[::-1], [int(v) for v in decoded(bar["x"])[::-1]], strict=True))

    # The scenario's scatter (one row per point): each verdict's points with their mission names.
    scatter = figures["fig-scatter"]["data"]
    header, *rows = csvs["fig-scatter"]
    # the axes are in index points when the scenario has an index, else in weighted exposure
    name, series = header.index("mission"), header.index("series")
    x = next(i for i, h in enumerate(header) if h.startswith("risk ("))
    y = next(i for i, h in enumerate(header) if h.startswith("opportunity ("))
    assert name == 0  # each row named by its mission
    for trace in scatter:
        if trace.get("hoverinfo") == "skip":
            continue
        mine = [r for r in rows if r[series] == trace["name"]]
        assert [(r[name], float(r[x]), float(r[y])) for r in mine] == list(zip(
            decoded(trace["text"]), decoded(trace["x"]), decoded(trace["y"]), strict=True))
