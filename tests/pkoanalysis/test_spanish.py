"""Spanish as Mexican readers write it (issue 24, item 9): 1,234.5 on every page, chart and
export, never a decimal comma; dates as "5 de diciembre de 2026"; the names people give
scenarios, plans and weight sets, and the missions' UN names, in Spanish where there is one."""

import datetime
import json
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.formats import number_format

from missions.models import MandateFunction, Mission
from plans.models import Plan
from risks import services
from risks.models import ContributionMode, Scenario
from weights.models import WeightSet

# A decimal comma: a digit, a comma, then one, two or four-plus digits (three are thousands), or
# a space (plain or non-breaking) grouping thousands.
DECIMAL_COMMA = re.compile(r"\d,(\d{1,2}|\d{4,})(?!\d)")
SPACE_THOUSANDS = re.compile(r"(?<![P\d])\d{1,3}[\u00a0\u202f ]\d{3}(?!\d)")  # not "P10 365" (a percentile and a number)
THOUSANDS = re.compile(r"\b\d{1,3}(,\d{3})+\b")
DECIMAL_POINT = re.compile(r"\b\d+\.\d+\b")
FIGURE = re.compile(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', re.S)


def text_of(html: str) -> str:
    """What a reader sees: no scripts (figures' JSON holds arrays like [1,2]); a tag becomes " | ",
    so two numbers in neighbouring cells do not read as one grouped by a space."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " | ", html))


def spanish_page(client, url: str) -> str:
    client.cookies["django_language"] = "es"
    response = client.get(url)
    assert response.status_code == 200, url
    assert 'lang="es"' in response.content.decode()[:500]
    return response.content.decode()


def assert_mexican_numbers(text: str, where: str) -> None:
    commas = [m.group(0) for m in DECIMAL_COMMA.finditer(text)]
    spaces = [m.group(0) for m in SPACE_THOUSANDS.finditer(text)]
    assert not commas, f"{where}: decimal commas {commas[:5]}"
    assert not spaces, f"{where}: thousands grouped by spaces {[text[max(0, m.start() - 80):m.end() + 20] for m in SPACE_THOUSANDS.finditer(text)][:3]}"


def figures(html: str) -> dict[str, dict]:
    return {name: json.loads(payload) for name, payload in FIGURE.findall(html)}


@pytest.fixture
def scenario(db, analyst):
    scenario = Scenario.objects.create(
        name="Observers where Mexico serves", name_es="Observadores donde México ya participa",
        notes="Staff officers and observers.", notes_es="Oficiales de estado mayor y observadores.", owner=analyst,
        mode=ContributionMode.objects.get(code="individual"), size=10)
    scenario.missions.set(Mission.objects.filter(acronym__in=["MINURSO", "UNMOGIP", "UNFICYP"]))
    scenario.functions.set(MandateFunction.objects.filter(code__in=["ceasefire_monitoring", "confidence_building"]))
    services.recompute_scenario(scenario.pk)
    return scenario


@pytest.mark.django_db
def test_spanish_formats_are_mexican():
    with translation.override("es"):
        assert number_format(1234.5, 1, force_grouping=True) == "1,234.5"
        assert number_format(0.15, 2) == "0.15"
        assert date_filter(datetime.date(2026, 12, 5), "DATE_FORMAT") == "5 de diciembre de 2026"
        assert date_filter(datetime.date(2025, 7, 1), "YEAR_MONTH_FORMAT") == "julio de 2025"
    with translation.override("en"):
        assert number_format(1234.5, 1, force_grouping=True) == "1,234.5"


@pytest.mark.django_db
def test_the_overview_in_spanish_writes_numbers_as_mexico_does(analyst_client):
    html = spanish_page(analyst_client, "/")
    text = text_of(html)
    assert_mexican_numbers(text, "overview")
    assert THOUSANDS.search(text), "the headline personnel count is grouped: 61,127"
    assert "julio de 2025" in text and "julio 2025" not in text
    charts = figures(html)
    assert charts and all(f["layout"]["separators"] == ".," for f in charts.values()), \
        {name: f["layout"].get("separators") for name, f in charts.items()}


@pytest.mark.django_db
def test_a_scenario_in_spanish_shows_its_spanish_name_and_mexican_numbers(analyst_client, scenario):
    html = spanish_page(analyst_client, scenario.get_absolute_url())
    text = text_of(html)
    assert "<bdi>Observadores donde México ya participa</bdi>" in html
    assert "Oficiales de estado mayor y observadores." in text and "Staff officers and observers." not in text
    assert_mexican_numbers(text, "scenario")
    assert DECIMAL_POINT.search(text)
    # the SMAA sentence in Spanish, with 1,000 draws grouped as the text around it
    assert "category weights from a Dirichlet" not in text and "distribución de Dirichlet" in text
    assert "1,000 simulaciones" in text
    charts = figures(html)
    assert {"fig-scatter", "fig-distribution"} <= set(charts)
    assert all(f["layout"]["separators"] == ".," for f in charts.values())
    # the list and the English page
    assert "Observadores donde México ya participa" in text_of(spanish_page(analyst_client, "/scenarios/"))
    analyst_client.cookies["django_language"] = "en"
    english = analyst_client.get(scenario.get_absolute_url()).content.decode()
    assert "<bdi>Observers where Mexico serves</bdi>" in english


@pytest.mark.django_db
def test_a_name_typed_in_one_language_shows_in_both(analyst_client, scenario):
    Scenario.objects.filter(pk=scenario.pk).update(name_es="")
    html = spanish_page(analyst_client, scenario.get_absolute_url())
    assert "<bdi>Observers where Mexico serves</bdi>" in html
    with translation.override("en"):
        assert str(Scenario(name="", name_es="Solo en español")) == "Solo en español"


@pytest.mark.django_db
def test_a_plan_in_spanish_shows_its_spanish_name_and_mexican_numbers(analyst_client):
    response = analyst_client.post("/plans/new/", {
        "name": "Small plan", "name_es": "Plan pequeño", "max_people": 60, "max_cost_usd": 2_000_000,
        "objective": "expected", "cvar_alpha": 0.1, "cvar_weight": 0.5})
    assert response.status_code == 302
    plan = Plan.objects.get(name="Small plan")
    assert plan.name_es == "Plan pequeño"
    html = spanish_page(analyst_client, plan.get_absolute_url())
    text = text_of(html)
    assert "<bdi>Plan pequeño</bdi>" in html
    assert_mexican_numbers(text, "plan")
    assert "US$\u00a02.0\u00a0M" in text or "US$ 2.0 M" in text  # the cap, in millions with a decimal point
    charts = figures(html)
    assert charts and all(f["layout"]["separators"] == ".," for f in charts.values())
    assert "Plan pequeño" in text_of(spanish_page(analyst_client, "/plans/"))


@pytest.mark.django_db
def test_a_weight_set_shows_its_spanish_name_and_description(analyst_client):
    preset = WeightSet.objects.get(preset="japan_safeguards", owner=None)
    assert preset.name_es == "Salvaguardas de Japón" and preset.description_es.startswith("Los Cinco Principios")
    text = text_of(spanish_page(analyst_client, preset.get_absolute_url()))
    assert "Salvaguardas de Japón" in text and "Los Cinco Principios de Japón" in text
    assert "Japan's 1992 Five Principles" not in text


@pytest.mark.django_db
def test_a_mission_shows_the_uns_spanish_name_on_spanish_pages(analyst_client):
    Mission.objects.filter(acronym="MINURSO").update(
        name_es="Misión de las Naciones Unidas para el Referéndum del Sáhara Occidental")
    html = spanish_page(analyst_client, "/missions/MINURSO/")
    assert "<bdi>Misión de las Naciones Unidas para el Referéndum del Sáhara Occidental</bdi>" in html
    assert_mexican_numbers(text_of(html), "mission")
    assert "Referéndum del Sáhara Occidental" in text_of(spanish_page(analyst_client, "/missions/?q=MINURSO"))
    analyst_client.cookies["django_language"] = "en"
    assert "United Nations Mission for the Referendum in Western Sahara" in \
        analyst_client.get("/missions/MINURSO/").content.decode()


@pytest.mark.django_db
def test_a_spanish_workbook_and_briefing_text_use_the_same_numbers(scenario, tmp_path):
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    path = tmp_path / "briefing.xlsx"
    call_command("export_briefing", scenario=scenario.pk, format="xlsx", output=path, lang="es",
                 stdout=io.StringIO())
    book = load_workbook(path)
    texts = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str)]
    joined = " ".join(texts)
    assert_mexican_numbers(joined, "workbook")
    assert DECIMAL_POINT.search(joined)
    inputs = {row[0]: row[1] for row in book["Datos de entrada"].values}
    assert inputs["Escenario"] == "Observadores donde México ya participa"
    with translation.override("es"):
        from briefings.text import num, pct, separators

        assert (num(1234.5678, 1), pct(0.153, 1), separators()) == ("1,234.6", "15.3%", ".,")


@pytest.mark.django_db
def test_counts_are_pluralised_one_by_one():
    with translation.override("es"):
        assert translation.ngettext("%(n)s feasible", "%(n)s feasible", 1) % {"n": 1} == "1 factible"
        assert translation.ngettext("%(n)s feasible", "%(n)s feasible", 3) % {"n": 3} == "3 factibles"
        assert translation.ngettext("%(n)s infeasible", "%(n)s infeasible", 1) % {"n": 1} == "1 no factible"
        assert translation.gettext("Letter") == "Carta"
        assert "peor" not in translation.gettext("more likely than not better than not deploying")


@pytest.mark.django_db
def test_a_copy_is_named_in_both_languages(analyst_client, scenario):
    assert analyst_client.post(f"/scenarios/{scenario.pk}/duplicate/").status_code == 302
    copy = Scenario.objects.exclude(pk=scenario.pk).get(owner=scenario.owner, notes=scenario.notes)
    assert (copy.name, copy.name_es) == ("Copy of Observers where Mexico serves",
                                         "Copia de Observadores donde México ya participa")
    assert copy.notes_es == scenario.notes_es
