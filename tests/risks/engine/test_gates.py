"""Safeguard gates and deal-breakers as specifications (risks.engine.gates)."""

import numpy as np

from risks.engine import gates


def facts(n=1, **overrides):
    base = dict(active=True, kind="pko", chapter_vii=False, ceasefire_agreement=True, consent="full",
                impartiality_concern=False, takes_formed=True, takes_individuals=True, mode="individual",
                coercive=False, outlives_mandate=False, mandate_final=False)
    base.update(overrides)
    return gates.OptionFacts(**{k: np.array([v] * n) for k, v in base.items()})


def failed(**overrides):
    levels = gates.gate_levels(facts(**overrides))
    return {code: gates.VERDICTS[int(level[0])] for code, level in levels.items() if level[0]}


def test_individuals_in_a_consenting_ceasefire_mission_pass_every_gate():
    assert failed() == {}


def test_a_contingent_needs_formed_units_in_the_mission_and_individuals_need_individual_posts():
    assert failed(mode="national_contingent", takes_formed=False)["mission_fit"] == "infeasible"
    assert failed(mode="mixed_contingent", takes_formed=False)["mission_fit"] == "infeasible"
    assert failed(mode="individual", takes_individuals=False)["mission_fit"] == "infeasible"
    assert "mission_fit" not in failed(mode="individual", takes_formed=False)


def test_formed_units_need_the_senate_and_individuals_pass_under_the_governments_reading():
    assert failed(mode="national_contingent")["senate_authorisation"] == "conditional"
    assert "senate_authorisation" not in failed(mode="individual")


def test_japans_five_principles_are_five_checks_for_every_mode_staff_officers_included():
    assert failed(ceasefire_agreement=False) == {"jp_ceasefire": "conditional"}
    assert failed(consent="strained") == {"jp_consent": "conditional", "host_consent": "conditional"}
    assert failed(impartiality_concern=True) == {"jp_impartiality": "conditional"}
    assert failed(mode="mixed_contingent")["jp_withdrawal"] == "conditional"
    assert "jp_withdrawal" not in failed(mode="national_contingent")
    assert failed(coercive=True, chapter_vii=True)["jp_minimal_force"] == "conditional"
    assert "jp_minimal_force" not in failed(coercive=True, chapter_vii=False)


def test_host_consent_withdrawn_makes_any_option_infeasible():
    assert failed(consent="withdrawn")["host_consent"] == "infeasible"


def test_a_private_military_company_cannot_be_the_contributor_but_private_enablers_are_conditional():
    assert failed(mode="private_military_company")["un_contracting"] == "infeasible"
    assert failed(mode="mixed_contingent")["un_contracting"] == "conditional"
    assert "un_contracting" not in failed(mode="national_contingent")


def test_an_option_outliving_a_final_mandate_is_infeasible_and_a_renewable_one_conditional():
    assert failed(outlives_mandate=True)["mandate_horizon"] == "conditional"
    assert failed(outlives_mandate=True, mandate_final=True)["mandate_horizon"] == "infeasible"


def test_strict_gates_turn_conditional_into_infeasible_and_open_and_fit_are_always_applied():
    levels = gates.gate_levels(facts(ceasefire_agreement=False, active=False))
    verdict, failed_levels = gates.verdicts(levels, active_gates={"jp_ceasefire"}, strict_gates={"jp_ceasefire"})
    assert verdict[0] == gates.INFEASIBLE
    assert failed_levels[0, gates.GATES.index("mission_open")] == gates.INFEASIBLE
    verdict, _ = gates.verdicts(gates.gate_levels(facts(ceasefire_agreement=False)), active_gates=set())
    assert verdict[0] == gates.FEASIBLE  # a gate a curator switched off is not applied


def test_deal_breakers_exclude_exactly_the_options_that_break_them():
    limits = gates.DealBreakers(max_expected_fatalities=0.05, max_p_any_fatality=0.04, max_net_cost_usd=1e6,
                                min_p_positive=0.5, within_mandate=True)
    broken = limits.broken(np.array([0.01, 0.06]), np.array([0.01, 0.05]), np.array([2e5, 3e6]),
                           np.array([0.9, 0.4]), np.array([False, True]))
    assert not broken[0].any() and broken[1].all()
    assert not gates.DealBreakers().broken(np.ones(2), np.ones(2), np.ones(2), np.zeros(2), np.ones(2, bool)).any()
    zero = gates.DealBreakers(max_p_any_fatality=0.0)   # 'no fatalities at all' excludes every real option
    assert zero.broken(np.array([1e-4]), np.array([1e-4]), np.zeros(1), np.ones(1), np.zeros(1, bool))[0, 1]


def test_a_mission_a_contributor_left_for_its_personnels_safety_is_conditional_and_strict_for_japan():
    assert failed(safety_withdrawal=True) == {"jp_personnel_safety": "conditional"}
    assert "jp_personnel_safety" in gates.JAPAN_GATES
    levels = gates.gate_levels(facts(safety_withdrawal=True, mode="national_contingent"))
    verdict, _ = gates.verdicts(levels, strict_gates={"jp_personnel_safety"})
    assert verdict[0] == gates.INFEASIBLE


def test_guardia_nacional_police_deployed_individually_need_the_senate_since_the_2024_reform():
    assert failed(police=True) == {"police_are_troops": "conditional"}
    assert "police_are_troops" not in failed(police=False)
    # a formed unit already needs the Senate (senate_authorisation); the police gate is for individuals
    assert "police_are_troops" not in failed(police=True, mode="national_contingent")


def test_recognising_one_party_makes_a_unit_conditional_but_not_individual_observers():
    assert failed(party_recognised=True, mode="national_contingent")["party_recognition"] == "conditional"
    assert "party_recognition" not in failed(party_recognised=True, mode="individual")


def test_the_frame_flags_default_to_passing_when_a_caller_does_not_give_them():
    levels = gates.gate_levels(facts(n=3))
    for code in ("jp_personnel_safety", "police_are_troops", "party_recognition"):
        assert not levels[code].any()


def test_civilian_experts_are_conditional_on_the_uns_request_and_selection_and_need_no_senate():
    civilian = failed(mode="civilian")
    assert civilian == {"civilian_selection": "conditional"}
    # a political office with no uniformed personnel still has civilian staff
    assert "mission_fit" not in failed(mode="civilian", takes_individuals=False, takes_formed=False)
    assert failed(mode="individual", takes_individuals=False)["mission_fit"] == "infeasible"
    assert "police_are_troops" not in failed(mode="civilian", police=True)
    assert "civilian_selection" not in failed(mode="individual")
