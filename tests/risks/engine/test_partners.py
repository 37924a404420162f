"""Who a Mexican element of a mixed contingent would join (risks.engine.partners), as specifications."""

import pandas as pd

from risks.engine import partners

REGIONS = pd.DataFrame({"region": ["Americas"] * 6 + ["Europe"] * 4,
                        "subregion": ["South America"] * 5 + ["Central America", "Northern Europe", "Eastern Europe",
                                                              "Eastern Europe", "Southern Europe"]},
                       index=["ARG", "PRY", "CHL", "BRA", "URY", "SLV", "GBR", "SVK", "HUN", "ESP"])
NONE = pd.DataFrame(columns=["mission", "lead"])


def troops(*rows):
    return pd.DataFrame(rows, columns=["mission", "iso3", "troops"])


def test_small_troop_elements_are_attributed_to_the_one_lead_of_their_own_region():
    data = troops(("UNFICYP", "ARG", 238), ("UNFICYP", "PRY", 12), ("UNFICYP", "CHL", 6), ("UNFICYP", "BRA", 1),
                  ("UNFICYP", "GBR", 247), ("UNFICYP", "SVK", 228), ("UNFICYP", "HUN", 5))
    found = partners.embedded_elements(data, REGIONS)
    assert set(found[found["lead"] == "ARG"]["element"]) == {"PRY", "CHL", "BRA"}
    assert set(found[found["lead"] == "SVK"]["element"]) == {"HUN"}  # its own sub-region, not the UK's


def test_an_element_with_two_leads_of_its_kind_is_left_unattributed():
    data = troops(("M", "ARG", 200), ("M", "URY", 300), ("M", "PRY", 10))
    assert partners.embedded_elements(data, REGIONS).empty


def test_the_partner_prefers_mexicos_own_precedent_then_an_embedding_lead_of_the_americas():
    data = troops(("UNFICYP", "ARG", 238), ("UNFICYP", "PRY", 12), ("UNFICYP", "SVK", 228), ("UNFICYP", "HUN", 5),
                  ("UNIFIL", "ESP", 647), ("UNIFIL", "SVK", 150), ("UNIFIL", "HUN", 16),
                  ("X", "URY", 209), ("Y", "GBR", 300))
    precedents = pd.DataFrame([{"mission": "UNIFIL", "lead": "ESP"}])
    table = partners.partners(["UNFICYP", "UNIFIL", "X", "Y"], data, REGIONS, precedents, {"ARG", "URY", "ESP"})
    assert table.loc["UNFICYP"].tolist() == ["ARG", "embeds", "PRY"]
    assert table.loc["UNIFIL", "partner"] == "ESP" and table.loc["UNIFIL", "basis"] == "mexico_precedent"
    assert table.loc["X"].tolist() == ["URY", "candidate", ""]   # a lead of the Americas, no embedding seen
    assert table.loc["Y"].tolist() == ["", "", ""]               # no plausible lead nation for Mexico
