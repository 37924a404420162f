"""Curating the model's inputs: facts need sources, correlations must be able to hold together."""

import pytest
from django.core.exceptions import ValidationError

from missions.models import Mission
from risks.forms import FactorCorrelationForm
from risks.models import Factor, FactorCorrelation


@pytest.mark.django_db
def test_overriding_a_missions_formed_units_needs_a_reason_and_a_source():
    mission = Mission.objects.get(acronym="UNVMC")
    mission.formed_units = "accepts"
    mission.facts_note, mission.facts_source = "", ""
    with pytest.raises(ValidationError, match="needs a reason"):
        mission.full_clean()
    mission.facts_note, mission.facts_source = "A guard unit is planned.", "S/RES/0000 (test)"
    mission.full_clean()


@pytest.mark.django_db
def test_a_mandate_end_needs_its_resolution():
    mission = Mission.objects.get(acronym="UNMISS")
    mission.mandate_end, mission.mandate_source = "2027-04-30", ""
    with pytest.raises(ValidationError, match="Cite the resolution"):
        mission.full_clean()


@pytest.mark.django_db
def test_a_correlation_that_cannot_hold_with_the_others_is_refused():
    a, c = (Factor.objects.get(code=code) for code in ("human_rights_violations", "sexual_exploitation_abuse"))
    # the catalogue has a-reputation 0.6, c-reputation 0.5 and a-c 0.4; a-c at -0.9 cannot hold with them
    pair = FactorCorrelation.objects.get(factor_a=a, factor_b=c)
    form = FactorCorrelationForm({"factor_a": a.pk, "factor_b": c.pk, "rho": -0.9, "source": "test"}, instance=pair)
    assert not form.is_valid() and "cannot all hold together" in str(form.errors)
    form = FactorCorrelationForm({"factor_a": a.pk, "factor_b": c.pk, "rho": 0.2, "source": "test"}, instance=pair)
    assert form.is_valid(), form.errors
    same = FactorCorrelationForm({"factor_a": a.pk, "factor_b": a.pk, "rho": 0.2, "source": "test"})
    assert not same.is_valid()
