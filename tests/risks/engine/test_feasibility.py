"""The one feasibility rule (risks.engine.feasibility), on small made-up missions."""

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.engine import feasibility, gates

FUNCTIONS = ("ceasefire_monitoring", "public_security_police", "humanitarian_relief", "political_process",
             "confidence_building", "electoral_assistance", "rule_of_law", "peacebuilding_ddr",
             "protection_of_civilians", "human_rights")
EVERY = (1 << len(FUNCTIONS)) - 1
UNIT_SIZES = {"national_contingent": (40.0, 150.0, 850.0), "private_military_company": (150.0,),
              "mixed_contingent": (10.0, 40.0, 150.0), "individual": (5.0, 10.0, 20.0)}
START = date(2027, 1, 1)
RELIEF = 1 << FUNCTIONS.index("humanitarian_relief")


def bit(*codes: str) -> int:
    return sum(1 << FUNCTIONS.index(c) for c in codes)


def missions(**overrides) -> pd.DataFrame:
    """A calm peacekeeping force (FORCE), a political mission with a guard unit (OFFICE), an
    observer mission (OBSERVERS), and a force whose mandate ends for good (ENDING)."""
    base = {"kind": "pko", "active": True, "chapter_vii": False, "ceasefire_agreement": True, "consent": "full",
            "impartiality_concern": False, "mandate_end": None, "mandate_final": False, "takes_formed": True,
            "takes_individuals": True, "troops": 1000.0, "formed_police": 0.0, "individual_police": 40.0,
            "staff_officers": 50.0, "experts": 30.0}
    rows = {
        "FORCE": {**base, "mandate_end": date(2027, 6, 30)},
        "OFFICE": {**base, "kind": "spm", "troops": 231.0, "individual_police": 0.0, "staff_officers": 0.0,
                   "experts": 3.0},
        "OBSERVERS": {**base, "takes_formed": False, "troops": 0.0, "individual_police": 0.0, "staff_officers": 0.0,
                      "experts": 150.0},
        "ENDING": {**base, "mandate_end": date(2026, 12, 31), "mandate_final": True},
    }
    for acronym, changes in overrides.items():
        rows[acronym] = {**rows[acronym], **changes}
    return pd.DataFrame.from_dict(rows, orient="index")


def facts(acronyms, modes, sizes, months=12, masks=RELIEF, table=None) -> feasibility.Facts:
    return feasibility.option_facts(missions() if table is None else table, FUNCTIONS,
                                    dict.fromkeys(UNIT_SIZES, EVERY), START, acronyms, modes, sizes, months, masks)


def reasons(judgement: feasibility.Judgement, i: int = 0) -> dict[str, str]:
    return {r["gate"]: r["level"] for r in judgement.reasons[i]}


def judge(*args, **kwargs) -> feasibility.Judgement:
    return feasibility.judge(facts(*args, **kwargs), UNIT_SIZES)


def test_an_option_larger_than_a_quarter_of_the_missions_personnel_of_its_kind_is_infeasible():
    j = judge(["FORCE"] * 4, ["individual", "individual", "national_contingent", "national_contingent"],
              [20, 10, 150, 850])
    # 120 individuals: a quarter is 30; 1,000 troops: a quarter is 250
    assert [("strength_cap" in reasons(j, i)) for i in range(4)] == [False, False, False, True]
    assert reasons(j, 3)["strength_cap"] == "infeasible"


def test_a_political_missions_experts_take_no_ten_mexican_individuals():
    j = judge(["OFFICE"], ["individual"], [10])
    assert reasons(j)["strength_cap"] == "infeasible"
    assert j.verdict[0] == gates.INFEASIBLE


def test_formed_units_come_in_standard_sizes_and_for_a_rotation():
    j = judge(["FORCE"] * 4, ["national_contingent", "national_contingent", "mixed_contingent", "individual"],
              [1, 150, 40, 3], months=[12, 1, 12, 1])
    assert reasons(j, 0)["unit_size"] == "infeasible"          # a 1-person "national contingent"
    assert reasons(j, 1)["unit_duration"] == "infeasible"      # a one-month formed unit
    assert "unit_size" not in reasons(j, 2) and "unit_duration" not in reasons(j, 2)
    assert "unit_size" not in reasons(j, 3) and "unit_duration" not in reasons(j, 3)  # individuals: any number


def test_no_formed_ceasefire_monitoring_where_the_mission_has_no_military_component_for_it():
    monitoring = bit("ceasefire_monitoring")
    j = judge(["OFFICE", "FORCE", "OFFICE"], ["mixed_contingent", "mixed_contingent", "individual"], [40, 40, 10],
              masks=monitoring)
    assert reasons(j, 0)["military_component"] == "infeasible"   # a political mission's guard unit
    assert "military_component" not in reasons(j, 1)
    assert "military_component" not in reasons(j, 2)             # individuals monitor


