"""The missions charts tell the truth about gaps and small counts, and keep Mexico in view."""

import base64
import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from missions import charts, selectors
from pkoanalysis import chartstyle
from risks.engine import gates

MONTHS = pd.date_range("2018-01-01", "2018-08-01", freq="MS")


def as_json(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def values(array) -> list:
    """A figure JSON array as a list: plotly sends numpy arrays as base64 typed arrays."""
    if isinstance(array, dict):
        decoded = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        return [None if np.isnan(v) else float(v) for v in decoded]
    return list(array)


def monthly(values) -> pd.Series:
    return pd.Series(values, index=MONTHS, dtype=float)


def test_months_no_source_reports_are_shaded_and_labelled_not_drawn_as_zeros():
    series = {"troops": monthly([3, 4, np.nan, np.nan, 5, 0, np.nan, 2]),
              "experts": monthly([1, 0, np.nan, np.nan, 1, 1, np.nan, 0])}
    fig = as_json(charts.stacked_monthly(series, {}, {}, title="t", y_title="people", no_data="no data",
                                         no_data_hover="no report"))
    bands = [s for s in fig["layout"]["shapes"] if s["fillcolor"] == chartstyle.NO_DATA]
    assert [(b["x0"][:10], b["x1"][:10]) for b in bands] == [("2018-02-14", "2018-04-16"), ("2018-06-16", "2018-07-16")]
    assert [b.get("showlegend", False) for b in bands] == [True, False]  # one legend entry
    hover = next(t for t in fig["data"] if t["name"] == "no data")
    assert [x[:7] for x in hover["x"]] == ["2018-03", "2018-04", "2018-07"]
    assert hover["marker"]["opacity"] == 0 and hover["showlegend"] is False
    assert "no report" in hover["hovertemplate"]


def test_bars_carry_only_the_months_with_someone_there_so_the_hover_lists_non_zero_series():
    series = {"troops": monthly([3, 0, 1, 1, 1, 1, 1, 1]), "experts": monthly([0, 2, 0, np.nan, 0, 0, 0, 0])}
    fig = as_json(charts.stacked_monthly(series, {}, {}, title="", y_title=""))
    bars = {t["name"]: ([x[:7] for x in t["x"]], values(t["y"])) for t in fig["data"]}
    assert bars["experts"] == (["2018-02"], [2])
    assert "2018-02" not in bars["troops"][0] and bars["troops"][1][0] == 3
    assert {t["width"] for t in fig["data"]} == {charts.MONTH_BAR_MS}  # a month wide, however sparse


def test_people_axes_tick_whole_numbers_when_the_counts_are_small():
    small = as_json(charts.stacked_monthly({"troops": monthly([1, 2, 2, 1, 2, 2, 1, 2])}, {}, {},
                                           title="", y_title="people"))
    assert small["layout"]["yaxis"]["dtick"] == 1
    assert small["layout"]["yaxis"]["title"]["text"] == "people"
    large = as_json(charts.stacked_monthly({"troops": monthly([100] * 8)}, {}, {}, title="", y_title=""))
    assert "dtick" not in large["layout"]["yaxis"]  # plotly's own steps are whole numbers up there


def map_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"acronym": "NOW", "name": "n", "is_active": True, "hq_latitude": -54.8, "hq_longitude": -68.3,
         "hq_location": "Ushuaia", "latest": 400, "mexicans": 12, "mexicans_now": 3},
        {"acronym": "BEFORE", "name": "b", "is_active": False, "hq_latitude": 10, "hq_longitude": 10,
         "hq_location": "x", "latest": None, "mexicans": 5, "mexicans_now": None},
        {"acronym": "NEVER", "name": "v", "is_active": True, "hq_latitude": 0, "hq_longitude": 0,
         "hq_location": "y", "latest": 10, "mexicans": 0, "mexicans_now": None},
    ])


LABELS = {"active": "Active", "closed": "Closed", "personnel": "p", "mexico": "m", "yes": "yes", "no": "never",
          "mexico_now": "Mexicans there now", "mexico_before": "Mexicans there before"}


def test_the_map_reaches_tierra_del_fuego_and_names_mexicos_rings_in_the_legend():
    fig = as_json(charts.mission_map(map_rows(), LABELS))
    assert fig["layout"]["geo"]["lataxis"]["range"][0] <= -56
    rings = {t["name"]: t for t in fig["data"] if t["marker"].get("symbol") == "circle-open"}
    assert [values(rings["Mexicans there now"]["lat"]), values(rings["Mexicans there before"]["lat"])] == [[-54.8], [10]]
    assert rings["Mexicans there now"]["marker"]["line"]["width"] > rings["Mexicans there before"]["marker"]["line"]["width"]
    assert all(t.get("showlegend", True) for t in fig["data"])
    # The rings draw after (above) the mission circles.
    assert [t["name"] for t in fig["data"]][-2:] == ["Mexicans there now", "Mexicans there before"]


def test_the_linear_log_buttons_sit_above_the_plot_at_the_left_clear_of_title_and_toolbar():
    fig = as_json(charts.comparator_lines({"MEX": monthly([1, 0, 3, 4, 5, 6, 7, 8])}, {}, title="t", y_title="p",
                                          linear="Linear", log="Log"))
    menu = fig["layout"]["updatemenus"][0]
    assert (menu["x"], menu["xanchor"], menu["yanchor"]) == (0, "left", "bottom") and menu["y"] >= 1
    assert fig["layout"]["margin"]["t"] >= 60
    assert values(fig["data"][0]["y"])[:2] == [1, 0]  # a line's zero is a value, drawn and hovered


def test_the_style_has_a_colour_for_every_contribution_mode_and_verdict():
    modes = Path(__file__).resolve().parents[2] / "risks/catalogue/modes.csv"
    with modes.open() as f:
        assert set(chartstyle.MODE_COLOURS) == {row["code"] for row in csv.DictReader(f)}
    assert set(chartstyle.VERDICT_COLOURS) == set(gates.VERDICTS)


def test_the_style_replaces_plotlys_heavy_default_template_and_never_fixes_a_width():
    fig = chartstyle.apply(go.Figure(go.Bar(x=[1], y=[1])), title="<b>x</b>", height=300)
    assert len(fig.to_json()) < 2500  # plotly's default template alone is ~6.5 KB
    assert fig.layout.title.text == "&lt;b&gt;x&lt;/b&gt;"
    assert fig.layout.width is None and fig.layout.autosize


@pytest.mark.django_db
def test_top_contributors_always_show_mexico_with_its_rank():
    from missions.models import Mission

    top = selectors.top_contributors(Mission.objects.get(acronym="MINUSCA"), limit=15)
    assert len(top) == 16 and top.iloc[-1]["country__iso3"] == "MEX"
    assert top.iloc[-1]["rank"] > 15 and list(top["rank"].head(3)) == [1, 2, 3]
    fig = as_json(charts.top_contributors_bar(top, list(top["country__name_en"]), title="t"))
    assert values(fig["data"][0]["y"])[0].endswith(". Mexico")  # drawn last, at the bottom
    assert values(fig["data"][0]["marker"]["color"])[0] == chartstyle.MEXICO
