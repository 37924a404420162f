"""A consultant exports each demo scenario's briefing from its page, in English and in Spanish,
and the PDF argues one recommendation with the recommended option's own figures: the same
numbers as that option's row of the scenario's CSV export, never totals over the question's
missions, and no "infeasible" verdict under it (issue 24)."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from tests.browser.test_home import browser_page, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
LABELS = {"option": "Option", "people": "People", "months": "Months",
          "fatalities": "Expected fatalities over the deployment", "p_any": "Chance of at least one death",
          "cost": "Net cost to Mexico a year"}


def export(page, base: str, scenario: int, fmt: str, lang: str) -> bytes:
    """Submit the page's briefing form, then download the briefing it queued (tests render it
    in the request: BRIEFINGS_IN_THREAD off, Celery eager)."""
    from risks.models import Briefing

    page.goto(f"{base}/scenarios/{scenario}/#briefings")
    form = page.locator("#briefings form")
    form.locator("select[name=format]").select_option(fmt)
    form.locator("select[name=language]").select_option(lang)
    form.locator("input[name=client]").fill("SRE")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    briefing = Briefing.objects.filter(scenario_id=scenario, format=fmt, language=lang).latest("pk")
    assert briefing.status == "done", briefing.error
    response = page.request.get(base + reverse("briefings:download", args=[briefing.pk]))
    assert response.ok, response.status
    return response.body()


def number(text: str, lang: str) -> float:
    """A number as the briefing prints it in `lang` (its decimal mark and digit grouping)."""
    with translation.override(lang):
        decimal, thousands = formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")
    digits = text.replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if thousands and thousands != decimal:
        digits = digits.replace(thousands, "")
    return float(digits.replace(decimal, "."))


def summary_of(pdf: bytes, lang: str) -> tuple[str, str]:
    """(the executive summary, the whole text), whitespace collapsed."""
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    with translation.override(lang):
        start, end = _("Executive summary"), _("The question's options, by verdict")
    assert start in text and end in text, (start, end)
    return text[text.index(start):text.index(end, text.index(start))], text


def recommended_row(rows: list[dict]) -> dict | None:
    """The option the briefing must recommend: the chosen, admissible (not infeasible, not
    excluded) option with the highest net score, if it beats not deploying (0)."""
    usable = [r for r in rows if r["selected"] == "True" and r["feasibility"] != "infeasible" and not r["excluded_by"]
              and r["raw_net_score"]]
    best = max(usable, key=lambda r: float(r["raw_net_score"]), default=None)
    return best if best and float(best["raw_net_score"]) > 0 else None


def test_each_demo_briefing_prints_the_recommended_options_own_figures(browser_page, live_server, django_user_model):  # noqa: E501, F811
    reload_real_data()
    from django.contrib.auth.models import Group

    from risks.models import Scenario

    user = django_user_model.objects.create_user("analyst", password=PASSWORD)
    user.groups.add(*Group.objects.filter(name__in=["analyst", "consultant"]))
    call_command("seed_demo_scenarios", force=True, stdout=io.StringIO())
    scenarios = list(Scenario.objects.filter(owner=user).order_by("pk").values_list("pk", "name"))
    assert len(scenarios) == 3, scenarios
    page = browser_page
    page.set_default_timeout(240_000)  # the export renders in the request: a PDF draws its charts
    log_in(page, live_server.url, "analyst", PASSWORD)
    decisions = set()
    for pk, name in scenarios:
        rows = list(csv.DictReader(io.StringIO(export(page, live_server.url, pk, "csv", "en").decode())))
        best = recommended_row(rows)
        for lang in ("en", "es"):
            summary, text = summary_of(export(page, live_server.url, pk, "pdf", lang), lang)
            with translation.override(lang):
                labels = {key: _(label) for key, label in LABELS.items()}
                infeasible, own = _("Infeasible"), _("The recommended option's own figures")
            for word in ("INFEASIBLE", "INFACTIBLE", "NO FACTIBLE"):
                assert word not in text, (name, lang, word)
            assert infeasible.lower() not in summary.lower(), (name, lang)
            assert "passes every safeguard" not in text and "supera todas las salvaguardas" not in text
            if best is None:  # a "do not deploy" brief prints no option's figures
                decisions.add("do not deploy")
                assert own not in summary and labels["fatalities"] not in summary and "US$" not in summary, (name, lang)
                continue
            decisions.add("deploy")
            values = {key: re.search(re.escape(label) + r" (\S+(?: \S+)?)", summary) for key, label in labels.items()}
            assert all(values.values()), (name, lang, summary[:800])
            assert re.split(r"[\s,(]", values["option"].group(1))[0] == best["mission"], (name, lang)
            assert int(number(values["people"].group(1).split()[0], lang)) == int(best["size"])
            assert int(number(values["months"].group(1).split()[0], lang)) == int(best["months"])
            fatalities = number(values["fatalities"].group(1).split()[0], lang)
            assert fatalities == pytest.approx(float(best["expected_fatalities"]), abs=5e-4), (name, lang)
            share = number(values["p_any"].group(1).replace("%", " ").split()[0], lang) / 100
            assert share == pytest.approx(float(best["p_any_fatality"]), abs=5e-4), (name, lang)
            cost = number(re.sub(r"^US\$", "", values["cost"].group(1)).split()[0], lang)
            assert cost == pytest.approx(float(best["net_cost_usd"]) / 1e6, abs=5e-3), (name, lang)
    assert decisions == {"deploy", "do not deploy"}  # the demos exercise both kinds of brief
    assert page.console_errors == []
