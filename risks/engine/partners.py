"""Who a Mexican element of a mixed contingent would join: the lead nations that already embed
other countries' troops in a mission, read from the UN monthly reports. Pure pandas.

The UN reports list troops per contributor and mission, not which unit they serve in, so the
embedding is inferred. In a mission's latest report a *lead* contributes at least LEAD_MIN troops
(a formed unit of its own); an *element* contributes 1 to ELEMENT_MAX troops (too few for a unit
of its own). An element is attributed to the lead of its own sub-region when exactly one lead of
that sub-region serves in the mission, else to the lead of its own region when exactly one does;
otherwise it stays unattributed. The precedent this reproduces: Argentina's force in UNFICYP
with Paraguayan, Chilean and Brazilian troops (July 2025: 238 Argentine troops beside 12, 6 and 1).

The partner for Mexico in a mission is, in this order:

1. a curated precedent of Mexico's own (an element embedded with that lead in that mission), cited;
2. a lead that embeds elements, from Mexico's region (the Americas) before any other, then a
   Spanish-speaking lead, then the one embedding the most countries;
3. failing any embedding, the largest lead from the Americas or a Spanish-speaking country, as a
   candidate without precedent;
4. otherwise none: the mission has no plausible lead nation for Mexico (the option still exists,
   its partner unnamed).
"""

from __future__ import annotations

import pandas as pd

LEAD_MIN = 100          # troops: a contributor with a unit of its own
ELEMENT_MAX = 40        # troops: a contributor too small for a unit of its own
HOME_REGION = "Americas"
BASES = ("mexico_precedent", "embeds", "candidate")


def embedded_elements(troops: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """troops: columns mission, iso3, troops (one mission's latest report each); regions: index
    iso3, columns region, subregion. Returns columns mission, lead, element, troops (the element's),
    one row per attributed element."""
    rows = troops.join(regions, on="iso3")
    leads = rows[rows["troops"] >= LEAD_MIN]
    elements = rows[(rows["troops"] > 0) & (rows["troops"] <= ELEMENT_MAX)]
    # One pass over plain rows per mission (a frame filtered per element took a third of a second).
    columns = ["mission", "iso3", "troops", "region", "subregion"]
    leads_in: dict[str, list[dict]] = {}
    for lead in leads[columns].to_dict("records"):
        leads_in.setdefault(lead["mission"], []).append(lead)
    elements_in: dict[str, list[dict]] = {}
    for element in elements[columns].to_dict("records"):
        if not pd.isna(element["mission"]):
            elements_in.setdefault(element["mission"], []).append(element)
    out = []
    for mission in sorted(elements_in):
        for element in elements_in[mission]:
            for level in ("subregion", "region"):
                kind = element[level]
                same = [] if pd.isna(kind) else [
                    lead for lead in leads_in.get(mission, [])
                    if not pd.isna(lead[level]) and lead[level] == kind and lead["iso3"] != element["iso3"]]
                if len(same) == 1:
                    out.append({"mission": mission, "lead": same[0]["iso3"], "element": element["iso3"],
                                "troops": int(element["troops"])})
                    break
                if len(same) > 1:
                    break  # more than one lead of its own kind: which one it joins is unknown
    return pd.DataFrame(out, columns=["mission", "lead", "element", "troops"])


def partners(missions: list[str], troops: pd.DataFrame, regions: pd.DataFrame, precedents: pd.DataFrame,
             spanish: set[str]) -> pd.DataFrame:
    """Mexico's partner per mission. precedents: columns mission, lead (curated, cited). Returns
    index mission, columns partner (ISO3, '' where none), basis (one of BASES, '' where none),
    embedded (the elements the partner embeds, '|'-joined ISO3)."""
    elements = embedded_elements(troops, regions)
    region = regions["region"].to_dict()
    embeds_of = {m: group for m, group in elements.groupby("mission", sort=False)}
    own_of = {m: group["lead"].tolist() for m, group in precedents.groupby("mission", sort=False)}
    leads_of = {m: group for m, group in troops[troops["troops"] >= LEAD_MIN].groupby("mission", sort=False)}
    out = {}
    for mission in missions:
        embeds = embeds_of.get(mission, elements.iloc[:0])
        own = own_of.get(mission, [])
        joined = {lead: sorted(group["element"]) for lead, group in embeds.groupby("lead")}
        if own:
            lead, basis = own[0], "mexico_precedent"
        elif joined:
            lead = min(joined, key=lambda c: (region.get(c) != HOME_REGION, c not in spanish, -len(joined[c]), c))
            basis = "embeds"
        else:
            here = leads_of.get(mission, troops.iloc[:0])
            near = here[[region.get(c) == HOME_REGION or c in spanish for c in here["iso3"]]]
            if near.empty:
                out[mission] = {"partner": "", "basis": "", "embedded": ""}
                continue
            lead, basis = near.sort_values(["troops", "iso3"], ascending=[False, True])["iso3"].iloc[0], "candidate"
        out[mission] = {"partner": lead, "basis": basis, "embedded": "|".join(joined.get(lead, []))}
    return pd.DataFrame.from_dict(out, orient="index", columns=["partner", "basis", "embedded"]).reindex(missions)
