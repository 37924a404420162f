"""What an expert in decision analysis and in Mexican foreign and defence policy checks first,
written as specifications and run on the shipped UN data and catalogue."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from missions.models import MandateFunction, Mission
from risks import inputs as model_inputs
from risks import services
from risks.models import ContributionMode, Factor, FactorModeEffect, Scenario, ScenarioResult

TODAY = date(2026, 12, 1)


@pytest.fixture
def grid(db) -> pd.DataFrame:
    return services.score_grid(model_inputs.read_inputs(today=TODAY))


@pytest.fixture
def facts(db) -> pd.DataFrame:
    return model_inputs.mission_table()


def scenario_of(owner, mode: str, missions: list[str], functions: list[str], **fields) -> Scenario:
    scenario = Scenario.objects.create(name="expert check", owner=owner, mode=ContributionMode.objects.get(code=mode),
                                       **{"size": 10, "duration_months": 12, **fields})
    scenario.missions.set(Mission.objects.filter(acronym__in=missions))
    scenario.functions.set(MandateFunction.objects.filter(code__in=functions))
    return scenario


def computed(scenario: Scenario) -> ScenarioResult:
    services.recompute_scenario(scenario.pk)
    return ScenarioResult.objects.get(scenario=scenario)


def option(result: ScenarioResult, mission: str) -> dict:
    return next(o for o in result.options if o["mission"] == mission)


@pytest.mark.django_db
def test_no_formed_unit_option_is_offered_where_the_mission_has_no_formed_units(grid, facts):
    for acronym in ("UNVMC", "UNMOGIP", "UNTSO", "UNAMA"):
        assert not facts.loc[acronym, "takes_formed"], acronym
        rows = grid[(grid["mission"] == acronym) & grid["mode"].isin(["national_contingent", "mixed_contingent"])]
        assert len(rows) and (rows["feasibility"] == "infeasible").all() and rows["rank"].isna().all()
        assert rows["excluded_by"].str.contains("mission_fit").all()
    unvmc = facts.loc["UNVMC"]
    assert (unvmc["troops"], unvmc["experts"], unvmc["individual_police"]) == (0, 72, 67)  # the latest UN report


@pytest.mark.django_db
def test_the_best_options_are_ones_the_mission_can_take(grid, facts):
    ranked = grid[grid["rank"].notna()].sort_values("rank").drop_duplicates(["mission", "mode"]).head(20)
    for row in ranked.itertuples():
        if row.mode not in ("individual", "civilian"):  # civilian experts join any mission's civilian staff
            assert facts.loc[row.mission, "takes_formed"], row
        assert facts.loc[row.mission, "active"]


@pytest.mark.django_db
def test_national_contingents_do_not_beat_individual_deployments_almost_everywhere(grid):
    admissible = grid[grid["excluded_by"] == ""]
    best = admissible.sort_values("net", ascending=False).drop_duplicates(["mission", "mode"])
    table = best.pivot(index="mission", columns="mode", values="net").dropna(
        subset=["national_contingent", "individual"])
    share = (table["national_contingent"] > table["individual"]).mean()
    assert share < 0.5, share


@pytest.mark.django_db
def test_the_chance_of_a_positive_net_score_tells_options_apart(grid):
    ranked = grid[grid["excluded_by"] == ""]   # admissible: ranked, or shown as worse than not deploying
    assert (ranked["rank"].notna() == (ranked["net"] > 0)).all()
    certain = ((ranked["p_positive"] > 0.999) | (ranked["p_positive"] < 0.001)).mean()
    assert certain < 0.8
    assert ranked["p_positive"].std() > 0.2
    assert (ranked["net"] < 0).any() and (ranked["net"] > 0).any()


@pytest.mark.django_db
def test_hostility_and_hazard_are_per_person_so_unisfa_is_more_dangerous_than_unifil(facts):
    rate = facts["shape_formed"] / facts["rate_formed"]
    assert rate["UNISFA"] > 2 * rate["UNIFIL"]
    assert facts.loc["UNISFA", "malicious_rate"] > 4 * facts.loc["UNIFIL", "malicious_rate"]
    assert facts.loc["UNISFA", "hostility"] > facts.loc["UNIFIL", "hostility"]
    assert rate["MINUSCA"] > rate["UNFICYP"]


@pytest.mark.django_db
def test_at_equal_size_individuals_in_a_calm_mission_carry_fewer_expected_fatalities_than_a_contingent_in_minusca(
        analyst):
    calm = computed(scenario_of(analyst, "individual", ["UNFICYP"], ["ceasefire_monitoring", "public_security_police"],
                                size=150))
    minusca = computed(scenario_of(analyst, "national_contingent", ["MINUSCA"], ["humanitarian_relief"], size=150))
    assert option(calm, "UNFICYP")["expected_fatalities"] < option(minusca, "MINUSCA")["expected_fatalities"] / 3
    assert option(minusca, "MINUSCA")["net"] < option(calm, "UNFICYP")["net"]


@pytest.mark.django_db
def test_size_changes_the_result(analyst):
    small = scenario_of(analyst, "national_contingent", ["UNMISS"], ["humanitarian_relief"], size=20)
    first = computed(small)
    Scenario.objects.filter(pk=small.pk).update(size=500)
    second = computed(Scenario.objects.get(pk=small.pk))
    assert second.fingerprint != first.fingerprint
    assert option(second, "UNMISS")["expected_fatalities"] == pytest.approx(
        25 * option(first, "UNMISS")["expected_fatalities"])
    assert option(second, "UNMISS")["net_cost_usd"] == pytest.approx(25 * option(first, "UNMISS")["net_cost_usd"])
    assert second.net != first.net


@pytest.mark.django_db
def test_cutting_a_risks_likelihood_moves_topsis(analyst):
    scenario = scenario_of(analyst, "individual", ["UNMISS", "MINURSO", "UNVMC"],
                           ["ceasefire_monitoring", "protection_of_civilians", "electoral_assistance"],
                           aggregation="topsis")
    before = {o["mission"]: o["topsis"] for o in computed(scenario).options}
    factor = Factor.objects.get(code="human_rights_violations")
    Factor.objects.filter(pk=factor.pk).update(likelihood_low=factor.likelihood_low / 3,
                                               likelihood_mode=factor.likelihood_mode / 3,
                                               likelihood_high=factor.likelihood_high / 3)
    after = {o["mission"]: o["topsis"] for o in computed(scenario).options}
    moved = [abs(after[m] - before[m]) for m in before if before[m] is not None]
    assert max(moved) > 1e-5  # (the textbook normalisation moved it by 1e-16)


@pytest.mark.django_db
def test_adding_a_factor_leaves_other_categories_unchanged_and_its_own_categorys_weight_whole(analyst):
    """Swing weights are on categories: a new reputation risk takes a share of reputation's
    weight (its two factors now weigh 1/3 each instead of 1/2), nothing else moves."""
    scenario = scenario_of(analyst, "individual", ["UNMISS", "UNVMC"], ["peacebuilding_ddr", "electoral_assistance"])
    before = {c["factor"]: c["contribution"] for c in computed(scenario).contributions}
    added = Factor.objects.create(
        code="new_risk", name_en="A new risk", kind="risk", category="reputation", description="test",
        source="test", likelihood_low=0.2, likelihood_mode=0.3, likelihood_high=0.4, impact_low=0.5,
        impact_mode=0.6, impact_high=0.7)
    FactorModeEffect.objects.bulk_create([FactorModeEffect(factor=added, mode=m, multiplier=1)
                                          for m in ContributionMode.objects.all()])
    after = {c["factor"]: c["contribution"] for c in computed(scenario).contributions}
    assert after.pop("new_risk") < 0
    reputation = set(Factor.objects.filter(category="reputation").exclude(code="new_risk").values_list("code", flat=True))
    assert len(reputation) == 2
    assert {k: v for k, v in after.items() if k not in reputation} == pytest.approx(
        {k: v for k, v in before.items() if k not in reputation}, rel=1e-9)
    assert {k: after[k] for k in reputation} == pytest.approx({k: before[k] * 2 / 3 for k in reputation}, rel=1e-9)


@pytest.mark.django_db
def test_a_private_military_company_is_never_admissible_and_private_enablers_are_conditional(grid):
    pmc = grid[grid["mode"] == "private_military_company"]
    assert (pmc["feasibility"] == "infeasible").all() and pmc["excluded_by"].str.contains("un_contracting").all()
    mixed = grid[(grid["mode"] == "mixed_contingent") & (grid["feasibility"] != "infeasible")]
    assert len(mixed) and mixed["reasons"].str.contains("un_contracting: conditional").all()


@pytest.mark.django_db
def test_unifils_final_mandate_rules_it_out_whatever_the_dates(db):
    late = services.score_grid(model_inputs.read_inputs(today=TODAY), ["UNIFIL"])
    assert late["excluded_by"].str.contains("mandate_ended").all()
    # Even 12 months from October 2025, inside the date: the Council ended the mission, no one joins it.
    early = services.score_grid(model_inputs.read_inputs(today=date(2025, 9, 1)), ["UNIFIL"])
    assert early["excluded_by"].str.contains("mandate_ended").all()
    assert not early["reasons"].str.contains("mandate_horizon").any()  # no "plan for its renewal" remedy


@pytest.mark.django_db
def test_japans_principles_apply_to_individuals_too_and_minurso_has_no_ceasefire(analyst):
    scenario = scenario_of(analyst, "individual", ["MINURSO", "UNMOGIP"], ["ceasefire_monitoring"],
                           strict_gates=["jp_ceasefire"])
    result = computed(scenario)
    assert option(result, "MINURSO")["feasibility"] == "infeasible"
    unmogip = option(result, "UNMOGIP")
    assert unmogip["feasibility"] != "infeasible"  # its ceasefire line holds: the strict gate passes
    assert "jp_ceasefire" not in {r["gate"] for r in unmogip["reasons"]}
    # India's consent is strained (Simla, 1972): the consent principles make it conditional, not the ceasefire.
    assert {r["gate"] for r in unmogip["reasons"]} <= {"jp_consent", "host_consent", "senate_authorisation",
                                                        "jp_withdrawal", "mandate_unknown"}


@pytest.mark.django_db
def test_a_no_fatalities_above_x_rule_excludes_the_dangerous_options_with_the_reason(analyst):
    # A platoon: after the 2025-26 cuts UNFICYP's formed strength no longer takes a 150-person company.
    scenario = scenario_of(analyst, "national_contingent", ["MINUSCA", "UNFICYP"], ["humanitarian_relief"],
                           size=40, max_p_any_fatality=0.02)
    result = computed(scenario)
    minusca, unficyp = option(result, "MINUSCA"), option(result, "UNFICYP")
    assert minusca["p_any_fatality"] > 0.02 and "dealbreaker:max_p_any_fatality" in minusca["excluded_by"]
    assert minusca["rank"] is None
    assert unficyp["p_any_fatality"] <= 0.02 and unficyp["excluded_by"] == "" and unficyp["rank"] is not None


@pytest.mark.django_db
def test_individuals_bring_no_reimbursement_and_contingents_the_troop_cost_rate_and_their_equipment(grid):
    modes = {m.code: m for m in ContributionMode.objects.all()}
    engine_modes, _sizes = model_inputs.mode_table()
    for code in ("individual", "national_contingent", "mixed_contingent"):
        m = ["national_contingent", "private_military_company", "mixed_contingent", "individual"].index(code)
        row = grid[grid["mode"] == code].iloc[0]
        cost = engine_modes.cost[m]
        likely = (cost[0] + 4 * cost[1] + cost[2]) / 6
        assert row["net_cost_usd"] == pytest.approx(row["size"] * 12 * (likely - engine_modes.reimbursement[m]))
    individual, national, mixed = (engine_modes.reimbursement[i] for i in (3, 0, 2))
    assert not modes["individual"].reimbursed and individual == 0
    # The troop-cost rate plus contingent-owned equipment; an embedded element gets a share of the rate.
    assert modes["national_contingent"].un_reimbursement_usd == 1428 and national == 1428 + 1500
    assert mixed == pytest.approx(0.5 * 1428)
    # Waiting for the UN costs something: the full cost exceeds the personnel and equipment costs.
    assert engine_modes.cost[0, 1] > modes["national_contingent"].cost_per_person_month_usd + 1500


@pytest.mark.django_db
def test_the_demo_scenarios_read_as_an_expert_expects(analyst, django_user_model):
    from django.core.management import call_command

    django_user_model.objects.filter(pk=analyst.pk).update(username="analyst")
    call_command("seed_demo_scenarios", force=True, verbosity=0)
    today = Scenario.objects.get(name__startswith="Today")
    result = ScenarioResult.objects.get(scenario=today)
    best = min((o for o in result.options if o["rank"]), key=lambda o: o["rank"])
    # UNFICYP's UN police since UNVMC lost its rule-of-law tasks (resolution 2798 (2025)).
    assert best["mission"] in {o["mission"] for o in result.options if o["selected"]} | {"UNVMC", "MINURSO", "UNFICYP"}
    assert result.p_positive > 0.5 and result.expected_fatalities < 0.1
    japan = ScenarioResult.objects.get(scenario__preset="japan_safeguards")
    excluded = {o["mission"]: o["excluded_by"] for o in japan.options if o["selected"]}
    every = {o["mission"]: o["excluded_by"] for o in japan.options}
    # Japan's question is asked only where its own rules do not rule the company out (the builder
    # starts a preset so); the others are left out, each with its reason
    assert "UNMISS" not in excluded and "jp_consent" in every["UNMISS"]   # as Japan left UNMISS in 2017
    assert "MINURSO" not in excluded and "jp_ceasefire" in every["MINURSO"] and "strength_cap" in every["MINURSO"]
    assert "UNIFIL" not in excluded and "mandate_ended" in every["UNIFIL"]  # the Council ended it: not offered
    # Argentina's path: a platoon embedded in a partner's unit, never in MINURSO's 20 troops
    argentina = ScenarioResult.objects.get(scenario__preset="argentina_reform")
    minurso = next(o for o in argentina.options if o["mission"] == "MINURSO")
    assert minurso["rank"] is None and "strength_cap" in minurso["excluded_by"]
    assert [o for o in argentina.options if o["rank"]], "some mission can take a Mexican platoon"
    # Under Japan's safeguards (strict, with the 2015 law's safety clause and the 2025-26 cuts) no
    # company is left to rank: every chosen mission fails a principle or a deal-breaker, each named.
    assert all(excluded.values()) and not japan.smaa["options"]
    assert today.result.smaa["options"] and today.result.break_even is not None
    assert all(0 <= x <= 1 for row in today.result.smaa["acceptability"] for x in row)
    assert np.isfinite(japan.net_cost_usd) and japan.net_cost_usd > 0


@pytest.mark.django_db
def test_a_mission_page_shows_its_fatality_rates_by_group_and_cause_with_person_years(analyst_client):
    html = analyst_client.get("/missions/MONUSCO/").content.decode()
    section = html[html.index('id="model"'):]
    for text in ("Fatality rate of uniformed personnel", "Person-years", "90% interval", "Malicious acts",
                 "Accidents", "Illness", "research data on deployed strength", "It has formed units"):
        assert text in section, text
    unvmc = analyst_client.get("/missions/UNVMC/").content.decode()
    assert "It has no formed units: contingent options are infeasible." in unvmc


@pytest.mark.django_db
def test_a_mission_whose_final_mandate_has_ended_is_closed_for_the_model():
    import datetime as dt

    from risks.inputs import read_inputs

    after = read_inputs(today=dt.date(2026, 12, 2)).missions
    # Closed by the Council's decision (final mandate to 31 Dec 2025, missions.decisions), as the
    # missions list now says too.
    assert not after.loc["UNAMI", "active"] and after.loc["UNAMI", "mandate_final"]
    assert after.loc["UNIFIL", "active"]  # open until 31 Dec 2026: the mandate horizon gate judges it


@pytest.mark.django_db
def test_every_mission_with_a_police_component_offers_police_work(grid, facts):
    # A police component (50 or more UN police in the latest report, formed units or individual
    # officers) means the mandate has police tasks: UNMISS (850 formed, 679 individual police in
    # July 2025), UNFICYP and UNISFA among them. Mexico's police could not be offered there before.
    police = facts[(facts["formed_police"] + facts["individual_police"] >= 50) & facts["active"]]
    assert {"UNMISS", "UNFICYP", "UNISFA", "MINUSCA", "MONUSCO"} <= set(police.index)
    with_function = set(Mission.objects.filter(functions__code="public_security_police").values_list("acronym", flat=True))
    assert set(police.index) - {"UNVMC"} <= with_function  # UNVMC's police verify security guarantees only
    unmiss = grid[(grid["mission"] == "UNMISS") & (grid["mode"] == "individual")
                  & grid["functions"].str.contains("public_security_police")]
    assert len(unmiss) and unmiss["feasibility"].ne("infeasible").any()


@pytest.mark.django_db
def test_the_japan_preset_fails_undof_which_japan_left_for_its_personnels_safety(analyst, facts):
    from risks.presets import PRESETS

    assert facts.loc["UNDOF", "safety_withdrawal"] and not facts.loc["UNFICYP", "safety_withdrawal"]
    japan = PRESETS["japan_safeguards"]
    assert "jp_personnel_safety" in japan["strict_gates"] and "2015" in str(japan["description"])
    scenario = scenario_of(analyst, "national_contingent", ["UNDOF", "UNFICYP"], japan["functions"],
                           size=150, strict_gates=japan["strict_gates"])
    result = computed(scenario)
    undof = option(result, "UNDOF")
    assert undof["feasibility"] == "infeasible" and "jp_personnel_safety" in undof["excluded_by"]
    assert "jp_personnel_safety" not in option(result, "UNFICYP")["excluded_by"]
    # without the Japan preset the same fact is a condition, not a ban
    plain = computed(scenario_of(analyst, "national_contingent", ["UNDOF"], japan["functions"], size=150))
    assert {"gate": "jp_personnel_safety", "level": "conditional"} in option(plain, "UNDOF")["reasons"]


@pytest.mark.django_db
def test_mexicos_frame_reaches_the_verdicts_minurso_recognition_and_guardia_nacional_police(grid, facts):
    assert facts.loc["MINURSO", "party_recognised"] and not facts.loc["UNMOGIP", "party_recognised"]
    minurso = grid[grid["mission"] == "MINURSO"]
    formed = minurso[minurso["mode"] == "national_contingent"]
    individual = minurso[minurso["mode"] == "individual"]
    assert len(formed) and formed["reasons"].str.contains("party_recognition: conditional").all()
    assert len(individual) and not individual["reasons"].str.contains("party_recognition").any()
    police = grid[(grid["mode"] == "individual") & grid["functions"].str.contains("public_security_police")]
    assert len(police) and police["reasons"].str.contains("police_are_troops: conditional").all()
    others = grid[(grid["mode"] == "individual") & ~grid["functions"].str.contains("public_security_police")]
    assert not others["reasons"].str.contains("police_are_troops").any()


@pytest.mark.django_db
def test_a_mixed_contingent_names_its_partner_argentina_in_unficyp_from_the_un_data(grid, facts):
    unficyp = facts.loc["UNFICYP"]
    assert unficyp["partner"] == "ARG" and unficyp["partner_basis"] == "embeds"
    assert {"PRY", "CHL", "BRA"} <= set(unficyp["partner_embeds"].split("|"))
    assert facts.loc["UNIFIL", "partner"] == "ESP" and facts.loc["UNIFIL", "partner_basis"] == "mexico_precedent"
    mixed = grid[grid["mode"] == "mixed_contingent"]
    assert (mixed[mixed["mission"] == "UNFICYP"]["partner"] == "ARG").all()
    assert (grid[grid["mode"] != "mixed_contingent"]["partner"].fillna("") == "").all()


@pytest.mark.django_db
def test_mixed_contingent_options_read_with_argentina_on_the_mission_page_and_the_scenario(analyst_client, analyst):
    html = analyst_client.get("/missions/UNFICYP/").content.decode()
    section = html[html.index('id="model"'):]
    assert "Mixed contingent with Argentina" in section
    assert "already embeds troops of" in section and "Paraguay" in section
    assert "Mexico&#x27;s frame" not in section  # UNFICYP has no frame fact; MINURSO has
    minurso = analyst_client.get("/missions/MINURSO/").content.decode()
    assert "Sahrawi Arab Democratic Republic" in minurso
    scenario = scenario_of(analyst, "mixed_contingent", ["UNFICYP"], ["humanitarian_relief"], size=40)
    result = computed(scenario)
    assert option(result, "UNFICYP")["partner"] == "ARG"
    page = analyst_client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "with Argentina" in page
def test_a_mission_with_a_few_dozen_individuals_takes_a_pair_of_officers_and_individuals_deliver_no_relief(grid):
    """Read as a defence-policy expert: BINUH's 18 police take two Mexican advisers, not five or
    ten; uniformed individuals monitor, advise and police, relief is for agencies and formed units."""
    ranked = grid[(grid["mode"] == "individual") & grid["rank"].notna()]
    binuh = ranked[ranked["mission"] == "BINUH"]
    assert len(binuh) == 1 and binuh.iloc[0]["size"] == 2
    assert not ranked["functions"].str.contains("humanitarian_relief").any()
    assert set(ranked["size"]) <= {2, 5, 10, 20}


@pytest.mark.django_db
def test_electoral_assistance_is_choosable_through_the_civilian_mode(grid, analyst):
    electoral = grid[grid["functions"].str.contains("electoral_assistance")]
    uniformed = electoral[electoral["mode"] != "civilian"]
    assert (uniformed["feasibility"] == "infeasible").all()  # no uniformed mode does electoral work
    civilian = electoral[(electoral["mode"] == "civilian") & (electoral["feasibility"] != "infeasible")]
    assert {"MONUSCO", "UNMISS", "BINUH"} & set(civilian["mission"])
    assert civilian["reasons"].str.contains("civilian_selection: conditional").all()
    assert not civilian["reasons"].str.contains("senate_authorisation").any()
    assert (civilian["size"] == 5).all() and (civilian["net_cost_usd"] > 0).all()
    scenario = scenario_of(analyst, "civilian", ["MONUSCO", "UNMOGIP"], ["electoral_assistance", "rule_of_law"], size=5)
    result = computed(scenario)
    monusco = option(result, "MONUSCO")
    assert monusco["feasibility"] == "conditional" and "electoral_assistance" in monusco["functions"]
    assert option(result, "UNMOGIP")["feasibility"] == "infeasible"  # a ceasefire line: no electoral or legal work
    # the expertise opportunity (the INE's record) carries the civilian option; the armed forces' own ones do not
    mode = ContributionMode.objects.get(code="civilian")
    assert FactorModeEffect.objects.get(factor__code="professionalisation", mode=mode).multiplier == 0
    assert FactorModeEffect.objects.get(factor__code="relevant_expertise", mode=mode).multiplier == 1
    assert mode.sources.filter(key="ine-international-2020").exists()


@pytest.mark.django_db
def test_the_overview_answers_for_civilian_experts_and_names_the_mixed_contingents_partner(analyst_client):
    html = analyst_client.get("/").content.decode()
    assert "Civilian experts" in html
    assert "Mixed contingent with" in html  # the best mixed option names the nation whose unit it joins
