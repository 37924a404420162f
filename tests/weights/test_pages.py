"""Weight sets by swing, rank and AHP; a workshop; bad input refused with nothing saved."""

import pytest

from risks.models import Scenario, ScenarioResult
from tests.risks.test_pages import builder_data
from weights import methods
from weights.forms import LABELS, AHPForm
from weights.models import Participant, WeightSet

CATS = methods.CRITERIA  # human_rights_conduct, reputation, constitutional_legal, domestic_politics, budget,
# operational_security, professionalisation, transparency_accountability, international_standing


def swing_data(name="Swing", top="operational_security", **ratings):
    data = {"name": name, **{f"r_{c}": 50 for c in CATS}, f"r_{top}": 100}
    data.update({f"r_{c}": v for c, v in ratings.items()})
    return data


def consistent_ahp(name="AHP"):
    """Priorities 9, 8, ..., 1 for the categories in order: a_ij = p_i / p_j, exactly consistent."""
    priority = {c: 9 - k for k, c in enumerate(CATS)}
    return {"name": name, **{AHPForm.pair_name(a, b): f"{priority[a]}/{priority[b]}" for a, b in methods.PAIRS}}


@pytest.fixture
def built(analyst_client):
    assert analyst_client.post("/scenarios/new/", builder_data()).status_code == 302
    return Scenario.objects.get(name="Observers in the Sahara and Kashmir")


