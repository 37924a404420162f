"""A curator uploads the UN's newer release in the admin, reads the preview, applies it and rolls
it back, in Chromium: the overview, the data's vintage and a scenario's result follow."""

import gzip
import re

import pytest
from django.test import Client

from tests.browser.test_home import ARTIFACTS, browser_page, log_in  # noqa: F401 - fixture
from tests.conftest import reload_real_data
from tests.missions.test_releases import newer_release
from tests.risks.test_pages import builder_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overview(page, base: str) -> tuple[str, str, str]:
    page.goto(f"{base}/")
    return (page.locator(".kpi.mx .value").first.inner_text(), page.locator("p.lede").first.inner_text(),
            page.locator(".data-age").inner_text())


def scenario_figures(page, url: str) -> tuple[str, str]:
    page.goto(url)
    hint = page.locator("p.hint", has_text="from inputs").inner_text()
    return hint.split("from inputs")[1].strip(), page.locator("table", has_text="UNMOGIP").first.inner_text()


def test_a_curator_previews_applies_and_rolls_back_a_newer_un_release(
        browser_page, live_server, django_user_model, tmp_path):  # noqa: F811
    reload_real_data()
    from django.contrib.auth.models import Group

    from risks.models import Scenario

    analyst = django_user_model.objects.create_user("release-analyst", password="a-long-test-password")
    analyst.groups.add(Group.objects.get(name="analyst"))
    client = Client()
    client.force_login(analyst)
    assert client.post("/scenarios/new/", builder_data()).status_code == 302
    scenario_url = live_server.url + Scenario.objects.get().get_absolute_url()
    curator = django_user_model.objects.create_user("release-curator", password="a-long-test-password",
                                                    is_staff=True)
    curator.groups.add(Group.objects.get(name="curator"))

    newer, change = newer_release()
    # In September Brazil's and Honduras's observers leave MINURSO: fewer than 10 Latin Americans
    # (other than Mexicans) remain, which the model reads as no Latin American presence there.
    # (The two new months add no exposure to the hazards: they come after the last recorded death.)
    leaving = ((newer["report_date"] == "2025-09-30") & (newer["mission_acronym"] == "MINURSO")
               & newer["isocode3"].isin(["BRA", "HND"]))
    assert leaving.sum() > 0
    newer = newer[~leaving]
    september_total = int(newer.loc[newer["report_date"] == "2025-09-30", "total_personnel"].astype(int).sum())
    path = tmp_path / "un_uniformed_contributions_monthly_2015_2025_09.csv.gz"
    path.write_bytes(gzip.compress(newer.to_csv(index=False).encode()))

    page = browser_page
    log_in(page, live_server.url, "release-curator", "a-long-test-password")
    mexicans, lede, vintage = overview(page, live_server.url)
    assert "July 2025" in lede and "UN data through July 2025" in vintage
    fingerprint, options = scenario_figures(page, scenario_url)

    page.goto(f"{live_server.url}/admin/")
    page.click("text=Upload a newer UN release")
    page.select_option("#id_dataset", "un_monthly")
    page.set_input_files("#id_file", str(path))
    page.click("input[type=submit][value='Upload and preview']")
    page.wait_for_selector("#release-status[data-status=previewed]", timeout=60_000)
    added = page.locator("#months-added").inner_text()
    assert re.findall(r"\d{4}-\d{2}", added) == ["2025-08", "2025-09"]
    assert f"({september_total:,} personnel)" in added
    changed = page.locator("#rows-changed tbody tr")
    assert changed.count() == 1
    row = changed.inner_text()
    assert "2025-06-01" in row and "MEX" in row and change["row"]["mission_acronym"] in row
    old, new = int(change["old"]["total_personnel"]), int(change["old"]["total_personnel"]) + 2
    assert f"{old} → {new}" in row
    assert page.locator("#rows-removed").count() == 0 and page.locator("#rows-added").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "release-preview.png"), full_page=True)

    page.click("#apply-release")
    page.wait_for_selector("#release-status[data-status=applied]", timeout=120_000)
    assert "Applied" in page.locator(".messagelist").inner_text()
    mexicans_after, lede_after, vintage_after = overview(page, live_server.url)
    assert int(mexicans_after.replace(",", "")) == int(mexicans.replace(",", "")) + change["mexicans_added"]
    assert "September 2025" in lede_after and "UN data through September 2025" in vintage_after
    fingerprint_after, options_after = scenario_figures(page, scenario_url)
    assert fingerprint_after != fingerprint  # recomputed from the new data
    assert options_after.split("UNMOGIP")[0] != options.split("UNMOGIP")[0]  # MINURSO's figures moved

    page.goto(f"{live_server.url}/admin/missions/datarelease/")
    page.click("text=un_uniformed_contributions_monthly_2015_2025_09.csv.gz")
    page.click("#rollback-release")
    page.wait_for_selector("#release-status[data-status=rolled_back]", timeout=120_000)
    assert overview(page, live_server.url) == (mexicans, lede, vintage)
    assert scenario_figures(page, scenario_url) == (fingerprint, options)
    assert page.console_errors == []
    assert page.foreign_requests == []
