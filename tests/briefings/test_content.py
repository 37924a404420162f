"""The recommendation, the citations and the catalogue's references, checked on their own."""

import pytest
from django.utils import translation

from briefings.bibliography import Citations, SourceEntry, chicago, year_labels
from briefings.data import briefing_data
from briefings.recommendation import recommend
from missions.models import DataFile, MandateFunction, Mission
from risks import services
from risks.models import ContributionMode, Factor, SafeguardGate, Scenario
from sources.models import Source


def make(analyst, name, mode, missions, functions, **fields):
    scenario = Scenario.objects.create(name=name, owner=analyst, mode=ContributionMode.objects.get(code=mode),
                                       **fields)
    scenario.missions.set(Mission.objects.filter(acronym__in=missions))
    scenario.functions.set(MandateFunction.objects.filter(code__in=functions))
    services.recompute_scenario(scenario.pk)
    return scenario


@pytest.mark.django_db
def test_a_conditional_best_option_is_recommended_only_with_its_conditions_as_actions(analyst):
    # A platoon embedded in a partner's unit (a company no longer fits UNFICYP after the 2025-26 cuts,
    # and the value model recommends only what beats not deploying).
    scenario = make(analyst, "Engineers", "mixed_contingent", ["UNIFIL", "UNFICYP", "UNMISS"],
                    ["humanitarian_relief", "ceasefire_monitoring"], size=40)
    data = briefing_data(scenario)
    rec = recommend(data, data.citations())
    best = max((o for o in data.result["options"] if o["selected"] and not o["excluded_by"]), key=lambda o: o["net"])
    assert best["net"] > 0 and best["mission"] in rec["headline"]
    assert best["feasibility"] == "conditional"  # a formed unit needs the Senate (Art. 76-III)
    assert "on conditions" in rec["headline"] and "passes every safeguard" not in rec["headline"]
    senate = SafeguardGate.objects.get(code="senate_authorisation")
    assert senate.action_en in [c["action"] for c in rec["conditions"]]
    assert all(c["mark"].startswith("[") for c in rec["conditions"])
    assert rec["risks"] and all(r["mitigation"] for r in rec["risks"])
    assert rec["confidence"].startswith("Confidence:")
    with translation.override("es"):
        data = briefing_data(scenario, language="es")
        rec = recommend(data, data.citations())
    assert senate.action_es in [c["action"] for c in rec["conditions"]]
    assert {r["mitigation"] for r in rec["risks"]} <= {f.mitigation_es for f in Factor.objects.all()}


@pytest.mark.django_db
def test_the_summary_gives_the_recommended_options_own_figures_not_the_questions_totals(analyst):
    scenario = make(analyst, "Engineers", "mixed_contingent", ["UNIFIL", "UNFICYP", "UNMISS"],
                    ["humanitarian_relief", "ceasefire_monitoring"], size=40, duration_months=24)
    data = briefing_data(scenario)
    rec = recommend(data, data.citations())
    best = next(o for o in data.result["options"] if o["mission"] == rec["option"]["mission"])
    assert rec["decision"] == "deploy_on_conditions" and rec["option"]["people"] == 40 and rec["option"]["months"] == 24
    for key in ("expected_fatalities", "p_any_fatality", "net_cost_usd"):
        assert rec["option"][key] == best[key]
    scored = [o for o in data.result["options"] if o["selected"] and o["feasibility"] != "infeasible"]
    assert len(scored) > 1 and rec["option"]["expected_fatalities"] < data.result["expected_fatalities"]
    # where Mexico serves, what changes, with whom and from when
    now = data.mexico_now
    assert now["total"] > 0 and all(m["mission"] in rec["today"] for m in now["missions"])
    assert f"goes from {now['total']} to {now['total'] + 40}" in rec["changes"]
    assert "Partner: Argentina" in rec["partner"] and "[verify]" in rec["partner"]
    # a mixed contingent needs individual presence first and no formed unit deploys in year 1
    assert data.ready_year["UNFICYP"] >= 1 and "not before" in rec["when"]
    assert "passes every safeguard" not in rec["headline"] and "INFEASIBLE" not in rec["headline"].upper()


