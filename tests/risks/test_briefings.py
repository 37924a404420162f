"""Client briefings: what a consultant sends must hold the scenario, the options and the sources."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from missions.models import MandateFunction, Mission
from risks import services
from risks.models import Briefing, ContributionMode, Scenario, ScenarioResult

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="kaleido needs Debian's chromium")


@pytest.fixture
def scenario(db, analyst):
    scenario = Scenario.objects.create(name="Engineers to UNIFIL and UNFICYP", owner=analyst,
                                       mode=ContributionMode.objects.get(code="mixed_contingent"), size=40)
    scenario.missions.set(Mission.objects.filter(acronym__in=["UNIFIL", "UNFICYP"]))
    scenario.functions.set(MandateFunction.objects.filter(code__in=["ceasefire_monitoring", "humanitarian_relief"]))
    services.recompute_scenario(scenario.pk)
    return scenario


@pytest.fixture
def consultant_client(client, django_user_model):
    user = django_user_model.objects.create_user("consultant-user", password="x-test-only")
    user.groups.add(Group.objects.get(name="consultant"))
    client.force_login(user)
    return client


def export(scenario, tmp_path, fmt, **options) -> Path:
    path = tmp_path / f"briefing.{fmt}"
    call_command("export_briefing", scenario=scenario.pk, format=fmt, output=path, stdout=io.StringIO(), **options)
    return path


@needs_chromium
@pytest.mark.django_db
def test_the_pdf_holds_the_scenario_options_charts_and_sources(scenario, tmp_path):
    from pypdf import PdfReader

    reader = PdfReader(export(scenario, tmp_path, "pdf", client="SRE", firm="Riesgos Políticos SC"))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Engineers to UNIFIL and UNFICYP" in text and "Prepared for" in text and "SRE" in text
    assert "UNIFIL" in text and "UNFICYP" in text and "Executive summary" in text
    assert "IPI Peacekeeping Database" in text and "seed document 000" in text
    assert "Page 2 /" in text
    assert len(reader.pages) >= 5
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 6


@needs_chromium
@pytest.mark.django_db
def test_a_spanish_letter_briefing(scenario, tmp_path):
    from pypdf import PdfReader

    reader = PdfReader(export(scenario, tmp_path, "pdf", lang="es", paper="letter"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Resumen ejecutivo" in text and "Fuentes" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (612, 792)  # US Letter in points


@pytest.mark.django_db
def test_the_xlsx_has_inputs_results_contributions_and_sources(scenario, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export(scenario, tmp_path, "xlsx"))
    assert book.sheetnames == ["Inputs", "Results", "Contributions", "Sources"]
    results = list(book["Results"].values)
    assert results[0][:3] == ("mission", "selected", "functions") and len(results) == Mission.objects.count() + 1
    inputs = {row[0]: row[1] for row in book["Inputs"].values}
    assert inputs["Scenario"] == "Engineers to UNIFIL and UNFICYP"
    assert inputs["Input fingerprint"] == ScenarioResult.objects.get(scenario=scenario).fingerprint


@pytest.mark.django_db
def test_the_csv_lists_every_option_and_neutralises_formulas(scenario, tmp_path):
    # Acronyms can no longer start a formula (constraint mission_acronym_format); a stored result might.
    result = ScenarioResult.objects.get(scenario=scenario)
    result.options[0]["mission"] = "=CMD()"
    result.save()
    text = export(scenario, tmp_path, "csv").read_text()
    assert text.splitlines()[0].startswith("mission,selected,functions,feasibility")
    assert "'=CMD()" in text and "\n=CMD()" not in text


@pytest.mark.django_db
def test_a_stale_result_is_recomputed_before_export(scenario, tmp_path):
    ScenarioResult.objects.filter(scenario=scenario).update(is_stale=True)
    export(scenario, tmp_path, "csv")
    assert not ScenarioResult.objects.get(scenario=scenario).is_stale
    assert not Briefing.objects.get(scenario=scenario).was_stale


@pytest.mark.django_db
def test_analysts_are_told_why_they_cannot_export(analyst_client, scenario):
    page = analyst_client.get(scenario.get_absolute_url()).content.decode()
    assert "Only consultants and administrators export client briefings" in page
    response = analyst_client.post(f"/scenarios/{scenario.pk}/briefings/", {"format": "csv", "language": "en",
                                                                          "paper": "a4"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_consultant_exports_from_the_page_and_downloads_it_later(consultant_client, scenario):
    response = consultant_client.post(f"/scenarios/{scenario.pk}/briefings/", {
        "format": "xlsx", "language": "es", "paper": "a4", "client": "SRE", "firm": ""})
    assert response.status_code == 302 and "task=" in response["Location"]
    briefing = Briefing.objects.get(scenario=scenario)
    assert briefing.status == "done" and briefing.fingerprint
    download = consultant_client.get(f"/scenarios/briefings/{briefing.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    page = consultant_client.get(scenario.get_absolute_url()).content.decode()
    assert f"/scenarios/briefings/{briefing.pk}/download/" in page


@pytest.mark.django_db
def test_bad_briefing_options_are_refused_clearly(consultant_client, scenario):
    response = consultant_client.post(f"/scenarios/{scenario.pk}/briefings/", {"format": "docx"}, follow=True)
    assert "The briefing could not be queued" in response.content.decode()
    assert not Briefing.objects.exists()
