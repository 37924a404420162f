"""The 2025-26 cuts in the engine: the un_cuts gate, expected strength and the cost of a delay."""

import numpy as np
import pytest

from risks.engine import cuts, gates


def facts(mode, sheds):
    n = len(mode)
    base = dict(active=True, kind="pko", chapter_vii=False, ceasefire_agreement=True, consent="full",
                impartiality_concern=False, takes_formed=True, takes_individuals=True, coercive=False,
                outlives_mandate=False, mandate_final=False)
    return gates.OptionFacts(**{k: np.array([v] * n) for k, v in base.items()}, mode=np.array(mode),
                             sheds_formed=np.array(sheds))


def test_a_mission_shedding_formed_units_makes_every_formed_mode_conditional_but_not_individuals():
    modes = ["national_contingent", "mixed_contingent", "private_military_company", "individual"]
    levels = gates.gate_levels(facts(modes, [True] * 4))["un_cuts"]
    assert list(levels) == [gates.CONDITIONAL] * 3 + [gates.FEASIBLE]


def test_a_mission_keeping_its_units_passes_the_cut_gate_and_unjudged_facts_pass_too():
    assert not gates.gate_levels(facts(["national_contingent"], [False]))["un_cuts"].any()
    unjudged = facts(["national_contingent"], [True])
    unjudged = gates.OptionFacts(**{**unjudged.__dict__, "sheds_formed": None})
    assert not gates.gate_levels(unjudged)["un_cuts"].any()


def test_the_cut_gate_counts_in_the_verdict_and_strict_makes_it_infeasible():
    levels = gates.gate_levels(facts(["national_contingent", "individual"], [True, True]))
    only_cut = {g: (lv if g == "un_cuts" else np.zeros_like(lv)) for g, lv in levels.items()}
    verdict, failed = gates.verdicts(only_cut, {"un_cuts"})
    assert list(verdict) == [gates.CONDITIONAL, gates.FEASIBLE]
    assert failed[0, gates.GATES.index("un_cuts")] == gates.CONDITIONAL
    strict, _ = gates.verdicts(only_cut, {"un_cuts"}, {"un_cuts"})
    assert list(strict) == [gates.INFEASIBLE, gates.FEASIBLE]


def test_expected_strength_follows_the_cut_and_no_published_cut_changes_nothing():
    assert cuts.expected_strength([1000, 400], [0.25, np.nan]).tolist() == [750.0, 400.0]
    with pytest.raises(ValueError):
        cuts.expected_strength([10], [1.5])


def test_a_reimbursement_paid_later_costs_the_interest_forgone():
    cost = cuts.delay_cost([1_000_000, 1_000_000, 1_000_000], [6, 0, np.nan], annual_rate=0.10)
    assert cost[0] == pytest.approx(1_000_000 * (1.1 ** 0.5 - 1)) and cost[1] == 0 and cost[2] == 0
    assert cuts.delay_cost([100], [12], 0.05)[0] == pytest.approx(5.0)
    with pytest.raises(ValueError):
        cuts.delay_cost([1], [-1], 0.05)
    with pytest.raises(ValueError):
        cuts.delay_cost([1], [1], -0.05)