@pytest.mark.django_db
def test_a_feasible_recommendation_says_no_safeguard_sets_a_condition_and_has_none(analyst):
    scenario = make(analyst, "Observers", "individual", ["UNMOGIP", "UNTSO"], ["ceasefire_monitoring"])
    data = briefing_data(scenario)
    rec = recommend(data, data.citations())
    # UNTSO: no safeguard or check sets a condition on observers there (UNMOGIP: host consent)
    assert rec["decision"] == "deploy" and rec["option"]["mission"] == "UNTSO", rec["headline"]
    assert not rec["conditions"] and "no safeguard sets a condition" in rec["headline"]
    assert rec["caveats"] and "legal caveat" in rec["headline"]  # the Senate reading for individuals
    assert data.ready_year["UNTSO"] == 0 and "first year" in rec["when"]  # individuals are ready at once


@pytest.mark.django_db
def test_no_deployment_is_recommended_when_every_option_is_excluded(analyst):
    scenario = make(analyst, "Contractors", "private_military_company", ["UNIFIL"], ["humanitarian_relief"])
    data = briefing_data(scenario)
    rec = recommend(data, data.citations())
    assert rec["headline"].startswith("Do not deploy") and not rec["options"] and not rec["conditions"]
    # it argues not deploying and prints no option's figures
    assert rec["decision"] == "do_not_deploy" and rec["option"] is None and rec["why_not"]
    assert "UNIFIL" in " ".join(rec["why_not"]) and rec["changes"].startswith("Nothing changes")


@pytest.mark.django_db
def test_a_binding_deal_breaker_is_named_as_what_would_change_it(analyst):
    scenario = make(analyst, "Cautious", "individual", ["MINUSCA", "UNFICYP"], ["ceasefire_monitoring"],
                    max_p_any_fatality=0.001)
    data = briefing_data(scenario)
    change = " ".join(recommend(data, data.citations())["change"])
    # relaxing a deal-breaker brings back only what can exist: an infeasible option is not named
    bound = {o["mission"] for o in data.result["options"]
             if o["selected"] and "dealbreaker:" in o["excluded_by"] and o["feasibility"] != "infeasible"}
    infeasible = {o["mission"] for o in data.result["options"] if o["selected"] and o["feasibility"] == "infeasible"}
    assert bound and "deal-breakers" in change and all(m in change for m in bound)
    assert not any(m in change for m in infeasible)


@pytest.mark.django_db
def test_every_catalogue_entry_and_data_file_cites_a_real_reference():
    for model in (Factor, SafeguardGate, ContributionMode):
        uncited = [row.code for row in model.objects.all() if not row.sources.exists()]
        assert not uncited, f"{model.__name__} without a source: {uncited}"
    assert DataFile.objects.exists() and not DataFile.objects.filter(sources=None).exists()
    for source in Source.objects.all():
        assert source.title and (source.authors or source.note_en), source.key
        assert source.note_es or not source.note_en, f"{source.key} has no Spanish note"
        assert "seed" not in f"{source.title} {source.note_en}".lower()
    assert Source.objects.get(key="japan-pko-act-1992").identifier == "Act No. 79 of 1992"
    assert Source.objects.filter(key__in=["cpeum-76", "cpeum-89"]).count() == 2


@pytest.mark.django_db
def test_the_whole_catalogue_has_its_spanish_texts():
    assert not Factor.objects.filter(description_es="").exists()
    assert not Factor.objects.exclude(mitigation="").filter(mitigation_es="").exists()
    assert not SafeguardGate.objects.filter(description_es="").exists()
    assert not ContributionMode.objects.filter(description_es="").exists()


