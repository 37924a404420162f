"""The UN's Spanish mission names (data/curated/mission_names_es.csv -> Mission.name_es): checked
on the way in, loaded once, a curator's edit kept unless the import is asked to refresh, and each
written name in the mission's history."""

import pytest

from missions import mission_names, services
from missions.history import record_loaded_state
from missions.importers import DataFileError
from missions.models import Mission

HEADER = "acronym,name_es,source,checked\n"
MINURSO = ("MINURSO,Misión de las Naciones Unidas para el Referéndum del Sáhara Occidental,"
           "un.org/es MINURSO mandate page,2026-12-05\n")
UNFICYP = "UNFICYP,Fuerza de las Naciones Unidas para el Mantenimiento de la Paz en Chipre,fixture,2026-12-05\n"


def load(tmp_path, text: str, refresh: bool = False) -> services.LoadReport:
    path = tmp_path / "mission_names_es.csv"
    path.write_text(text, encoding="utf-8")
    parsed = mission_names.parse(path, set(Mission.objects.values_list("acronym", flat=True)))
    report = services.LoadReport()
    services.write_names_es(parsed, refresh, report)
    record_loaded_state([Mission])
    return report


@pytest.mark.django_db
def test_it_fills_the_spanish_names_once(tmp_path):
    Mission.objects.filter(acronym__in=["MINURSO", "UNFICYP"]).update(name_es="")
    version = Mission.objects.get(acronym="MINURSO").version
    assert load(tmp_path, HEADER + MINURSO + UNFICYP).changed
    minurso = Mission.objects.get(acronym="MINURSO")
    assert minurso.name_es == "Misión de las Naciones Unidas para el Referéndum del Sáhara Occidental"
    assert minurso.version == version + 1
    assert minurso.history.first().name_es == minurso.name_es
    again = load(tmp_path, HEADER + MINURSO + UNFICYP)
    assert not again.changed and Mission.objects.get(acronym="MINURSO").version == version + 1


@pytest.mark.django_db
def test_it_keeps_a_curators_name_unless_asked_to_refresh(tmp_path):
    Mission.objects.filter(acronym="MINURSO").update(name_es="MINURSO (nombre del curador)")
    load(tmp_path, HEADER + MINURSO)
    assert Mission.objects.get(acronym="MINURSO").name_es == "MINURSO (nombre del curador)"
    load(tmp_path, HEADER + MINURSO, refresh=True)
    assert Mission.objects.get(acronym="MINURSO").name_es.startswith("Misión de las Naciones Unidas")


@pytest.mark.django_db
@pytest.mark.parametrize("row, column", [
    ("MINURSOX,Nombre,fuente,2026-12-05\n", "acronym"),
    ("MINURSO,,fuente,2026-12-05\n", "name_es"),
    ("MINURSO,Misión\u202e oculta,fuente,2026-12-05\n", "name_es"),
    ("MINURSO,Nombre,,2026-12-05\n", "source"),
    ("MINURSO,Nombre,fuente,5/12/2026\n", "checked"),
])
def test_it_refuses_a_bad_row_before_writing_anything(tmp_path, row, column):
    before = dict(Mission.objects.values_list("acronym", "name_es"))
    with pytest.raises(DataFileError) as raised:
        load(tmp_path, HEADER + UNFICYP + row)
    assert column in str(raised.value)
    assert dict(Mission.objects.values_list("acronym", "name_es")) == before


@pytest.mark.django_db
def test_the_import_reads_the_file_from_the_curated_folder(tmp_path, monkeypatch):
    """load_un_data takes curated/mission_names_es.csv when it is there (an older data folder
    without it still loads)."""
    seen = []
    monkeypatch.setattr(services, "write_names_es", lambda parsed, refresh, report: seen.append(parsed))
    from django.conf import settings

    services.load_un_data(settings.PKO_DATA_DIR)
    shipped = (settings.PKO_DATA_DIR / "curated" / "mission_names_es.csv").exists()
    assert len(seen) == 1 and (seen[0] is not None) == shipped


@pytest.mark.django_db
def test_a_spanish_mission_page_reads_the_councils_decisions_and_the_facts_in_spanish(analyst_client):
    analyst_client.cookies["django_language"] = "es"
    html = analyst_client.get("/missions/MINURSO/").content.decode()
    assert "Renovado hasta el 31 de octubre de 2026" in html and "Renewed to 31 October 2026" not in html
    assert "El cese al fuego de 1991 terminó" in html and "The 1991 ceasefire ended" not in html
    analyst_client.cookies["django_language"] = "en"
    html = analyst_client.get("/missions/MINURSO/").content.decode()
    assert "Renewed to 31 October 2026" in html and "The 1991 ceasefire ended" in html


@pytest.mark.django_db
def test_the_spanish_summaries_fill_once_and_skip_a_decision_not_held(tmp_path):
    from missions import council_files, decisions
    from missions.council_models import MandateDecision

    path = tmp_path / "mandate_decisions_es.csv"
    path.write_text("acronym,adopted,kind,summary_es\n"
                    "MINURSO,2025-10-31,renew,Renovado (prueba).\n"
                    "MINURSO,2001-01-01,renew,Una decisión que aquí no está.\n", encoding="utf-8")
    parsed = council_files.parse_summaries_es(path, set(Mission.objects.values_list("acronym", flat=True)))
    MandateDecision.objects.filter(mission__acronym="MINURSO").update(summary_es="")
    assert decisions.write_summaries_es(parsed.frame, refresh=False) == (1, 1)
    decision = MandateDecision.objects.get(mission__acronym="MINURSO", adopted="2025-10-31")
    assert decision.summary_es == "Renovado (prueba)." and decision.history.first().summary_es == decision.summary_es
    assert decisions.write_summaries_es(parsed.frame, refresh=False) == (0, 1)
    path.write_text("acronym,adopted,kind,summary_es\nMINURSO,2025-10-31,renovar,x\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        council_files.parse_summaries_es(path, {"MINURSO"})