@pytest.mark.django_db
def test_swing_weights_are_saved_normalised_with_their_ratings(analyst_client):
    response = analyst_client.post("/weights/new/swing/", swing_data(budget=0))
    weight_set = WeightSet.objects.get(name="Swing")
    assert response.status_code == 302 and response["Location"] == weight_set.get_absolute_url()
    assert weight_set.method == "swing" and weight_set.judgments["ratings"]["operational_security"] == 100
    assert sum(weight_set.weights.values()) == pytest.approx(1)
    assert weight_set.weights["operational_security"] == pytest.approx(100 / 450)
    assert weight_set.weights["budget"] == 0
    page = analyst_client.get(weight_set.get_absolute_url()).content.decode()
    assert "22.2%" in page and "Swing weighting" in page
    # Revisiting: a new set starts from these judgments.
    again = analyst_client.get(f"/weights/new/swing/?from={weight_set.pk}").content.decode()
    assert 'value="Copy of Swing"' in again and 'name="r_budget" value="0"' in again


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    ({"r_operational_security": 90}, "matters most 100"),
    ({"r_budget": ""}, "Rate every category"),
    ({"r_budget": "abc"}, "Enter a whole number"),
    ({"r_budget": 120}, "less than or equal to 100"),
])
def test_bad_swing_input_explains_itself_and_saves_nothing(analyst_client, change, message):
    response = analyst_client.post("/weights/new/swing/", {**swing_data(), **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not WeightSet.objects.filter(name="Swing").exists()


@pytest.mark.django_db
def test_rank_order_gives_rank_order_centroid_weights(analyst_client):
    data = {"name": "Ranks", **{f"k_{c}": k + 1 for k, c in enumerate(CATS)}}
    assert analyst_client.post("/weights/new/rank/", data).status_code == 302
    w = WeightSet.objects.get(name="Ranks").weights
    assert w[CATS[0]] == pytest.approx(sum(1 / i for i in range(1, 10)) / 9)
    assert w[CATS[-1]] == pytest.approx(1 / 81)


@pytest.mark.django_db
def test_a_consistent_ahp_has_cr_zero_and_proportional_weights(analyst_client):
    assert analyst_client.post("/weights/new/ahp/", consistent_ahp()).status_code == 302
    weight_set = WeightSet.objects.get(name="AHP")
    assert weight_set.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert weight_set.weights[CATS[0]] == pytest.approx(9 / 45)


@pytest.mark.django_db
def test_an_inconsistent_ahp_names_the_judgment_and_its_fix_and_saves_nothing(analyst_client):
    data = consistent_ahp()
    bad = AHPForm.pair_name(CATS[0], CATS[8])  # 9 judged as 1/9: the strongest judgment reversed (CR 0.30)
    data[bad] = "1/9"
    response = analyst_client.post("/weights/new/ahp/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "above 0.10" in page
    assert "Human rights and conduct against International standing = 1/9" in page
    assert "the other judgments imply 1, which would bring the ratio to 0.05" in page
    assert f'id="row-{bad}" class="flagged"' in page
    assert not WeightSet.objects.filter(name="AHP").exists()
    data[bad] = "1"  # the value the page suggested
    assert analyst_client.post("/weights/new/ahp/", data).status_code == 302
    assert WeightSet.objects.get(name="AHP").consistency_ratio < 0.10


@pytest.mark.django_db
def test_an_inconsistent_ahp_can_be_saved_when_the_analyst_says_so(analyst_client):
    data = {**consistent_ahp(), AHPForm.pair_name(CATS[0], CATS[8]): "1/9", "accept_inconsistent": "on"}
    assert analyst_client.post("/weights/new/ahp/", data).status_code == 302
    assert WeightSet.objects.get(name="AHP").consistency_ratio > 0.10


@pytest.mark.django_db
@pytest.mark.parametrize("value, message", [
    ("", "This comparison is missing."), ("0", "above zero"), ("three", "is not a number"),
    ("12", "runs from 1/9 to 9"), ("1/0", "is not a number")])
def test_bad_ahp_judgments_explain_themselves(analyst_client, value, message):
    data = {**consistent_ahp(), AHPForm.pair_name(CATS[2], CATS[5]): value}
    response = analyst_client.post("/weights/new/ahp/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not WeightSet.objects.filter(name="AHP").exists()


@pytest.mark.django_db
def test_a_pasted_matrix_must_be_reciprocal(analyst_client):
    priority = [9 - k for k in range(9)]
    rows = [[priority[i] / priority[j] for j in range(9)] for i in range(9)]
    rows[3][1] = 2.0  # its mirror, rows[1][3], is 8/6
    text = "\n".join(" ".join(f"{v:.4f}" for v in row) for row in rows)
    response = analyst_client.post("/weights/new/ahp/", {"name": "Pasted", "matrix": text})
    assert response.status_code == 400
    assert "Row 2, column 4" in response.content.decode() and "not the reciprocal" in response.content.decode()
    rows[3][1] = 6 / 8
    text = "\n".join(" ".join(f"{v:.4f}" for v in row) for row in rows)
    assert analyst_client.post("/weights/new/ahp/", {"name": "Pasted", "matrix": text}).status_code == 302
    assert WeightSet.objects.get(name="Pasted").consistency_ratio == pytest.approx(0, abs=1e-6)


@pytest.mark.django_db
def test_a_weight_set_made_for_a_scenario_becomes_its_weights(analyst_client, built):
    response = analyst_client.post(f"/weights/new/swing/?scenario={built.pk}", swing_data(budget=0))
    assert response.status_code == 302
    built.refresh_from_db()
    assert built.weight_set.name == "Swing"
    assert built.category_weights["operational_security"] == 1 and built.category_weights["budget"] == 0
    assert built.category_weights["reputation"] == 0.5
    page = analyst_client.get(built.get_absolute_url()).content.decode()
    assert "Weights from “Swing”: Swing weighting." in page and built.weight_set.get_absolute_url() in page


@pytest.mark.django_db
def test_the_builder_takes_a_weight_set(analyst_client):
    analyst_client.post("/weights/new/swing/", swing_data(budget=0))
    weight_set = WeightSet.objects.get(name="Swing")
    assert analyst_client.post("/scenarios/new/", builder_data(weight_set=weight_set.pk)).status_code == 302
    scenario = Scenario.objects.get(name="Observers in the Sahara and Kashmir")
    assert scenario.weight_set == weight_set and scenario.category_weights["budget"] == 0


@pytest.mark.django_db
def test_presets_are_weight_sets_and_the_preset_builder_uses_them(analyst_client):
    presets = WeightSet.objects.filter(owner=None).exclude(preset="")
    assert set(presets.values_list("preset", flat=True)) == {"japan_safeguards", "argentina_reform"}
    japan = presets.get(preset="japan_safeguards")
    assert japan.judgments["weights"]["budget"] == 0.6 and sum(japan.weights.values()) == pytest.approx(1)
    page = analyst_client.get("/scenarios/new/?preset=japan_safeguards").content.decode()
    assert f'<option value="{japan.pk}" selected>' in page


@pytest.mark.django_db
def test_a_three_participant_workshop_says_whose_priorities_change_the_recommendation(analyst_client, built):
    url = f"/weights/workshop/{built.pk}/"
    assert analyst_client.get(url).status_code == 200
    for label, top in (("SRE", "international_standing"), ("SEDENA", "operational_security"),
                       ("Senate committee", "constitutional_legal")):
        data = {f"p-{k}": v for k, v in swing_data(top=top).items() if k != "name"}
        response = analyst_client.post(url + "?method=swing", {**data, "p-label": label})
        assert response.status_code == 302, response.content.decode()[-3000:]
    built.refresh_from_db()
    weight_set = built.weight_set
    assert [p.label for p in weight_set.participants.all()] == ["SRE", "SEDENA", "Senate committee"]
    means = [sum(p.weights[c] for p in weight_set.participants.all()) / 3 for c in CATS]
    assert [weight_set.weights[c] for c in CATS] == pytest.approx(means)
    assert built.category_weights == methods.model_weights(weight_set.weights)
    assert not ScenarioResult.objects.get(scenario=built).is_stale  # recomputed with the group's weights
    page = analyst_client.get(url).content.decode()
    assert "Would anyone's priorities change the recommendation?" in page
    assert page.count('<tr class="flagged">') + page.count("<tr><td><bdi>S") >= 3
    assert "arithmetic mean of the participants&#x27; normalised weights" in page
    assert 'id="fig-workshop"' in page
    # A duplicate label is refused, nothing saved.
    data = {f"p-{k}": v for k, v in swing_data().items() if k != "name"}
    response = analyst_client.post(url, {**data, "p-label": "SRE"})
    assert response.status_code == 400 and Participant.objects.count() == 3
    assert "Workshop of 3" not in page  # the one-line source is on the scenario page
    scenario_page = analyst_client.get(built.get_absolute_url()).content.decode()
    assert "workshop of 3: SRE, SEDENA, Senate committee (mean of normalised weights)" in scenario_page
    # Removing one re-aggregates over the other two; the last one stays.
    sre, sedena, senate = weight_set.participants.all()
    assert analyst_client.post(f"/weights/participants/{sre.pk}/remove/").status_code == 302
    weight_set.refresh_from_db()
    assert weight_set.weights["operational_security"] == pytest.approx(
        (sedena.weights["operational_security"] + senate.weights["operational_security"]) / 2)
    analyst_client.post(f"/weights/participants/{sedena.pk}/remove/")
    response = analyst_client.post(f"/weights/participants/{senate.pk}/remove/", follow=True)
    assert "keeps at least one participant" in response.content.decode() and weight_set.participants.count() == 1


@pytest.mark.django_db
def test_per_participant_best_options_follow_their_own_weights(analyst_client, built):
    from weights import services

    only_budget = {c: (1.0 if c == "budget" else 0.0) for c in CATS}
    only_security = {c: (1.0 if c == "operational_security" else 0.0) for c in CATS}
    best = services.best_options(built, {"budget": only_budget, "security": only_security})
    result = ScenarioResult.objects.get(scenario=built)
    chosen = {o["mission"] for o in result.options if o["selected"]}
    assert best["budget"]["mission"] in chosen and best["security"]["mission"] in chosen
    # Equal weights are the scenario's own (all categories 100%): the same best as the scenario page.
    equal = services.best_options(built, {"equal": {c: 1 / 9 for c in CATS}})["equal"]
    admissible = [o for o in result.options if o["selected"] and not o["excluded_by"]]
    assert equal["mission"] == max(admissible, key=lambda o: o["net"])["mission"]


@pytest.mark.django_db
def test_a_consultant_reads_weights_but_cannot_make_them(client, django_user_model, built):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "consultant"))
    assert client.get("/weights/").status_code == 200
    assert client.get("/weights/new/swing/").status_code == 403
    assert client.post(f"/weights/workshop/{built.pk}/", {"p-label": "X"}).status_code == 403


@pytest.mark.django_db
def test_a_participant_with_an_account_changes_their_own_judgments(client, analyst_client, django_user_model, built):
    from tests.conftest import make_user

    consultant = make_user(django_user_model, "consultant")
    data = {f"p-{k}": v for k, v in swing_data().items() if k != "name"}
    analyst_client.post(f"/weights/workshop/{built.pk}/?method=swing",
                        {**data, "p-label": "SEMAR", "p-user": consultant.pk})
    participant = Participant.objects.get(label="SEMAR")
    client.force_login(consultant)
    data["p-r_budget"] = 0
    assert client.post(f"/weights/participants/{participant.pk}/", {**data, "p-label": "SEMAR"}).status_code == 302
    participant.refresh_from_db()
    assert participant.judgments["ratings"]["budget"] == 0 and participant.user == consultant
    other = make_user(django_user_model, "curator")
    other.groups.clear()
    client.force_login(other)
    assert client.post(f"/weights/participants/{participant.pk}/", data).status_code == 403


@pytest.mark.django_db
def test_the_briefing_line_names_the_set_without_a_link(analyst_client, built):
    from django.template import Context, Template

    analyst_client.post(f"/weights/new/swing/?scenario={built.pk}", swing_data())
    weight_set = WeightSet.objects.get(name="Swing")
    html = Template("{% load weight_source %}{% weight_source pk pdf=True %}").render(Context({"pk": built.pk}))
    assert "Weights from “Swing”: Swing weighting." in html
    assert f"kept in the application as weight set no. {weight_set.pk}" in html and "/weights/" not in html and "<a " not in html
    assert "the analyst&#x27;s own numbers" in Template("{% load weight_source %}{% weight_source s %}").render(
        Context({"s": Scenario.objects.create(name="Own", owner=built.owner, mode=built.mode)}))


def scattered_ahp(name="Scattered"):
    """The consistent priorities with three judgments reversed: no single change is enough (CR 0.39; two changes bring it to 0.07)."""
    data = consistent_ahp(name)
    for a, b in ((CATS[0], CATS[8]), (CATS[1], CATS[7]), (CATS[2], CATS[6])):
        data[AHPForm.pair_name(a, b)] = data[AHPForm.pair_name(a, b)].split("/")[1] + "/" + \
            data[AHPForm.pair_name(a, b)].split("/")[0]
    return data


@pytest.mark.django_db
def test_an_inconsistent_ahp_lists_every_change_that_together_reaches_the_limit(analyst_client):
    data = scattered_ahp()
    response = analyst_client.post("/weights/new/ahp/", data)
    form = response.context["form"]
    assert response.status_code == 400 and form.derived.cr > 0.3
    assert len(form.repairs) >= 2 and form.repairs[-1]["cr_after"] <= 0.10
    page = response.content.decode()
    assert f"Changing these {len(form.repairs)} judgments together brings it to" in page
    # each "Go to" link names the input itself (focusable), not its table row
    for r in form.repairs:
        assert f'href="#{r["id"]}" class="go-to" data-focus="{r["id"]}"' in page
        assert r["field"] in form.errors
    # one round trip: every suggestion taken at once is consistent enough to save
    data.update({r["field"]: r["suggested"] for r in form.repairs})
    assert analyst_client.post("/weights/new/ahp/", data).status_code == 302
    assert WeightSet.objects.get(name="Scattered").consistency_ratio <= 0.10


@pytest.mark.django_db
def test_every_ahp_input_is_labelled_with_both_categories(analyst_client):
    page = analyst_client.get("/weights/new/ahp/").content.decode()
    for a, b in methods.PAIRS:
        field = AHPForm.pair_name(a, b)
        assert f'<label class="visually-hidden" for="id_{field}">{LABELS[a]} against {LABELS[b]}</label>' in page
    assert 'class="ahp-live" hidden data-ri="1.45"' in page  # the live check, shown by elicit.js
    # a number for the script, not for a reader: never "1,45" in Spanish
    analyst_client.cookies["django_language"] = "es"
    assert 'data-ri="1.45"' in analyst_client.get("/weights/new/ahp/").content.decode()


@pytest.mark.django_db
def test_a_saved_weight_set_opens_the_builder_prefilled_with_it(analyst_client):
    analyst_client.post("/weights/new/swing/", swing_data(budget=0))
    weight_set = WeightSet.objects.get(name="Swing")
    page = analyst_client.get(weight_set.get_absolute_url()).content.decode()
    link = f"/scenarios/new/?weight_set={weight_set.pk}"
    assert f'href="{link}">Use these weights in a scenario</a>' in page
    form = analyst_client.get(link).context["form"]
    assert form.initial["weight_set"] == weight_set
    assert form.initial["w_operational_security"] == 100 and form.initial["w_budget"] == 0
    assert form.initial["w_reputation"] == 50


@pytest.mark.django_db
def test_someone_elses_weight_set_is_not_offered_for_a_scenario(analyst_client, client, django_user_model):
    from django.contrib.auth.models import Group

    analyst_client.post("/weights/new/swing/", swing_data())
    weight_set = WeightSet.objects.get(name="Swing")
    other = django_user_model.objects.create_user("other-analyst", password="x-test-only")
    other.groups.add(Group.objects.get(name="analyst"))
    client.force_login(other)
    assert "Use these weights in a scenario" not in client.get(weight_set.get_absolute_url()).content.decode()
    assert "weight_set" not in client.get(f"/scenarios/new/?weight_set={weight_set.pk}").context["form"].initial