def test_chicago_author_date_entries_and_their_year_labels():
    law = SourceEntry(key="a", kind="legal", authors="Estados Unidos Mexicanos", title="Constitución, artículo 76",
                      year="1917", publisher="Diario Oficial de la Federación", place="Mexico City")
    other = SourceEntry(key="b", kind="legal", authors="Estados Unidos Mexicanos", title="Constitución, artículo 89",
                        year="1917")
    untitled = SourceEntry(key="c", kind="thesis", authors="", title="Selective Peacekeeping", container="Thesis")
    labels = year_labels([law, other, untitled])
    assert labels == {"a": "1917a", "b": "1917b", "c": "n.d."}
    ref = chicago(law, labels["a"], str)
    assert ref.text == ("Estados Unidos Mexicanos. 1917a. Constitución, artículo 76. Mexico City: Diario Oficial de "
                        "la Federación.")
    assert chicago(untitled, "n.d.", str).text == "Selective Peacekeeping. n.d. Thesis."
    cite = Citations({"a": law, "b": other, "c": untitled})
    assert cite.mark(["c", "a"]) == "[1, 2]" and cite.mark(["a", "x"]) == "[2]" and cite.mark([]) == ""
    assert [n for n, _ in cite.entries(str)] == [1, 2]


@pytest.mark.django_db
def test_print_charts_have_print_size_text_and_labels_on_rows_of_their_own(analyst):
    from briefings.charts import MAX_LABELS, PRINT_FONT, charts_for

    scenario = make(analyst, "Many", "mixed_contingent", ["UNIFIL", "UNFICYP", "UNMISS", "MINURSO", "UNDOF",
                                                          "UNISFA", "MINUSCA", "MONUSCO"], ["humanitarian_relief"])
    with translation.override("es"):
        charts = charts_for(briefing_data(scenario, language="es"))
    scatter = charts[0].figure
    rows = [a.ay for a in scatter.layout.annotations]
    assert 0 < len(rows) <= MAX_LABELS and len(set(rows)) == len(rows)
    for chart in charts:
        layout = chart.figure.layout
        assert layout.font.size >= PRINT_FONT and layout.width == 680 and layout.separators == ".,"
        assert all(a.font.size is None or a.font.size >= PRINT_FONT for a in layout.annotations)
        assert layout.xaxis.tickfont.size >= PRINT_FONT and layout.yaxis.tickfont.size >= PRINT_FONT


@pytest.mark.django_db
def test_curators_edit_the_spanish_texts_and_the_citations_in_the_admin(client, django_user_model):
    from tests.conftest import make_user

    client.force_login(make_user(django_user_model, "curator"))
    factor = Factor.objects.get(code="human_rights_violations")
    page = client.get(f"/admin/risks/factor/{factor.pk}/change/").content.decode()
    for field in ("description_es", "mitigation_es", "sources"):
        assert f'name="{field}"' in page, field
    for url in (f"/admin/risks/safeguardgate/{SafeguardGate.objects.first().pk}/change/",
                f"/admin/risks/contributionmode/{ContributionMode.objects.first().pk}/change/",
                f"/admin/missions/datafile/{DataFile.objects.first().pk}/change/"):
        assert 'name="sources"' in client.get(url).content.decode(), url
    source = Source.objects.get(key="cpeum-76")
    assert client.get(f"/admin/sources/source/{source.pk}/history/").status_code == 200


@pytest.mark.django_db
def test_individual_deployments_are_told_the_senate_reading_is_contested(analyst):
    scenario = make(analyst, "Observers", "individual", ["MINURSO", "UNMOGIP"], ["ceasefire_monitoring"], size=10)
    data = briefing_data(scenario)
    rec = recommend(data, data.citations())
    # a legal caveat, not a condition: the gate passes individuals (the recommendation is not
    # "conditional" because of it), but the client must not take the pass for settled law
    senate = [c for c in rec["caveats"] if c["gate"] == SafeguardGate.objects.get(code="senate_authorisation").name]
    assert len(senate) == 1 and "contested" in senate[0]["action"] and senate[0]["mark"].startswith("[")
    assert "Guardia Nacional" in senate[0]["action"]  # the 2024 reform: its police are military personnel
    contingent = make(analyst, "Contingent", "national_contingent", ["UNFICYP"], ["humanitarian_relief"], size=150)
    data = briefing_data(contingent)
    rec = recommend(data, data.citations())
    assert not rec["caveats"] and not any("contested" in c["action"] for c in rec["conditions"])


