"""Client briefings a consultant sends unedited: the PDF, the slides, the workbook and the CSV
hold the question, the recommendation, the options and numbered citations with a bibliography;
nothing internal reaches the client, and the Spanish ones are Spanish end to end."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from missions.models import MandateFunction, Mission
from risks import scale, services
from risks.models import Briefing, Category, ContributionMode, Factor, SafeguardGate, Scenario, ScenarioResult

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="kaleido needs Debian's chromium")
# What must never reach a client: the repository's own names for things.
# "[verify]" stays visible in client documents while a fact is unverified (issue 23): not internal.
INTERNAL = re.compile(r"\bseed\b|\.csv|\.gz|DOMAIN\.md|SOURCES\.md|shipped|catalogue|psdata_|un_monthly|"
                      r"ipi_country|\[unverified|_[a-z]+_[a-z]+", re.IGNORECASE)


@pytest.fixture
def scenario(db, analyst):
    scenario = Scenario.objects.create(name="Engineers to UNIFIL and UNFICYP", owner=analyst,
                                       mode=ContributionMode.objects.get(code="mixed_contingent"), size=40,
                                       category_weights={"budget": 0.5, "reputation": 0.8})
    scenario.missions.set(Mission.objects.filter(acronym__in=["UNIFIL", "UNFICYP", "MINUSCA"]))
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


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def pptx_text(path: Path) -> str:
    from pptx import Presentation

    texts = [shape.text_frame.text for slide in Presentation(path).slides for shape in slide.shapes
             if shape.has_text_frame]
    texts += [cell.text for slide in Presentation(path).slides for shape in slide.shapes if shape.has_table
              for row in shape.table.rows for cell in row.cells]
    return " ".join(" ".join(texts).split())


def check_citations(text: str, heading: str) -> None:
    """Every number in a citation mark has a bibliography entry, and every entry is cited.
    `heading` opens the bibliography (its first occurrence)."""
    body, _, bibliography = text.partition(heading)
    body = body.replace("[0, 1]", "")  # the method's unit interval, not a citation
    cited = {int(n) for mark in re.findall(r"\[(\d+(?:, \d+)*)\]", body) for n in mark.split(", ")}
    listed = {int(n) for n in re.findall(r"\[(\d+)\] ", bibliography)}
    assert cited, "no citation marks in the text"
    assert cited <= listed, f"cited without a bibliography entry: {sorted(cited - listed)}"
    assert listed <= cited | {0}, f"listed but never cited: {sorted(listed - cited)}"


def english_catalogue_texts() -> list[str]:
    """Catalogue text that has a Spanish version: in a Spanish briefing its English must not appear."""
    texts = [f.name_en for f in Factor.objects.exclude(name_es="")]
    texts += [f.mitigation for f in Factor.objects.exclude(mitigation_es="") if f.mitigation]
    texts += [g.name_en for g in SafeguardGate.objects.exclude(name_es="")]
    texts += [g.action_en for g in SafeguardGate.objects.exclude(action_es="")]
    texts += [m.name_en for m in ContributionMode.objects.exclude(name_es="")]
    texts += [m.description for m in ContributionMode.objects.exclude(description_es="")]
    texts += [str(label) for label in Category.labels]
    return [t for t in texts if len(t) > 12]


@needs_chromium
@pytest.mark.django_db
def test_the_english_pdf_recommends_cites_and_names_nothing_internal(scenario, tmp_path):
    from pypdf import PdfReader

    path = export(scenario, tmp_path, "pdf", client="SRE", firm="Riesgos Políticos, S.C.")
    text = pdf_text(path)
    assert "Mexico's participation in UN peace operations: options and risks" in text
    assert "Engineers to UNIFIL and UNFICYP" in text and "Prepared for SRE" in text
    assert "Executive summary" in text and ("Recommended" in text or "Do not deploy" in text)
    assert "strongest" not in text
    assert "Perry, Chris, and Adam C. Smith. 2013." in text  # the IPI dataset, Chicago author-date
    assert "Page 2 /" in text
    found = sorted(set(INTERNAL.findall(text)))
    assert not found, f"internal names in the client's PDF: {found}"
    check_citations(text, "References")
    assert "UNFICYP (with Argentina)" in text  # a mixed contingent names the nation it joins
    assert "[verify" in text  # an unverified fact stays marked (the troop-cost resolution's own title)
    reader = PdfReader(path)
    assert len(reader.pages) >= 5 and sum(len(page.images) for page in reader.pages) >= 6


@needs_chromium
@pytest.mark.django_db
def test_the_spanish_pdf_is_spanish_end_to_end(scenario, tmp_path):
    from pypdf import PdfReader

    path = export(scenario, tmp_path, "pdf", lang="es", paper="letter")
    text = pdf_text(path)
    assert "Participación de México en operaciones de paz de la ONU: opciones y riesgos" in text
    assert "Resumen ejecutivo" in text and "Referencias" in text
    english = [t for t in english_catalogue_texts() if " ".join(t.split()) in text]
    assert not english, f"English catalogue text in the Spanish PDF: {english}"
    for word in ("risk/opportunity", "Risk ", "Opportunity ", "simulations", "Recommended", "Conditions"):
        assert word not in text, word
    assert not INTERNAL.findall(text)
    check_citations(text, "Referencias")
    assert re.search(r"\d,\d{3}", text)  # decimals with a comma
    width, height = PdfReader(path).pages[0].mediabox.width, PdfReader(path).pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (612, 792)  # US Letter in points


@needs_chromium
@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_slides_hold_the_recommendation_charts_and_sources(scenario, tmp_path, lang):
    from pptx import Presentation

    path = export(scenario, tmp_path, "pptx", lang=lang, client="SRE")
    deck = Presentation(path)
    text = pptx_text(path)
    titles = [slide.shapes[0].text_frame.text for slide in deck.slides]
    pictures = [slide for slide in deck.slides if any(shape.shape_type == 13 for shape in slide.shapes)]
    assert len(pictures) >= 6, "one chart per slide"
    assert all(len([s for s in slide.shapes if s.shape_type == 13]) == 1 for slide in pictures)
    assert not INTERNAL.findall(text)
    check_citations(text, "Fuentes" if lang == "es" else "Sources")
    if lang == "es":
        assert "Recomendación" in titles and "Fuentes" in " ".join(titles)
        english = [t for t in english_catalogue_texts() if " ".join(t.split()) in text]
        assert not english, english
    else:
        assert "Recommendation" in titles and "The question's options, by verdict" in titles
        assert "Safeguards: what each option must meet" in titles and "What would change the answer" in titles
        assert "Mexico's participation in UN peace operations: options and risks" in text
        assert re.search(r"UN data up to \w+ \d{4} \(\d+ months old\)", text)  # the data's age, on the title slide


@pytest.mark.django_db
def test_the_workbook_opens_readable_in_excel(scenario, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export(scenario, tmp_path, "xlsx", lang="es"))
    assert book.sheetnames == ["Resumen", "Datos de entrada", "Opciones", "Factores", "Salvaguardas", "Datos",
                               "Referencias"]
    for sheet in book.worksheets[1:]:
        headers = [c.value for c in sheet[1]]
        assert all(h and "_" not in h for h in headers), headers
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    options = book["Opciones"]
    headers = [c.value for c in options[1]]
    rows = [dict(zip(headers, (c.value for c in row), strict=True)) for row in options.iter_rows(min_row=2)]
    assert len(rows) == Mission.objects.count()
    unscored = [r for r in rows if not r["Funciones"]]
    raw = "Puntuación neta bruta"
    assert unscored and all(r["Riesgo (bruto)"] is None and r[raw] is None and r["Índice"] is None
                            and r["TOPSIS"] is None for r in unscored)
    scored = [r for r in rows if r["Funciones"]]
    assert all(isinstance(r[raw], float) for r in scored)
    net_column = headers.index(raw) + 1
    assert options.cell(2, net_column).number_format.startswith("+0.000")
    # The index the pages show, beside the raw score; none for an option a gate or deal-breaker excludes.
    anchor = scale.anchor(ScenarioResult.objects.get(scenario=scenario).options)
    for r in scored:
        if r["Excluida por"]:
            assert r["Índice"] is None
        else:
            assert r["Índice"] == pytest.approx(100 * r[raw] / anchor)
    assert options.cell(2, headers.index("Índice") + 1).number_format == "0"
    inputs = {row[0]: row[1] for row in book["Datos de entrada"].values}
    assert inputs["Escenario"] == "Engineers to UNIFIL and UNFICYP"
    assert inputs["Huella de los datos"] == ScenarioResult.objects.get(scenario=scenario).fingerprint
    weights = {row[0].value: row[3].value for row in book["Factores"].iter_rows(min_row=2)}
    # The budget's one judged factor takes the category's weight (not 100%); the net cost is priced:
    # US$50 M a year (its range) at the default US$50 M a year per full swing weighs 1.
    training = Factor.objects.get(code="training_capacity")
    assert weights[training.name_es] == pytest.approx(0.5)
    assert weights[Factor.objects.get(code="budget_shortfall").name_es] == pytest.approx(1.0)


@pytest.mark.django_db
def test_the_csv_lists_every_option_and_neutralises_formulas(scenario, tmp_path):
    # Acronyms can no longer start a formula (constraint mission_acronym_format); a stored result might.
    result = ScenarioResult.objects.get(scenario=scenario)
    result.options[0]["mission"] = "=CMD()"
    result.save()
    text = export(scenario, tmp_path, "csv").read_text()
    assert text.splitlines()[0].startswith("mission,selected,functions,feasibility,index,index_p10,index_p50,"
                                           "index_p90,raw_net_score,raw_p10")
    assert text.splitlines()[0].endswith(",partner,excluded_by,size,months,expected_fatalities,p_any_fatality,net_cost_usd")
    assert "'=CMD()" in text and "\n=CMD()" not in text
    unficyp = next(row for row in csv.DictReader(io.StringIO(text)) if row["mission"] == "UNFICYP")
    assert unficyp["partner"] == "ARG" and unficyp["size"] == str(scenario.size)
    stored = next(o for o in result.options if o["mission"] == "UNFICYP")
    assert float(unficyp["expected_fatalities"]) == pytest.approx(stored["expected_fatalities"])
    assert float(unficyp["net_cost_usd"]) == pytest.approx(stored["net_cost_usd"])


@pytest.mark.django_db
def test_a_stale_result_is_recomputed_before_export(scenario, tmp_path):
    ScenarioResult.objects.filter(scenario=scenario).update(is_stale=True)
    export(scenario, tmp_path, "csv")
    assert not ScenarioResult.objects.get(scenario=scenario).is_stale
    assert not Briefing.objects.get(scenario=scenario).was_stale


@pytest.mark.django_db
def test_file_names_are_stable_and_meaningful(scenario, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(2):
        call_command("export_briefing", scenario=scenario.pk, format="csv", output=tmp_path, client="SRE",
                     lang="es", stdout=io.StringIO())
    today = timezone.localdate().isoformat()
    names = [b.file.name.rsplit("/", 1)[-1] for b in Briefing.objects.filter(scenario=scenario)]
    assert names == [f"sre-engineers-to-unifil-and-unficyp-es-{today}.csv"] * 2


def test_the_file_name_has_client_scenario_language_and_date():
    from briefings.exporters import file_name

    class Data:
        name, scenario_id, language = "Japan safeguards", 7, "en"

    day = datetime.date(2026, 3, 1)
    assert file_name(Data, client="Secretaría de Relaciones Exteriores", day=day, extension="pdf") == \
        "secretaria-de-relaciones-exteriores-japan-safeguards-en-2026-03-01.pdf"
    assert file_name(Data, client="", day=day, extension="pptx") == "japan-safeguards-en-2026-03-01.pptx"


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
    assert response.status_code == 302
    briefing = Briefing.objects.get(scenario=scenario)
    assert briefing.status == "done" and briefing.fingerprint
    download = consultant_client.get(f"/scenarios/briefings/{briefing.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert "sre-engineers-to-unifil-and-unficyp-es-" in download["Content-Disposition"]
    page = consultant_client.get(scenario.get_absolute_url()).content.decode()
    assert f"/scenarios/briefings/{briefing.pk}/download/" in page
    row = page[page.index("<bdi>SRE</bdi></td>"):]
    assert row.index("XLSX") < row.index("Spanish") < row.index("–")  # client, format, language, paper
    progress = consultant_client.get(f"/scenarios/briefings/{briefing.pk}/progress/").json()
    assert progress["state"] == "SUCCESS"


@pytest.mark.django_db
def test_bad_briefing_options_are_refused_clearly(consultant_client, scenario):
    response = consultant_client.post(f"/scenarios/{scenario.pk}/briefings/", {"format": "docx"}, follow=True)
    assert "The briefing could not be queued" in response.content.decode()
    assert not Briefing.objects.exists()
