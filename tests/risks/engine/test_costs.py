"""Full costs (risks.engine.costs): equipment and its reimbursement, pass-through, late payment."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from risks.engine import costs, model


def parts(**changes) -> costs.CostParts:
    m = len(model.MODES)
    fields = {
        "personnel": np.tile([2500.0, 3500, 5000], (m, 1)), "equipment": np.tile([900.0, 1500, 2500], (m, 1)),
        "troop_cost": np.full(m, 1428.0), "supplements": np.zeros(m), "coe": np.full(m, 1500.0),
        "share": np.array([1.0, 1.0, 0.5, 0.0, 0.0]), "delay_months": np.tile([1.0, 6, 12], (m, 1)), "annual_rate": 0.08,
    }
    fields.update(changes)
    return costs.CostParts(**fields)


def test_the_un_pays_troop_cost_and_equipment_to_a_government_half_through_a_partner_nothing_for_individuals():
    reimbursed = parts().reimbursed
    assert reimbursed.tolist() == [2928.0, 2928.0, 1464.0, 0.0, 0.0]   # civilians: the government pays


def test_waiting_for_the_un_costs_the_interest_on_what_it_owes():
    p = parts()
    np.testing.assert_allclose(p.financing[0], 2928 * np.array([1, 6, 12]) / 12 * 0.08)
    assert (p.financing[3:] == 0).all()   # nothing owed to individuals' or civilians' government
    cost, reimbursement = p.engine_costs()
    np.testing.assert_allclose(cost, p.national + p.financing)
    model.Modes(cost, reimbursement, np.array([0, 0, 0, 1, 1]))   # valid engine input


@given(st.floats(0, 24), st.floats(0, 0.3))
def test_a_longer_delay_or_a_dearer_wait_never_lowers_the_net_cost(months, rate):
    base = parts()
    later = parts(delay_months=base.delay_months + months, annual_rate=base.annual_rate + rate)
    net = lambda p: p.engine_costs()[0] - p.engine_costs()[1][:, None]  # noqa: E731
    assert (net(later) >= net(base) - 1e-9).all()


def test_bad_cost_parts_are_refused():
    with pytest.raises(ValueError, match="share"):
        parts(share=np.array([1.0, 1.0, 1.5, 0.0, 0.0]))
    with pytest.raises(ValueError, match="equipment"):
        parts(equipment=np.tile([2500.0, 1500, 900], (len(model.MODES), 1)))
    with pytest.raises(ValueError, match="annual_rate"):
        parts(annual_rate=-0.1)