def test_formed_public_security_needs_formed_police_in_the_mission():
    police = bit("public_security_police")
    j = judge(["FORCE"], ["national_contingent"], [150], masks=police)
    assert reasons(j)["military_component"] == "infeasible"
    table = missions(FORCE={"formed_police": 300.0})
    assert "military_component" not in reasons(feasibility.judge(
        facts(["FORCE"], ["national_contingent"], [150], masks=police, table=table), UNIT_SIZES))


def test_mandate_horizon_unknown_is_conditional_final_is_infeasible_renewal_is_conditional():
    table = missions(FORCE={"mandate_end": None})
    unknown = feasibility.judge(facts(["FORCE"], ["individual"], [10], table=table), UNIT_SIZES)
    assert reasons(unknown) == {"mandate_unknown": "conditional"}
    ended = judge(["ENDING"], ["individual"], [10], months=1)
    assert reasons(ended) == {"mandate_ended": "infeasible"}     # even a deployment inside the date
    renewal = judge(["FORCE"], ["individual"], [10])              # June 2027 < end of a 12-month tour
    assert reasons(renewal) == {"mandate_horizon": "conditional"}
    assert judge(["FORCE"], ["individual"], [10], months=6).reasons == [[]]
    assert renewal.outlives.tolist() == [True] and ended.outlives.tolist() == [True]


def test_the_gates_are_the_gates_module_and_strict_gates_bite():
    j = judge(["FORCE"], ["mixed_contingent"], [40])
    assert reasons(j) == {"senate_authorisation": "conditional", "jp_withdrawal": "conditional",
                          "un_contracting": "conditional", "mandate_horizon": "conditional"}
    strict = feasibility.judge(facts(["FORCE"], ["mixed_contingent"], [40]), UNIT_SIZES,
                               strict_gates=frozenset({"jp_withdrawal"}))
    assert strict.verdict[0] == gates.INFEASIBLE
    only_open = feasibility.judge(facts(["FORCE"], ["mixed_contingent"], [40]), UNIT_SIZES, active_gates=set())
    assert reasons(only_open) == {}   # the curated gates can be switched off; the checks cannot


def test_sizes_within_cap_offer_the_largest_standard_size_the_mission_takes():
    table = missions()
    sizes = feasibility.sizes_within_cap(table, UNIT_SIZES, {"national_contingent": 150,
                                                             "private_military_company": 150,
                                                             "mixed_contingent": 40, "individual": 10, "civilian": 5})
    by = pd.DataFrame(sizes, index=table.index, columns=list(feasibility.model.MODES))
    assert (by["civilian"] == 5).all()                        # civilians: not capped by uniformed strength
    assert by.loc["FORCE", "national_contingent"] == 150 and by.loc["FORCE", "individual"] == 10
    assert by.loc["OFFICE", "mixed_contingent"] == 40        # 231 guards: a quarter is 57
    assert by.loc["OFFICE", "individual"] == 10              # nothing fits: the default, ruled out by the cap
    assert by.loc["OBSERVERS", "individual"] == 10           # the preferred size when it fits
    small = missions(FORCE={"troops": 200.0})                  # a quarter is 50: a platoon, not a company
    assert feasibility.sizes_within_cap(small, UNIT_SIZES, {"national_contingent": 150,
                                                            "private_military_company": 150,
                                                            "mixed_contingent": 40, "individual": 10,
                                                            "civilian": 5})[0, 0] == 40


def test_readiness_follows_the_pathway_rules_year_by_year():
    modes = ["individual", "mixed_contingent", "national_contingent", "mixed_contingent"]
    sizes = [10, 40, 150, 40]
    args = dict(first_national_year=2, individual_years_before_mixed=2, presence_years_before_national=2)
    year0 = feasibility.readiness(modes, sizes, 0, 0, prior_individual_years=[0, 0, 0, 3],
                                  prior_presence_years=[0, 0, 0, 3], **args)
    assert year0.tolist() == [0, 2, 2, 2]   # no formed personnel trained in year 1
    year1 = feasibility.readiness(modes, sizes, 1, 80, prior_individual_years=[0, 0, 0, 3],
                                  prior_presence_years=[0, 0, 0, 3], **args)
    assert year1.tolist() == [0, 2, 2, 0]   # a mixed element where Mexico served two years before
    year2 = feasibility.readiness(modes, sizes, 2, 150, prior_individual_years=[0, 0, 0, 3],
                                  prior_presence_years=[0, 0, 0, 3], **args)
    assert year2.tolist() == [0, 0, 0, 0]



