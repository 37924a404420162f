"""The value model on the pages: stated ranges on the elicitation pages, the analyst's prices of
a death and of a US$, options worse than not deploying left unranked, methods' agreement."""

import re

import pytest

from risks import services
from risks.models import Scenario, ScenarioResult
from tests.risks.test_pages import builder_data


@pytest.fixture
def built(analyst_client):
    response = analyst_client.post("/scenarios/new/", builder_data(value_of_death_musd=13.2))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Scenario.objects.get(name="Observers in the Sahara and Kashmir")


@pytest.mark.django_db
def test_the_scenario_page_says_what_an_expected_death_is_worth_as_the_analyst_set_it(analyst_client, built):
    assert built.value_of_death_musd == 13.2 and built.usd_per_point_musd == 50
    html = analyst_client.get(built.get_absolute_url()).content.decode()
    assert "This analysis values an expected death at US$\xa013.2\xa0M" in html  # pkoanalysis.money
    assert "US$\xa050.0\xa0M a year of net cost" in html


@pytest.mark.django_db
def test_a_dearer_death_changes_the_computation_and_never_raises_a_missions_value(analyst_client, built):
    cheap = ScenarioResult.objects.get(scenario=built)
    built.value_of_death_musd = 1000
    built.save()
    services.recompute_scenario(built.pk)
    dear = ScenarioResult.objects.get(scenario=built)
    assert dear.fingerprint != cheap.fingerprint
    before = {o["mission"]: o["net"] for o in cheap.options}
    after = {o["mission"]: o["net"] for o in dear.options}
    assert all(after[m] <= before[m] + 1e-9 for m in before)
    assert any(after[m] < before[m] for m in before)


@pytest.mark.django_db
@pytest.mark.parametrize("price", [0, -5, 20000, "many"])
def test_a_price_out_of_range_is_refused_with_a_reason(analyst_client, price):
    response = analyst_client.post("/scenarios/new/", builder_data(value_of_death_musd=price))
    assert response.status_code == 200 and response.context["form"].errors["value_of_death_musd"]
    assert not Scenario.objects.exists()


@pytest.mark.django_db
def test_an_empty_price_takes_the_default_with_its_source(analyst_client):
    assert analyst_client.post("/scenarios/new/", builder_data(value_of_death_musd="")).status_code == 302
    assert Scenario.objects.get().value_of_death_musd == pytest.approx(99.0)
    form = analyst_client.get("/scenarios/new/").content.decode()
    assert "US Department of Transportation" in form and "13.2" in form and "political premium of 7.5" in form
    assert "certain to happen, with its full impact" in form   # the builder states the swings too


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["swing", "rank", "ahp"])
def test_the_elicitation_pages_state_every_categorys_worst_and_best_level(analyst_client, method):
    html = analyst_client.get(f"/weights/new/{method}/").content.decode()
    assert "certain to happen, with its full impact" in html and "does not happen" in html
    assert "Fatalities among Mexican personnel" in html and "from 1 to 0 (expected deaths a year)" in html
    assert "from US$50 M to US$0 M (US$ a year)" in html
    assert "Human-rights violations by deployed personnel" in html


@pytest.mark.django_db
def test_options_worse_than_not_deploying_carry_no_rank(analyst_client, built):
    result = ScenarioResult.objects.get(scenario=built)
    for option in result.options:
        if option["below_baseline"] or option["excluded_by"]:
            assert option["rank"] is None
        else:
            assert option["rank"] is not None and option["net"] > 0
    assert "category weights from a Dirichlet" in result.smaa["sampling"]
    assert 0 <= result.smaa["stay_home"] <= 1


@pytest.mark.django_db
def test_the_scenario_and_compare_pages_give_kendalls_tau_and_never_nan(analyst_client, built):
    analyst_client.post(f"/scenarios/{built.pk}/duplicate/")
    copy = Scenario.objects.exclude(pk=built.pk).get()
    services.recompute_scenario(copy.pk)
    page = analyst_client.get(built.get_absolute_url()).content.decode()
    assert "Kendall&#x27;s tau" in page or "Kendall's tau" in page
    compare = analyst_client.get("/scenarios/compare/", {"ids": f"{built.pk},{copy.pk}"}).content.decode()
    assert "tau-b" in compare and not re.search(r"\bnan\b", compare, re.IGNORECASE)


@pytest.mark.django_db
def test_a_workshops_disagreement_sets_how_widely_smaa_samples_the_category_weights(analyst_client, built):
    from weights import methods
    from weights.models import Participant, WeightSet

    workshop = WeightSet.objects.create(name="Workshop", method="direct", weights={c: 1 / 9 for c in methods.CRITERIA})
    for label, top in (("SRE", "international_standing"), ("SEDENA", "operational_security")):
        weights = {c: (0.5 if c == top else 0.5 / 8) for c in methods.CRITERIA}
        Participant.objects.create(weight_set=workshop, label=label, judgments={}, weights=weights)
    built.weight_set = workshop
    built.save()
    services.recompute_scenario(built.pk)
    sampling = ScenarioResult.objects.get(scenario=built).smaa["sampling"]
    assert "spread of the workshop's 2 participants" in sampling
    concentration, _text = services.smaa_concentration(built)
    assert 0 < concentration < 30   # they disagree more than the default spread says
