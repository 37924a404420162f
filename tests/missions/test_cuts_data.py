"""The 2025-26 cuts as data: which missions they apply to, and what the model does with them."""

import datetime as dt

import numpy as np
import pytest

from missions.models import Mission, MissionCut
from missions.selectors import cut_facts


@pytest.mark.django_db
def test_the_system_wide_cut_applies_to_open_peacekeeping_operations_only():
    facts = cut_facts()
    assert facts.loc["UNMISS", "cut_share"] == 0.25 and facts.loc["UNMISS", "sheds_formed"]
    assert np.isnan(facts.loc["UNVMC", "cut_share"]) and not facts.loc["UNVMC", "sheds_formed"]  # a political mission
    assert np.isnan(facts.loc["MINUSMA", "cut_share"])  # closed
    assert facts.loc["UNMISS", "reimbursement_delay_months"] == 6 and not facts.loc["UNMISS", "delay_verified"]
    assert np.isnan(facts.loc["UNSOS", "cut_share"])  # its own row is unverified and gives no personnel share


@pytest.mark.django_db
def test_the_shipped_mission_rows_add_what_was_published_and_invent_no_share():
    facts = cut_facts()
    unmiss = MissionCut.objects.get(mission__acronym="UNMISS")
    assert unmiss.verified and unmiss.uniformed_share is None and unmiss.budget_share == 0.15
    assert facts.loc["UNMISS", "cut_share"] == 0.25  # a spending cut gives no share: the system-wide 25% stays
    unifil = MissionCut.objects.get(mission__acronym="UNIFIL")
    assert unifil.verified and unifil.uniformed_share == 0.25 and unifil.source_url.startswith("https://")
    assert facts.loc["UNIFIL", "cut_share"] == 0.25 and facts.loc["UNIFIL", "sheds_formed"]


@pytest.mark.django_db
def test_a_missions_own_verified_cut_replaces_the_system_wide_one_and_an_unverified_one_does_not():
    unfi = Mission.objects.get(acronym="UNFICYP")
    MissionCut.objects.create(mission=unfi, announced=dt.date(2025, 11, 1), uniformed_share=0.1,
                              sheds_formed_units=False, summary="A smaller cut.", source="UN",
                              source_url="https://press.un.org/z", verified=True)
    MissionCut.objects.create(mission=Mission.objects.get(acronym="UNDOF"), announced=dt.date(2025, 11, 1),
                              uniformed_share=0.9, sheds_formed_units=True, summary="Rumour.", source="blog",
                              verified=False, note="[verify] all of it")
    facts = cut_facts()
    assert facts.loc["UNFICYP", "cut_share"] == 0.1 and not facts.loc["UNFICYP", "sheds_formed"]
    assert facts.loc["UNDOF", "cut_share"] == 0.25  # the unverified row changes nothing


@pytest.mark.django_db
def test_the_model_reads_the_cut_in_its_gates_and_in_the_strength_cap():
    from plans.candidates import full_grid
    from risks import services
    from risks.engine import feasibility, model
    from risks.inputs import option_facts, read_inputs

    inputs = read_inputs()
    row = inputs.missions.loc["UNMISS"]
    assert row["sheds_formed"] and row["cut_share"] == 0.25
    grid = full_grid(inputs, ["UNMISS"])
    verdict, reasons, _ = services.judge(inputs, grid)
    modes = np.asarray(model.MODES)[np.asarray(grid.mode_idx)]
    formed_rows = np.isin(modes, feasibility.FORMED_MODES)
    cut = np.array([any(r["gate"] == "un_cuts" for r in rs) for rs in reasons])
    assert (cut == formed_rows).all()   # formed units conditional; individuals and civilians pass

    def capped(inputs):  # the one rule's strength check, per option
        levels = feasibility.check_levels(option_facts(inputs, grid), inputs.unit_sizes or {})
        return levels["strength_cap"] == feasibility.INFEASIBLE

    small = formed_rows & (np.asarray(grid.size) <= 150)
    assert not capped(inputs)[small].any()  # a company is a small part of UNMISS's thousands, even after the cut
    inputs.missions.loc["UNMISS", "cut_share"] = 0.999  # a mission that sends (nearly) every unit home
    assert capped(inputs)[formed_rows].all()
    assert not capped(inputs)[~formed_rows & (modes == "individual") & (np.asarray(grid.size) <= 20)].any()
    assert feasibility.MAX_SHARE_OF_STRENGTH == 0.25