def test_the_earliest_year_is_the_first_year_the_rules_make_an_option_ready():
    modes = ["individual", "mixed_contingent", "national_contingent", "mixed_contingent", "national_contingent"]
    sizes = [10, 40, 150, 40, 850]
    years = feasibility.earliest_year(modes, sizes, (0, 80, 150, 250, 300), first_national_year=2,
                                      prior_individual_years=[0, 0, 0, 3, 0], prior_presence_years=[0, 0, 0, 3, 0],
                                      individual_years_before_mixed=2, presence_years_before_national=2)
    # individuals at once; a mixed element after two years of individuals (year 3) unless Mexico
    # already served there (year 2, the first with trained formed personnel); a battalion larger
    # than any year's capacity never within the horizon
    assert years.tolist() == [0, 2, 2, 1, -1]

@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["FORCE", "OFFICE", "OBSERVERS", "ENDING"]),
                          st.sampled_from(list(UNIT_SIZES)), st.sampled_from([1, 5, 10, 20, 40, 150, 850]),
                          st.sampled_from([1, 6, 12, 24]), st.integers(1, EVERY)), min_size=1, max_size=12))
def test_an_options_verdict_does_not_depend_on_the_other_options_judged_with_it(options):
    """A feasible option stays feasible on every surface that shows it: each surface judges a
    different set of options (the grid, a scenario's row, a plan's candidates), and the verdict
    of one option is the same whatever set it is judged in."""
    acronyms, modes, sizes, months, masks = (list(x) for x in zip(*options, strict=True))
    together = feasibility.judge(facts(acronyms, modes, sizes, months, masks), UNIT_SIZES)
    for i in range(len(options)):
        alone = feasibility.judge(facts(acronyms[i:i + 1], modes[i:i + 1], sizes[i:i + 1], months[i:i + 1],
                                        masks[i:i + 1]), UNIT_SIZES)
        assert alone.verdict[0] == together.verdict[i]
        assert alone.reasons[0] == together.reasons[i]
    assert (together.verdict[np.asarray(sizes) > 0.25 * facts(acronyms, modes, sizes, months, masks).strength]
            == gates.INFEASIBLE).all()


def test_a_scenario_asks_a_formed_unit_only_the_tasks_the_mission_has_a_component_for():
    table = missions()
    formed = feasibility.supported_tasks(table, FUNCTIONS, "mixed_contingent")
    by = dict(zip(table.index, formed, strict=True))
    assert by["FORCE"] & bit("ceasefire_monitoring") and not by["FORCE"] & bit("public_security_police")
    assert not by["OFFICE"] & bit("ceasefire_monitoring", "protection_of_civilians")   # a guard unit only
    assert by["OFFICE"] & bit("rule_of_law")   # non-military tasks are the mode-fit gate's business
    assert (feasibility.supported_tasks(table, FUNCTIONS, "individual") == EVERY).all()
    # what the scenario asks is what the check admits
    asked = facts(list(table.index), ["mixed_contingent"] * 4, [40] * 4,
                  masks=formed & bit("ceasefire_monitoring", "public_security_police", "humanitarian_relief"))
    levels = feasibility.check_levels(asked, UNIT_SIZES)["military_component"]
    assert not levels[np.asarray(asked.function_mask) != 0].any()


def test_an_open_ended_mandate_is_a_known_horizon_and_a_missing_end_date_is_not():
    from datetime import date

    import pandas as pd

    missions = pd.DataFrame({
        "kind": ["pko", "pko"], "active": [True, True], "chapter_vii": [False, False],
        "ceasefire_agreement": [True, True], "consent": ["full", "full"], "impartiality_concern": [False, False],
        "takes_formed": [True, True], "takes_individuals": [True, True], "mandate_end": [None, None],
        "mandate_final": [False, False], "mandate_open_ended": [True, False],
        "experts": [150.0, 150.0], "staff_officers": [0.0, 0.0], "individual_police": [0.0, 0.0],
        "troops": [0.0, 0.0], "formed_police": [0.0, 0.0],
    }, index=["UNTSO", "UNDOF"])
    facts = feasibility.option_facts(missions, ["ceasefire_monitoring"], {"individual": 1}, date(2027, 1, 1),
                                     ["UNTSO", "UNDOF"], ["individual", "individual"], [5, 5], [12, 12], [1, 1])
    assert facts.mandate_known.tolist() == [True, False]
    assert facts.outlives_mandate.tolist() == [False, False]
    levels = feasibility.check_levels(facts, {})
    assert levels["mandate_unknown"].tolist() == [feasibility.FEASIBLE, feasibility.CONDITIONAL]