@pytest.mark.django_db
def test_every_bibliography_entry_has_a_url_or_a_document_symbol_and_no_invented_title():
    for row in [*SafeguardGate.objects.all(), *ContributionMode.objects.all()]:
        row.full_clean()  # the shipped texts fit their fields (SQLite does not enforce max_length)
    for source in Source.objects.all():
        source.full_clean(exclude=["authors"])  # a dataset may have no named author
    missing = [s.key for s in Source.objects.all() if not (s.url or s.identifier)]
    assert not missing, f"sources with neither a URL nor a document symbol: {missing}"
    thesis = Source.objects.get(key="selective-peacekeeping")
    assert thesis.authors == "Motta-Allen, Alfonso J." and thesis.year == "2008"
    assert thesis.title.startswith("United Nations Peacekeeping Operations: México") and thesis.publisher == "Dalhousie University"
    brief = Source.objects.get(key="riesgos-politicos-2018")
    assert brief.authors == "Riesgos Políticos, S.C." and "Centro de Entrenamiento Conjunto de Operaciones de Paz" in brief.title
    assert brief.url.startswith("https://riesgospoliticos.com.mx/")
    rate = Source.objects.get(key="unga-tcc-rate-2018")
    assert rate.identifier == "A/RES/72/285" and rate.title.startswith("[")  # described, not an invented title


def test_a_bracketed_description_is_neither_italic_nor_quoted():
    described = SourceEntry(key="d", kind="un_document", authors="United Nations, General Assembly",
                            title="[Resolution on troop-cost rates]", year="2018", identifier="A/RES/72/285")
    ref = chicago(described, "2018", str)
    assert ref.title == "" and ref.before.endswith("[Resolution on troop-cost rates].")
    assert ref.text == "United Nations, General Assembly. 2018. [Resolution on troop-cost rates]. A/RES/72/285."
    article = SourceEntry(key="e", kind="article", authors="Riesgos Políticos, S.C.", title="¿Para qué?", year="2018")
    assert chicago(article, "2018", str).title == "“¿Para qué?”"


@pytest.mark.django_db
def test_a_mixed_contingent_briefing_names_the_partner_nation(analyst):
    scenario = make(analyst, "Mixed", "mixed_contingent", ["UNFICYP"], ["humanitarian_relief"], size=40)
    data = briefing_data(scenario)
    unficyp = next(o for o in data.result["options"] if o["mission"] == "UNFICYP")
    assert data.option_label(unficyp) == "UNFICYP (with Argentina)"
    from briefings.content import briefing_content
    content = briefing_content(data)
    assert any(o["mission"] == "UNFICYP (with Argentina)" for o in content["options"])
    individuals = make(analyst, "Observers", "individual", ["UNFICYP"], ["ceasefire_monitoring"], size=10)
    data = briefing_data(individuals)
    assert data.option_label(next(o for o in data.result["options"] if o["mission"] == "UNFICYP")) == "UNFICYP"


@pytest.mark.parametrize("value, decimals, sign, english, spanish", [
    (1.0349, 3, False, "1.035", "1.035"),      # rounded, not cut (number_format alone gives 1.034)
    (0.0996, 2, False, "0.10", "0.10"),
    (-2.5051, 2, True, "−2.51", "−2.51"),
    (1234.5678, 1, False, "1,234.6", "1,234.6"),  # Mexican Spanish writes numbers as English does
])
def test_briefing_numbers_are_rounded_to_the_digits_shown(value, decimals, sign, english, spanish):
    from briefings.text import num

    for language, expected in (("en", english), ("es", spanish)):
        with translation.override(language):
            assert num(value, decimals, sign=sign) == expected


@pytest.mark.django_db
def test_factor_weights_read_in_category_swings_not_as_shares_above_100_percent(analyst):
    from briefings.content import briefing_content

    scenario = make(analyst, "Observers", "individual", ["UNMOGIP", "UNFICYP"], ["ceasefire_monitoring"],
                    size=10)
    with translation.override("en"):
        factors = briefing_content(briefing_data(scenario))["factors"]
    weights = {f["code"]: f["weight"] for f in factors}
    assert not any(w.endswith("%") for w in weights.values()), weights
    data = briefing_data(scenario)
    for code, text in weights.items():
        assert text == f"{data.effective_weight(code):,.2f}"
    priced = [c for c in weights if Factor.objects.get(code=c).quantity != "judgement"]
    assert priced and any(data.effective_weight(c) > 1 for c in priced)  # why the column is not a share
