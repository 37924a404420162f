"""Security Council decisions decide a mission's status, end and tasks (missions.decisions)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from missions.decisions import Decision, apply_decisions, derive
from missions.models import MandateDecision, MandateFunction, Mission

TODAY = dt.date(2026, 12, 5)


def renew(adopted, end, **kw):
    return Decision(adopted=dt.date.fromisoformat(adopted), kind="renew", symbol="S/RES/1 (2025)",
                    mandate_end=end and dt.date.fromisoformat(end), **kw)


# --- the rule, without a database ---------------------------------------------------------

def test_a_renewal_running_past_today_sets_the_mandate_end():
    d = derive([renew("2025-12-19", "2026-12-20")], {"protection_of_civilians"}, TODAY)
    assert d.is_active and d.mandate_end == dt.date(2026, 12, 20) and not d.mandate_final
    assert d.mandate_source.startswith("S/RES/1 (2025) of 19 December 2025") and d.horizon_known


def test_the_latest_decision_decides_whatever_order_they_come_in():
    d = derive([renew("2025-12-19", "2026-12-20"), renew("2024-12-19", "2025-12-20")], set(), TODAY)
    assert d.mandate_end == dt.date(2026, 12, 20)


def test_a_final_renewal_that_has_ended_closes_the_mission_on_its_last_day():
    final = Decision(adopted=dt.date(2026, 1, 27), kind="final_renewal", symbol="S/RES/2813 (2026)",
                     mandate_end=dt.date(2026, 3, 31))
    d = derive([renew("2025-07-14", "2026-01-28"), final], set(), TODAY)
    assert not d.is_active and d.end_date == dt.date(2026, 3, 31) and d.mandate_final


def test_a_final_renewal_still_running_keeps_the_mission_open_with_a_final_horizon():
    final = Decision(adopted=dt.date(2025, 8, 28), kind="final_renewal", symbol="S/RES/2790 (2025)",
                     mandate_end=dt.date(2026, 12, 31))
    d = derive([final], set(), TODAY)
    assert d.is_active and d.end_date is None and d.mandate_end == dt.date(2026, 12, 31) and d.mandate_final


def test_a_termination_without_a_date_ends_the_mission_on_the_day_adopted():
    stop = Decision(adopted=dt.date(2023, 12, 1), kind="terminate", symbol="S/RES/2715 (2023)")
    d = derive([stop], set(), TODAY)
    assert not d.is_active and d.end_date == dt.date(2023, 12, 1)


def test_an_unverified_decision_makes_the_horizon_unknown():
    unsure = Decision(adopted=dt.date(2026, 3, 16), kind="renew", mandate_end=dt.date(2026, 6, 17),
                      verified=False, note="[verify] the symbol")
    d = derive([renew("2025-03-17", "2026-03-17"), unsure], set(), TODAY)
    assert d.is_active and d.mandate_end is None and not d.mandate_open_ended and not d.horizon_known
    assert "[verify]" in d.mandate_source and "the symbol" in d.mandate_source


def test_a_renewal_whose_end_has_passed_with_no_later_decision_is_an_unknown_horizon():
    d = derive([renew("2025-05-08", "2026-04-30")], set(), TODAY)
    assert d.is_active and d.mandate_end is None and not d.horizon_known
    assert "[verify] the renewal after that date" in d.mandate_source


def test_an_establishing_resolution_without_an_end_is_open_ended():
    d = derive([Decision(adopted=dt.date(1948, 5, 29), kind="establish", symbol="S/RES/50 (1948)")], set(), TODAY)
    assert d.is_active and d.mandate_end is None and d.mandate_open_ended and d.horizon_known


def test_verified_decisions_remove_then_add_tasks_and_the_last_to_name_a_task_decides():
    first = renew("2024-10-31", "2025-10-31", removed=frozenset({"rule_of_law"}),
                  added=frozenset({"ceasefire_monitoring"}))
    later = renew("2025-10-31", "2026-10-31", removed=frozenset({"ceasefire_monitoring"}))
    unsure = Decision(adopted=dt.date(2026, 1, 1), kind="change_tasks", added=frozenset({"human_rights"}),
                      verified=False, note="[verify]")
    d = derive([later, unsure, first], {"rule_of_law", "political_process"}, TODAY)
    assert d.functions == {"political_process"}


def test_tasks_alone_do_not_set_a_horizon():
    tasks = Decision(adopted=dt.date(2026, 1, 1), kind="change_tasks", symbol="S/RES/9 (2026)",
                     added=frozenset({"human_rights"}))
    d = derive([tasks], set(), TODAY, is_active=True)
    assert d.is_active and d.mandate_end is None and "[verify]" in d.mandate_source and d.functions == {"human_rights"}


# --- applied to the database -----------------------------------------------------------------

def decision(mission, **kw):
    values = {"symbol": "S/RES/3000 (2026)", "adopted": dt.date(2026, 6, 1), "kind": "renew",
              "summary": "Renewed.", "source": "UN press release", "source_url": "https://press.un.org/x",
              "verified": True, **kw}
    return MandateDecision.objects.create(mission=mission, **values)


@pytest.mark.django_db
def test_applying_decisions_writes_the_mission_fields_with_history_and_a_new_version():
    mission = Mission.objects.get(acronym="UNMISS")
    version, rows = mission.version, mission.history.count()
    made = decision(mission, mandate_end=dt.date(2027, 4, 30))
    made.tasks_removed.set(MandateFunction.objects.filter(code="electoral_assistance"))
    assert apply_decisions(Mission.objects.filter(pk=mission.pk), today=TODAY) == ["UNMISS"]
    mission.refresh_from_db()
    assert mission.mandate_end == dt.date(2027, 4, 30) and mission.is_active
    assert mission.mandate_source.startswith("S/RES/3000 (2026)")
    assert not mission.functions.filter(code="electoral_assistance").exists()
    assert mission.version == version + 1 and mission.history.count() > rows
    assert mission.history.first().history_change_reason.startswith("follows the Security Council")
    assert apply_decisions(Mission.objects.filter(pk=mission.pk), today=TODAY) == []  # idempotent


@pytest.mark.django_db
def test_a_final_decision_applied_closes_the_mission_for_pages_api_builder_and_model(analyst_client):
    from risks.inputs import read_inputs

    mission = Mission.objects.get(acronym="UNFICYP")
    decision(mission, kind="final_renewal", adopted=dt.date(2026, 1, 30), mandate_end=dt.date(2026, 7, 31))
    apply_decisions(Mission.objects.filter(pk=mission.pk), today=TODAY)
    mission.refresh_from_db()
    assert not mission.is_active and mission.end_date == dt.date(2026, 7, 31)
    page = analyst_client.get("/missions/UNFICYP/").content.decode()
    assert "Closed" in page and "2026-07-31" in page
    assert analyst_client.get("/missions/?status=active&q=UNFICYP").content.decode().count("/missions/UNFICYP/") == 0
    builder = analyst_client.get("/scenarios/new/").content.decode()
    unmiss = Mission.objects.get(acronym="UNMISS").pk
    assert f'name="missions" value="{mission.pk}"' not in builder and f'name="missions" value="{unmiss}"' in builder
    assert not read_inputs(today=TODAY).missions.loc["UNFICYP", "active"]


@pytest.mark.django_db
def test_the_mission_admin_shows_decided_fields_read_only(client, django_user_model):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "superuser"))
    mission = Mission.objects.get(acronym="UNVMC")
    page = client.get(f"/admin/missions/mission/{mission.pk}/change/").content.decode()
    assert 'name="mandate_end"' not in page and 'name="is_active"' not in page
    assert 'name="host_consent"' in page
    assert "S/RES/2798 (2025)" in page and "/admin/missions/mandatedecision/" in page  # its decisions, linked


@pytest.mark.django_db
def test_saving_a_decision_in_the_admin_applies_it_to_its_mission(client, django_user_model):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "superuser"))
    mission = Mission.objects.get(acronym="UNMOGIP")
    response = client.post("/admin/missions/mandatedecision/add/", {
        "mission": mission.pk, "symbol": "S/RES/3001 (2026)", "adopted": "2026-11-30", "kind": "terminate",
        "mandate_end": "2026-12-01", "summary": "Terminated.", "source": "UN press release",
        "source_url": "https://press.un.org/y", "verified": "on", "note": "", "version": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    mission.refresh_from_db()
    assert not mission.is_active and mission.end_date == dt.date(2026, 12, 1) and mission.mandate_final


@pytest.mark.django_db
def test_an_unverified_decision_needs_its_verify_note():
    mission = Mission.objects.get(acronym="UNDOF")
    unsure = MandateDecision(mission=mission, adopted=dt.date(2026, 6, 30), kind="renew", summary="Renewed?",
                             source="press", verified=False, note="")
    with pytest.raises(ValidationError, match="verify"):
        unsure.full_clean()
    cited = MandateDecision(mission=mission, adopted=dt.date(2026, 6, 30), kind="renew", summary="Renewed",
                            source="press", verified=True, symbol="S/RES/12", note="")
    with pytest.raises(ValidationError):
        cited.full_clean()


# --- the shipped decisions ----------------------------------------------------------------

@pytest.mark.django_db
def test_the_shipped_decisions_close_unami_and_unmha_and_retask_unvmc():
    missions = {m.acronym: m for m in Mission.objects.prefetch_related("functions")}
    assert not missions["UNAMI"].is_active and missions["UNAMI"].end_date == dt.date(2025, 12, 31)
    assert not missions["UNMHA"].is_active and missions["UNMHA"].end_date == dt.date(2026, 3, 31)
    assert missions["UNIFIL"].mandate_final and missions["UNIFIL"].mandate_end == dt.date(2026, 12, 31)
    codes = {f.code for f in missions["UNVMC"].functions.all()}
    assert "rule_of_law" not in codes and "ceasefire_monitoring" not in codes and "peacebuilding_ddr" in codes
    assert missions["UNTSO"].mandate_open_ended and missions["UNMIK"].mandate_open_ended
    assert missions["UNAMA"].mandate_end is None and "[verify]" in missions["UNAMA"].mandate_source


@pytest.mark.django_db
def test_the_shipped_decisions_say_which_horizons_are_known_on_5_december_2026():
    missions = {m.acronym: m for m in Mission.objects.all()}
    assert missions["MONUSCO"].mandate_end == dt.date(2026, 12, 20)
    assert missions["BINUH"].mandate_end == dt.date(2027, 1, 31)  # S/RES/2814 (2026), after 2785 (2025)
    assert missions["UNFICYP"].mandate_end == dt.date(2027, 1, 31)
    assert not missions["UNTMIS"].is_active and missions["UNTMIS"].end_date == dt.date(2026, 10, 31)
    # Renewals due after the spring of 2026 were not found: the horizon is unknown, not the lapsed date.
    for acronym in ("UNDOF", "MINURSO", "UNVMC", "UNSMIL", "MINUSCA", "UNISFA"):
        mission = missions[acronym]
        assert mission.is_active and mission.mandate_end is None and not mission.mandate_open_ended, acronym
        assert "[verify] the renewal after that date" in mission.mandate_source, acronym


@pytest.mark.django_db
def test_unmiss_april_2026_vote_is_shipped_unverified_so_its_draft_end_date_is_not_used():
    vote = MandateDecision.objects.get(mission__acronym="UNMISS", adopted=dt.date(2026, 4, 30))
    assert not vote.verified and vote.symbol == "" and vote.note.startswith("[verify]")
    assert "securitycouncilreport.org/whatsinblue/2026/04" in vote.source_url
    unmiss = Mission.objects.get(acronym="UNMISS")
    assert unmiss.is_active and unmiss.mandate_end is None
    assert unmiss.mandate_source.startswith("A resolution of 30 April 2026 [verify]: the outcome")


@pytest.mark.django_db
def test_every_open_mission_shows_a_cited_decision_or_a_visible_verify():
    for mission in Mission.objects.filter(is_active=True).prefetch_related("decisions"):
        decisions = list(mission.decisions.all())
        assert all(d.source_url or "[verify]" in d.note for d in decisions), mission.acronym
        assert decisions or not mission.mandate_end, mission.acronym


# --- pages ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_mission_page_shows_the_council_timeline_the_horizon_and_the_cut(analyst_client):
    html = analyst_client.get("/missions/MONUSCO/").content.decode()
    council = html[html.index('id="council"'):html.index("</section>", html.index('id="council"'))]
    assert "S/RES/2808 (2025), 19 December 2025: renewed the mandate to 20 December 2026." in council
    assert "https://pubt.io/view/934EEE87A10A6D8D7CBD47482E63A2EE55E56C29" in council
    assert "+ Ceasefire and armistice monitoring" in council and "11,500 troops" in council
    assert "The 2025-26 cuts: in October 2025 the UN decided" in council
    assert "Expect this mission&#x27;s uniformed strength to fall by about 25%." in council
    assert "a Mexican unit here is conditional" in council
    assert "[verify]" in council  # the reimbursement delay is not verified yet


@pytest.mark.django_db
def test_closed_and_unknown_horizons_are_said_on_the_mission_page(analyst_client):
    unmha = analyst_client.get("/missions/UNMHA/").content.decode()
    assert "Closed on 31 March 2026." in unmha and "extended the mandate for a final time to 31 March 2026" in unmha
    unama = analyst_client.get("/missions/UNAMA/").content.decode()
    assert "Mandate end unknown [verify]" in unama
    assert "[verify] the resolution&#x27;s symbol" in unama
    # an unverified decision is said to be unconfirmed before what it is thought to have decided
    assert "Unconfirmed: A Security Council resolution, 16 March 2026: renewed the mandate to 17 June 2026. [verify]" in unama


@pytest.mark.django_db
def test_the_mission_page_speaks_spanish(analyst_client):
    html = analyst_client.get("/missions/UNIFIL/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Decisiones del Consejo de Seguridad" in html
    assert "Mandato final: termina el 31 de diciembre de 2026" in html


@pytest.mark.django_db
def test_the_overview_lists_the_councils_decisions_since_the_un_data_and_the_cuts(analyst_client):
    html = analyst_client.get("/").content.decode()
    answer = html[html.index('id="answer"'):html.index("</section>", html.index('id="answer"'))]
    assert "Security Council decisions since the July 2025 UN report:" in answer
    assert "S/RES/2813 (2026), 27 January 2026: extended the mandate for a final time to 31 March 2026." in answer
    assert 'href="/missions/UNMHA/#council"' in answer
    assert "S/RES/2732 (2024)" not in answer  # adopted before the UN data ends
    assert "repatriate about 25% of its peacekeeping troops and police (13,000-14,000 people)" in answer
    before = answer.count("<li>")
    decision(Mission.objects.get(acronym="UNMISS"), adopted=dt.date(2026, 11, 30), mandate_end=dt.date(2027, 4, 30))
    answer = analyst_client.get("/").content.decode()
    assert answer.count("S/RES/3000 (2026), 30 November 2026: renewed the mandate to 30 April 2027.") == 1
    assert answer[answer.index('id="answer"'):].count("<li>") >= before + 1


@pytest.mark.django_db
def test_the_api_says_a_closed_mission_is_closed_and_gives_its_horizon(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("notebook", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="consultant"))
    token = client.post("/api/token/", {"username": "notebook", "password": "a-long-test-password"}).json()["token"]
    unmha = client.get("/api/missions/UNMHA/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert unmha["is_active"] is False and unmha["end_date"] == "2026-03-31" and unmha["mandate_final"] is True
    active = client.get("/api/missions/", {"active": "true", "page_size": 200},
                        HTTP_AUTHORIZATION=f"Token {token}").json()
    acronyms = {m["acronym"] for m in active["results"]}
    assert "UNMHA" not in acronyms and "UNAMI" not in acronyms and "MONUSCO" in acronyms
    untso = client.get("/api/missions/UNTSO/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert untso["mandate_open_ended"] is True and untso["mandate_end"] is None


@pytest.mark.django_db
def test_a_briefing_says_each_missions_horizon_latest_decision_and_the_cuts(analyst):
    from django.template.loader import render_to_string
    from django.utils import translation

    from briefings.content import briefing_content
    from briefings.data import briefing_data
    from risks import services
    from risks.models import ContributionMode, Scenario

    scenario = Scenario.objects.create(name="Engineers", owner=analyst, size=150,
                                       mode=ContributionMode.objects.get(code="national_contingent"))
    scenario.missions.set(Mission.objects.filter(acronym__in=["UNIFIL", "UNMISS"]))
    scenario.functions.set(MandateFunction.objects.filter(code="humanitarian_relief"))
    services.recompute_scenario(scenario.pk)
    data = briefing_data(scenario)
    world = {w["mission"]: w for w in data.world}
    assert world["UNIFIL"]["horizon"].startswith("Final mandate: ends on 31 December 2026")
    assert "S/RES/2790 (2025), 28 August 2025" in world["UNIFIL"]["latest"]
    assert "Mandate end unknown [verify]" in world["UNMISS"]["horizon"]  # 30 April 2026 has passed
    assert "a Mexican unit here is conditional" in world["UNMISS"]["cut"]
    assert any("repatriate about 25%" in line for line in data.cuts)
    html = render_to_string("briefings/briefing.html", {"d": data, "r": data.result, "c": briefing_content(data)})
    assert "the Security Council and the cuts" in html and "S/RES/2790 (2025)" in html
    reasons = {e["mission"]: {x["gate"] for x in e["reasons"]} for e in data.result["reasons"]}
    assert "un_cuts" in reasons["UNMISS"]  # the model: a contingent there is conditional on the UN asking
    with translation.override("es"):
        spanish = briefing_data(scenario, language="es")
    assert "Los recortes de 2025-2026" in " ".join(spanish.cuts)


@pytest.mark.django_db
def test_the_daily_command_closes_a_mission_whose_final_day_has_passed(monkeypatch):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    out = StringIO()
    call_command("apply_decisions", stdout=out)
    assert "Nothing to do" in out.getvalue()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2027, 1, 2))
    call_command("apply_decisions", stdout=out)
    unifil = Mission.objects.get(acronym="UNIFIL")
    assert not unifil.is_active and unifil.end_date == dt.date(2026, 12, 31) and "UNIFIL" in out.getvalue()
