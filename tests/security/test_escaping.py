"""Names that hold HTML, script or a spreadsheet formula are shown as text everywhere: pages,
the admin, chart labels and hover text, PDF briefings, CSV and XLSX cells."""

import csv
import io
import json
import re

import pytest
from django.db.models import Value
from django.db.models.functions import Concat

from briefings.data import briefing_data
from briefings.exporters import EXPORTERS
from missions.models import Country, MandateFunction, Mission
from risks import services
from risks.models import ContributionMode, Factor, SafeguardGate, Scenario
from tests.conftest import make_user

TAG = "<img src=x onerror=alert(1)>"
TAG_ESCAPED_HTML = "&lt;img src=x onerror=alert(1)&gt;"  # what Django templates write
TAG_ESCAPED_FIGURE = "&lt;img src=x onerror=alert(1)&gt;"  # what plotly must receive to draw it as text
SCENARIO_NAME = '=HYPERLINK("http://evil.example","x") <b>bold</b> ' + TAG
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def make_everything_hostile() -> Scenario:
    """Every curated name holds the tag; factor names and function names also open a formula."""
    Mission.objects.filter(acronym__in=["MINURSO", "UNMOGIP"]).update(
        name=Concat(Value(TAG + " "), "acronym"), hq_location=Value("<b>HQ</b>"), notes=Value(TAG))
    Country.objects.update(name_en=Concat(Value(TAG + " "), "iso3"), name_es=Concat(Value(TAG + " "), "iso3"))
    MandateFunction.objects.update(name_en=Concat(Value("@" + TAG + " "), "code"), name_es=Value(""))
    Factor.objects.update(name_en=Concat(Value("=1+1 " + TAG + " "), "code"), name_es=Value(""),
                          source=Value("+cmd " + TAG))
    ContributionMode.objects.update(name_en=Concat(Value(TAG + " "), "code"), name_es=Value(""))
    SafeguardGate.objects.update(name_en=Concat(Value(TAG + " "), "code"), name_es=Value(""))
    owner = make_user_once("hostile-owner")
    scenario = Scenario.objects.create(name=SCENARIO_NAME, owner=owner, size=10,
                                       mode=ContributionMode.objects.get(code="individual"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMOGIP"]))
    scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
    services.recompute_scenario(scenario.pk)
    return scenario


def make_user_once(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username=username)[0]


@pytest.fixture
def hostile(db):
    return make_everything_hostile()


@pytest.fixture
def second_hostile(hostile):
    other = Scenario.objects.create(name="<script>alert('second')</script>", owner=hostile.owner, size=20,
                                    mode=hostile.mode)
    other.missions.set(hostile.missions.all())
    other.functions.set(hostile.functions.all())
    services.recompute_scenario(other.pk)
    return other


def figures_in(html: str) -> dict[str, dict]:
    """The plotly figures a page carries, parsed from their inert JSON script tags."""
    found = re.findall(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', html, re.S)
    return {name: json.loads(payload) for name, payload in found}


def figure_strings(figure: dict) -> list[str]:
    """Every string in a figure's data and layout (names, labels, text, hover data)."""
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(figure.get("data", []))
    walk(figure.get("layout", {}))
    return out


def assert_shown_as_text(html: str) -> None:
    assert TAG not in html, "a raw tag reached the page"
    assert "<b>bold</b>" not in html and "<b>HQ</b>" not in html
    assert "<script>alert" not in html


def pages(hostile, second_hostile) -> dict[str, str]:
    return {
        "home": "/",
        "mission list": "/missions/",
        "mission detail": "/missions/MINURSO/",
        "scenarios": "/scenarios/",
        "scenario detail": hostile.get_absolute_url(),
        "scenario edit": f"/scenarios/{hostile.pk}/edit/",
        "compare": f"/scenarios/compare/?ids={hostile.pk},{second_hostile.pk}",
        "explorer": "/scenarios/explorer/?mode=individual&feasibility=&active=on",
    }


@pytest.mark.django_db
def test_hostile_names_are_escaped_on_every_page_and_in_every_figure(client, hostile, second_hostile):
    client.force_login(make_user(type(hostile.owner), "superuser"))
    for label, url in pages(hostile, second_hostile).items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, label
        assert_shown_as_text(html)
        strings = [s for figure in figures_in(html).values() for s in figure_strings(figure)]
        assert not any("<img" in s or "<script" in s or "<b>HQ" in s or "<b>bold" in s for s in strings), f"{label}: a raw tag in a figure"
        shown = TAG_ESCAPED_HTML in html or any(TAG_ESCAPED_FIGURE in s for s in strings)
        assert shown, f"{label}: the hostile name is not shown at all"


@pytest.mark.django_db
@pytest.mark.parametrize("url, figure, where", [
    ("/", "fig-map", "data.customdata"),
    ("/", "fig-comparators", "data.name"),
    ("/missions/MINURSO/", "fig-top", "data.y"),
    ("scenario", "fig-waterfall", "data.y"),
    ("scenario", "fig-tornado", "data.y"),
    ("compare", "fig-compare", "data.text"),
    ("/scenarios/explorer/?mode=individual", "fig-heatmap", "data.x"),
])
def test_names_in_chart_labels_and_hover_text_are_escaped_for_plotly(client, hostile, second_hostile, url, figure,
                                                                    where):
    client.force_login(make_user(type(hostile.owner), "superuser"))
    url = {"scenario": hostile.get_absolute_url(),
           "compare": f"/scenarios/compare/?ids={hostile.pk},{second_hostile.pk}"}.get(url, url)
    fig = figures_in(client.get(url).content.decode())[figure]
    key = where.split(".")[1]
    values = json.dumps([trace.get(key) for trace in fig["data"]])
    assert TAG_ESCAPED_FIGURE in values


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Mission, Factor, ContributionMode, SafeguardGate, Country, MandateFunction,
                                   Scenario])
def test_the_admin_shows_hostile_names_as_text(client, hostile, model):
    client.force_login(make_user(type(hostile.owner), "superuser"))
    opts = model._meta
    obj = model.objects.filter(pk=hostile.pk).first() if model is Scenario else (
        model.objects.filter(acronym="MINURSO").first() if model is Mission else model.objects.first())
    for url in (f"/admin/{opts.app_label}/{opts.model_name}/",
                f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/",
                f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.content.decode())


def test_chart_text_helper_escapes_what_plotly_would_draw():
    from missions.charts import as_text

    assert as_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert as_text("&lt;") == "&amp;lt;"  # an entity typed by a user stays literal too
    assert as_text(None) == ""


@pytest.mark.django_db
def test_the_pdf_prints_hostile_names_literally(hostile):
    from pypdf import PdfReader

    data = briefing_data(hostile)
    pdf = EXPORTERS["pdf"](data, client=TAG, firm='Firm "quoted" \\ </style> ' + TAG, with_charts=False).render().content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert TAG in text  # the cover and the body print the tag as text
    assert "<b>bold</b>" in text
    assert "u003C" not in text and "&lt;" not in text  # no escape sequence leaks into print
    footer = f"{SCENARIO_NAME} · Firm \"quoted\" \\ </style> {TAG}"
    assert footer in text, "the running footer does not show the names as typed"


@pytest.mark.django_db
def test_briefing_spreadsheets_neutralise_formulas(hostile):
    from openpyxl import load_workbook

    data = briefing_data(hostile)
    data.result["options"][0]["mission"] = '=HYPERLINK("http://evil.example")'  # as an older row could hold
    rows = list(csv.reader(io.StringIO(EXPORTERS["csv"](data).render().content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    book = load_workbook(io.BytesIO(EXPORTERS["xlsx"](data).render().content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert texts and not [t for t in texts if t.startswith(FORMULA_STARTS)]
    inputs = {row[0]: row[1] for row in book["Inputs"].values}
    assert inputs["Scenario"] == "'" + SCENARIO_NAME
    assert inputs["Functions"].startswith("'@")
    factor_cells = [row[0] for row in book["Factors"].values][1:]
    assert factor_cells and all(name.startswith("'=1+1 " + TAG) for name in factor_cells)


@pytest.mark.django_db
def test_api_csv_neutralises_formulas_in_names(client, hostile):
    client.force_login(make_user(type(hostile.owner), "superuser"))
    body = client.get("/api/factors/", {"format": "csv"}).content.decode()
    names = [row["name_en"] for row in csv.DictReader(io.StringIO(body))]
    assert names and all(name.startswith("'=1+1 ") for name in names)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("＝1", "'＝1"), ("plain", "plain"), (-1.5, -1.5), (None, None),
])
def test_one_rule_neutralises_formula_cells(value, expected):
    from api.renderers import safe
    from briefings.exporters import csv as csv_exporter
    from briefings.exporters import xlsx
    from pkoanalysis.spreadsheets import formula_safe

    assert formula_safe(value) == expected
    assert xlsx.cell is formula_safe and csv_exporter.cell is formula_safe  # the briefings' rule is the API's
    assert safe(value) == expected
