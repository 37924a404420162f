"""Build pkoanalysis's shipped data folder: UN byte copies and the curated catalogues.

A development tool, never imported by the app. It rewrites, from /work/shared/data/un and the
hand-written tables below:

    data/un/*.csv.gz, data/un/SOURCES.md       gzip -9 -n copies, byte-identical after gunzip
    data/curated/countries.csv                 iso3,name_en,name_es,region,subregion,aliases
    data/curated/functions.csv                 code,name_en,name_es,description_en,source,order
    data/curated/missions.csv                  the mission catalogue (see MISSIONS below)

and then runs data/tools/check_catalogues.py, which proves that every country name/code and
every mission acronym in the shipped files resolves. data/curated/un_repeated_rows.csv is
hand-written and not touched here.

Run it in a throwaway venv (never the app's):

    python3 -m venv /tmp/genvenv
    /tmp/genvenv/bin/pip install "pandas<3" pycountry country_converter
    /tmp/genvenv/bin/python data/tools/build_catalogues.py [--shared /work/shared/data/un]

Re-running it with unchanged inputs produces identical files (gzip copies are rewritten only
when their decompressed content differs).

Where facts come from
---------------------
* psdata DPPADPOSS-PKO (81 peacekeeping operations): names, dates, HQ, coordinates (comma
  decimals converted). Errors found in it are corrected in PSDATA_FIXES, each with a note.
* IPI mission file: host country ISO3 and HQ of the missions it covers. Its "Mission HQ
  Longitude" column holds the latitude and vice versa for almost every row (Tegucigalpa has
  "Longitude" 14.1); each row is oriented against the reference coordinates in HQ_REF.
* Everything else in MISSIONS (kind, host where IPI has none, functions, Chapter VII, and every
  field of the missions psdata lacks) is pkoanalysis curation written from general knowledge of
  the Security Council mandates and public UN mission pages. It was NOT checked against the
  resolutions: every such row says "[unverified]" in its source column.
* Countries: ISO 3166 names via pycountry, UN M49 groupings via country_converter, names as
  spelled in the shipped files for aliases, Spanish names from the hand table SPANISH (UN
  Spanish short names) with pycountry's Spanish catalogue only as a reported fallback.
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1]
TOOLS = DATA / "tools"
CURATED = DATA / "curated"
UN_OUT = DATA / "un"
DEFAULT_SHARED = Path("/work/shared/data/un")

UN_FILES = [
    "un_uniformed_contributions_monthly_2015_2025.csv",
    "ipi_country_month_totals_1990_2014.csv",
    "ipi_mission_month_totals_1990_2014.csv",
    "psdata_DPPADPOSS-PKO_missions.csv",
    "psdata_DPPADPOSS-FATALITIES.csv",
    "mission_month_authorized_vs_deployed_1990_2015.csv",
]

# --------------------------------------------------------------------------------------------
# 1. Byte copies
# --------------------------------------------------------------------------------------------


def copy_un(shared: Path) -> list[str]:
    """gzip -9 -n each source file (no name/timestamp in the header, so re-runs are stable)."""
    UN_OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for name in UN_FILES:
        source, target = shared / name, UN_OUT / f"{name}.gz"
        raw = source.read_bytes()
        if target.exists() and gzip.decompress(target.read_bytes()) == raw:
            continue
        with open(target, "wb") as out:
            subprocess.run(["gzip", "-9", "-n", "-c", str(source)], stdout=out, check=True)
        if gzip.decompress(target.read_bytes()) != raw:
            raise SystemExit(f"gzip copy of {name} does not round-trip")
        written.append(target.name)
    sources = UN_OUT / "SOURCES.md"
    if not sources.exists() or sources.read_bytes() != (shared / "SOURCES.md").read_bytes():
        shutil.copyfile(shared / "SOURCES.md", sources)
        written.append("SOURCES.md")
    return written


def read(shared: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(shared / name, dtype=str, keep_default_na=False)


def clean_name(name: str) -> str:
    """The importer's normalisation: strip, drop trailing apostrophes, strip again."""
    return name.strip().rstrip("'").strip()


# --------------------------------------------------------------------------------------------
# 2. Countries
# --------------------------------------------------------------------------------------------

# States that no longer exist but appear in the fatality file with these (withdrawn) ISO codes.
HISTORICAL = {
    "YUG": ("Yugoslavia", "Yugoslavia", "Southern Europe"),
    "SCG": ("Serbia and Montenegro", "Serbia y Montenegro", "Southern Europe"),
}
# Name strings that the generic matcher cannot place (checked by hand).
MANUAL_NAMES = {"Côte dIvoire": "CIV", "Türkiye": "TUR", "Macedonia": "MKD"}
# Strings that name no country; left unmapped on purpose.
UNMAPPED = {"", "ZZ [Undetermined]"}

# name_en: the UN monthly file's normalised name, else the psdata fatality file's (UN M49 style),
# else ISO 3166 (pycountry). Overrides where that choice is outdated or clumsy:
NAME_EN_FIX = {"CZE": "Czechia"}

# UN Spanish short names (UNTERM style), mirroring the English form chosen above. pycountry's
# Spanish catalogue has spelling errors ("Costa de Marfíl", "Algeria", "Tunez", "Surinám") and
# "X, Y de" ordering, so it is only a fallback, reported when used.
SPANISH = {
    "AFG": "Afganistán", "AGO": "Angola", "ALB": "Albania", "ARE": "Emiratos Árabes Unidos",
    "ARG": "Argentina", "ARM": "Armenia", "ATG": "Antigua y Barbuda", "AUS": "Australia",
    "AUT": "Austria", "AZE": "Azerbaiyán", "BDI": "Burundi", "BEL": "Bélgica", "BEN": "Benin",
    "BFA": "Burkina Faso", "BGD": "Bangladesh", "BGR": "Bulgaria", "BHS": "Bahamas",
    "BIH": "Bosnia y Herzegovina", "BLR": "Belarús", "BMU": "Bermudas", "BOL": "Bolivia",
    "BRA": "Brasil", "BRB": "Barbados", "BRN": "Brunei Darussalam", "BTN": "Bhután",
    "BWA": "Botswana", "CAF": "República Centroafricana", "CAN": "Canadá", "CHE": "Suiza",
    "CHL": "Chile", "CHN": "China", "CIV": "Côte d'Ivoire", "CMR": "Camerún",
    "COD": "República Democrática del Congo", "COG": "Congo", "COL": "Colombia", "COM": "Comoras",
    "CPV": "Cabo Verde", "CRI": "Costa Rica", "CUB": "Cuba", "CYP": "Chipre", "CZE": "Chequia",
    "DEU": "Alemania", "DJI": "Djibouti", "DMA": "Dominica", "DNK": "Dinamarca",
    "DOM": "República Dominicana", "DZA": "Argelia", "ECU": "Ecuador", "EGY": "Egipto",
    "ERI": "Eritrea", "ESH": "Sáhara Occidental", "ESP": "España", "EST": "Estonia",
    "ETH": "Etiopía", "FIN": "Finlandia", "FJI": "Fiji", "FRA": "Francia", "GAB": "Gabón",
    "GBR": "Reino Unido", "GEO": "Georgia", "GHA": "Ghana", "GIN": "Guinea", "GMB": "Gambia",
    "GNB": "Guinea-Bissau", "GRC": "Grecia", "GRD": "Granada", "GTM": "Guatemala", "GUY": "Guyana",
    "HND": "Honduras", "HRV": "Croacia", "HTI": "Haití", "HUN": "Hungría", "IDN": "Indonesia",
    "IND": "India", "IRL": "Irlanda", "IRN": "Irán (República Islámica del)", "IRQ": "Iraq",
    "ISL": "Islandia", "ISR": "Israel", "ITA": "Italia", "JAM": "Jamaica", "JOR": "Jordania",
    "JPN": "Japón", "KAZ": "Kazajstán", "KEN": "Kenya", "KGZ": "Kirguistán", "KHM": "Camboya",
    "KIR": "Kiribati", "KOR": "República de Corea", "KWT": "Kuwait", "LBN": "Líbano",
    "LBR": "Liberia", "LBY": "Libia", "LKA": "Sri Lanka", "LSO": "Lesotho", "LTU": "Lituania",
    "LUX": "Luxemburgo", "LVA": "Letonia", "MAR": "Marruecos", "MDA": "República de Moldova",
    "MDG": "Madagascar", "MEX": "México", "MKD": "Macedonia del Norte", "MLI": "Malí",
    "MLT": "Malta", "MMR": "Myanmar", "MNE": "Montenegro", "MNG": "Mongolia",
    "MOZ": "Mozambique", "MRT": "Mauritania", "MUS": "Mauricio", "MWI": "Malawi",
    "MYS": "Malasia", "NAM": "Namibia", "NER": "Níger", "NGA": "Nigeria", "NLD": "Países Bajos",
    "NOR": "Noruega", "NPL": "Nepal", "NRU": "Nauru", "NZL": "Nueva Zelandia", "PAK": "Pakistán",
    "PAN": "Panamá", "PER": "Perú", "PHL": "Filipinas", "PLW": "Palau",
    "PNG": "Papua Nueva Guinea", "POL": "Polonia", "PRT": "Portugal", "PRY": "Paraguay",
    "PSE": "Estado de Palestina", "QAT": "Qatar", "ROU": "Rumania", "RUS": "Federación de Rusia",
    "RWA": "Rwanda", "SAU": "Arabia Saudita", "SDN": "Sudán", "SEN": "Senegal", "SGP": "Singapur",
    "SLB": "Islas Salomón", "SLE": "Sierra Leona", "SLV": "El Salvador", "SOM": "Somalia",
    "SRB": "Serbia", "SSD": "Sudán del Sur", "STP": "Santo Tomé y Príncipe", "SUR": "Suriname",
    "SVK": "Eslovaquia", "SVN": "Eslovenia", "SWE": "Suecia", "SWZ": "Eswatini",
    "SYR": "República Árabe Siria", "TCD": "Chad", "TGO": "Togo", "THA": "Tailandia",
    "TJK": "Tayikistán", "TLS": "Timor-Leste", "TTO": "Trinidad y Tabago", "TUN": "Túnez",
    "TUR": "Türkiye", "TZA": "República Unida de Tanzanía", "UGA": "Uganda", "UKR": "Ucrania",
    "URY": "Uruguay", "USA": "Estados Unidos de América", "VEN": "Venezuela (República Bolivariana de)",
    "VNM": "Viet Nam", "VUT": "Vanuatu", "WSM": "Samoa", "YEM": "Yemen", "ZAF": "Sudáfrica",
    "ZMB": "Zambia", "ZWE": "Zimbabwe",
}

# country_converter's "UNregion" errors, corrected to UN M49.
SUBREGION_FIX = {"NRU": "Micronesia"}

# UN M49: sub-region/intermediate region -> region. `subregion` in countries.csv is the most
# detailed M49 grouping below the region: the intermediate region where M49 defines one
# (Eastern/Middle/Southern/Western Africa; Caribbean, Central America, South America), else the
# sub-region (Northern Africa, Northern America, the Asian, European and Oceanian sub-regions).
M49_REGION = {
    "Northern Africa": "Africa", "Eastern Africa": "Africa", "Middle Africa": "Africa",
    "Southern Africa": "Africa", "Western Africa": "Africa",
    "Caribbean": "Americas", "Central America": "Americas", "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia",
    "Southern Asia": "Asia", "Western Asia": "Asia",
    "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania", "Melanesia": "Oceania", "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}


def country_spellings(shared: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """ISO3 -> every spelling the files use for it (first = preferred), and how loose names resolved."""
    import country_converter as coco

    found: dict[str, list[str]] = {}

    def add(iso3: str, name: str) -> None:
        name = clean_name(name)
        if name and name not in found.setdefault(iso3, []):
            found[iso3].append(name)

    un = read(shared, UN_FILES[0])
    for iso3, normal in un[["isocode3", "contributing_country"]].drop_duplicates().itertuples(index=False):
        add(iso3, normal)  # normalised names first: they become name_en
    for iso3, pdf in un[["isocode3", "country_name_in_pdf"]].drop_duplicates().itertuples(index=False):
        add(iso3, pdf)
    fat = read(shared, "psdata_DPPADPOSS-FATALITIES.csv")
    coded = fat[fat["isocode3"] != ""]
    for iso3, name in coded[["isocode3", "casualty_nationality"]].drop_duplicates().itertuples(index=False):
        add(iso3, name)
    ipm = read(shared, "ipi_mission_month_totals_1990_2014.csv")
    for iso3, name in ipm[["Country of Mission ISO-3", "Country of Mission"]].drop_duplicates().itertuples(index=False):
        add(iso3, name)

    # Names without a code: IPI contributors and fatality nationalities with an empty isocode3.
    loose = set(read(shared, "ipi_country_month_totals_1990_2014.csv")["Contributor"])
    loose |= set(fat.loc[fat["isocode3"] == "", "casualty_nationality"])
    known = {n.lower(): iso3 for iso3, names in found.items() for n in names}
    resolved: dict[str, str] = {}
    converter = coco.CountryConverter()
    for raw in sorted(loose):
        if raw in UNMAPPED:
            continue
        name = clean_name(raw)
        iso3 = known.get(name.lower()) or MANUAL_NAMES.get(name)
        how = "exact"
        if not iso3:
            iso3 = converter.convert(name, to="ISO3", not_found=None)
            how = "country_converter"
        if not isinstance(iso3, str) or len(iso3) != 3:
            raise SystemExit(f"cannot place country name {raw!r}")
        resolved[name] = f"{iso3} ({how})"
        add(iso3, name)
    return found, resolved


def build_countries(shared: Path, host_codes: set[str]) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    import country_converter as coco
    import pycountry

    es_catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    converter = coco.CountryConverter()
    found, resolved = country_spellings(shared)
    for iso3 in host_codes | set(HISTORICAL):
        found.setdefault(iso3, [])
    warnings = []
    rows = []
    for iso3 in sorted(found):
        spellings = found[iso3]
        if iso3 in HISTORICAL:
            name_en, name_es, subregion = HISTORICAL[iso3]
        else:
            country = pycountry.countries.get(alpha_3=iso3)
            if country is None:
                raise SystemExit(f"{iso3} is not an ISO 3166-1 alpha-3 code")
            name_en = NAME_EN_FIX.get(iso3) or (spellings[0] if spellings else
                                                getattr(country, "common_name", country.name))
            name_es = SPANISH.get(iso3)
            if name_es is None:
                name_es = es_catalogue.gettext(country.name)
                warnings.append(f"{iso3}: Spanish name {name_es!r} taken from pycountry, review it")
            subregion = SUBREGION_FIX.get(iso3) or converter.convert(iso3, src="ISO3", to="UNregion")
        region = M49_REGION[subregion]
        seen = {name_en.lower()}
        aliases = []
        for spelling in sorted(spellings, key=str.lower):
            if spelling.lower() not in seen:
                seen.add(spelling.lower())
                aliases.append(spelling)
        rows.append({"iso3": iso3, "name_en": name_en, "name_es": name_es, "region": region,
                     "subregion": subregion, "aliases": "|".join(aliases)})
    return pd.DataFrame(rows), resolved, warnings


# --------------------------------------------------------------------------------------------
# 3. Mandate functions
# --------------------------------------------------------------------------------------------

SEED = "Seed 000 (000_0b852b3876a90603.txt, para. 11)"
CORE = "DOMAIN.md (UN core tasks); A4P Declaration of Shared Commitments (2018), protection commitments"
FUNCTIONS = [
    ("ceasefire_monitoring", "Ceasefire and armistice monitoring",
     "Supervisión del cese al fuego y del armisticio",
     "Observing, verifying and reporting on ceasefires, armistices, disengagement and buffer "
     "zones between the parties: the traditional observer and interposition task.",
     f"{SEED}: 'monitoring armistices'"),
    ("public_security_police", "Public security and police",
     "Seguridad pública y policía",
     "Public security in peace processes: UN police (individual officers and formed units), "
     "support to and reform of national police and the security sector (SSR).",
     f"{SEED}: 'public security in peacebuilding processes'"),
    ("humanitarian_relief", "Humanitarian and natural-disaster relief",
     "Ayuda humanitaria y en casos de desastre natural",
     "Creating secure conditions for humanitarian assistance, supporting relief after armed "
     "conflict and natural disasters, and the safe return of refugees and displaced persons.",
     f"{SEED}: 'humanitarian work by natural catastrophes'"),
    ("political_process", "Political process, diplomacy and good offices",
     "Proceso político, diplomacia y buenos oficios",
     "Good offices, mediation and support to the implementation of peace agreements and "
     "political transitions, so that the peace lasts.",
     f"{SEED}: 'implementing diplomatic channels to guarantee a lasting peace'"),
    ("confidence_building", "Confidence-building between parties",
     "Fomento de la confianza entre las partes",
     "Liaison, joint mechanisms, demilitarised areas and other measures that build trust "
     "between the parties to a conflict.",
     f"{SEED}: 'promoting trust between the parties in conflict'"),
    ("electoral_assistance", "Electoral assistance",
     "Asistencia electoral",
     "Technical, logistical and security support to elections and referendums, and their "
     "observation or certification; an area where Mexico has been very active.",
     f"{SEED}: 'advising on electoral processes'"),
    ("rule_of_law", "Rule of law and justice",
     "Estado de derecho y justicia",
     "Building the rule of law: justice, corrections, legal and state institutions, the fight "
     "against impunity.",
     f"{SEED}: 'the creation of Rule of Law'"),
    ("peacebuilding_ddr", "Peacebuilding, social development and DDR",
     "Consolidación de la paz, desarrollo social y DDR",
     "Programmes for social development and peace consolidation, including disarmament, "
     "demobilisation and reintegration (DDR) of former combatants and community violence reduction.",
     f"{SEED}: 'implement programs for social development'"),
    ("protection_of_civilians", "Protection of civilians",
     "Protección de los civiles",
     "Protecting civilians under threat of physical violence, including through the use of "
     "force where the mandate authorises it: a UN core task.",
     CORE),
    ("human_rights", "Human rights",
     "Derechos humanos",
     "Monitoring, investigating, reporting on and promoting human rights, including child "
     "protection and conflict-related sexual violence: a UN core task.",
     CORE),
]


def build_functions() -> pd.DataFrame:
    return pd.DataFrame([
        {"code": c, "name_en": en, "name_es": es, "description_en": d, "source": s, "order": i}
        for i, (c, en, es, d, s) in enumerate(FUNCTIONS, start=1)
    ])


# --------------------------------------------------------------------------------------------
# 4. Missions
# --------------------------------------------------------------------------------------------

# Short tokens for the function codes, to keep the table below readable.
F = {
    "cease": "ceasefire_monitoring", "police": "public_security_police", "hum": "humanitarian_relief",
    "pol": "political_process", "cbm": "confidence_building", "elect": "electoral_assistance",
    "rol": "rule_of_law", "ddr": "peacebuilding_ddr", "poc": "protection_of_civilians", "hr": "human_rights",
}

# Every mission acronym in the shipped files. Columns:
#   kind, host ISO3 (used only when the IPI mission file has none), Chapter VII, function tokens.
# For missions absent from psdata, also: name, HQ, lat, lon, start, end, active (2025-07), lead.
# All pkoanalysis curation from general knowledge of the mandates [unverified].
PSDATA_CURATION = {
    # acronym: (kind, host, chapter_vii, functions)
    "DOMREP": ("pko", "DOM", False, "cease pol"),
    "IPTF": ("pko", "BIH", False, "police hr"),
    "MICAH": ("pko", "HTI", False, "police rol hr"),
    "MINUCI": ("pko", "CIV", False, "pol cease"),
    "MINUGUA": ("pko", "GTM", False, "hr cease ddr pol"),
    "MINUJUSTH": ("pko", "HTI", True, "rol police hr poc"),
    "MINURCA": ("pko", "CAF", True, "police ddr elect"),
    "MINURCAT": ("pko", "TCD", True, "poc hum hr police rol"),
    "MINURSO": ("pko", "ESH", False, "cease cbm"),
    "MINUSCA": ("pko", "CAF", True, "poc pol hr hum ddr police rol elect"),
    "MINUSMA": ("pko", "MLI", True, "poc pol cease hr hum ddr police rol elect"),
    "MINUSTAH": ("pko", "HTI", True, "police rol hum elect pol poc hr ddr"),
    "MIPONUH": ("pko", "HTI", False, "police"),
    "MONUA": ("pko", "AGO", False, "cease ddr pol hr police"),
    "MONUC": ("pko", "COD", True, "cease poc ddr elect pol hr hum"),
    "MONUSCO": ("pko", "COD", True, "poc ddr pol rol hr police elect"),
    "ONUB": ("pko", "BDI", True, "cease ddr elect poc hr"),
    "ONUC": ("pko", "COD", True, "cease hum pol"),
    "ONUCA": ("pko", "HND", False, "cbm ddr cease"),
    "ONUMOZ": ("pko", "MOZ", False, "cease ddr elect hum police"),
    "ONUSAL": ("pko", "SLV", False, "hr cease police elect ddr"),
    "UNAMIC": ("pko", "KHM", False, "cease cbm"),
    "UNAMID": ("pko", "SDN", True, "poc hum pol hr cease"),
    "UNAMIR": ("pko", "RWA", False, "cease hum pol"),
    "UNAMSIL": ("pko", "SLE", True, "ddr elect poc cease police"),
    "UNASOG": ("pko", "TCD", False, "cease cbm"),
    "UNAVEM": ("pko", "AGO", False, "cease elect"),
    "UNAVEM I": ("pko", "AGO", False, "cease"),
    "UNAVEM II": ("pko", "AGO", False, "cease elect police"),
    "UNAVEM III": ("pko", "AGO", False, "cease ddr pol hr"),
    "UNCPSG": ("pko", "HRV", False, "police"),
    "UNCRO": ("pko", "HRV", True, "cease cbm"),
    "UNDOF": ("pko", "SYR", False, "cease cbm"),
    "UNEF": ("pko", "EGY", False, "cease cbm"),
    "UNEF I": ("pko", "EGY", False, "cease cbm"),
    "UNEF II": ("pko", "EGY", False, "cease cbm"),
    "UNFICYP": ("pko", "CYP", False, "cease cbm hum police"),
    "UNFOR": ("pko", "HRV", False, "cease"),
    "UNGCI": ("other", "IRQ", False, "hum"),
    "UNGOMAP": ("pko", "AFG", False, "cease pol"),
    "UNIFIL": ("pko", "LBN", False, "cease cbm hum poc"),
    "UNIIMOG": ("pko", "IRN", False, "cease"),
    "UNIKOM": ("pko", "IRQ", True, "cease cbm"),
    "UNIPOM": ("pko", "PAK", False, "cease"),
    "UNISFA": ("pko", "SDN", True, "cease poc hum cbm police"),
    "UNMEE": ("pko", "ERI", False, "cease cbm"),
    "UNMIBH": ("pko", "BIH", False, "police rol hr"),
    "UNMIH": ("pko", "HTI", False, "police elect"),
    "UNMIK": ("pko", "SRB", True, "police rol pol hr cbm"),
    "UNMIL": ("pko", "LBR", True, "cease ddr poc police rol elect hr hum"),
    "UNMIS": ("pko", "SDN", True, "cease ddr poc hum elect pol hr"),
    "UNMISET": ("pko", "TLS", True, "police rol"),
    "UNMISS": ("pko", "SSD", True, "poc hum hr pol elect police"),
    "UNMIT": ("pko", "TLS", False, "police elect rol hr pol"),
    "UNMOGIP": ("pko", "PAK", False, "cease cbm"),
    "UNMOP": ("pko", "HRV", False, "cease cbm"),
    "UNMOT": ("pko", "TJK", False, "cease pol"),
    "UNOCI": ("pko", "CIV", True, "cease poc ddr elect police rol hr pol hum"),
    "UNOGIL": ("pko", "LBN", False, "cease"),
    "UNOHCI": ("other", "IRQ", False, "hum"),
    "UNOMIG": ("pko", "GEO", False, "cease cbm"),
    "UNOMIL": ("pko", "LBR", False, "cease elect hum ddr"),
    "UNOMSIL": ("pko", "SLE", False, "cease ddr hr"),
    "UNOMUR": ("pko", "UGA", False, "cease"),
    "UNOSOM": ("pko", "SOM", True, "hum cease ddr pol"),
    "UNOSOM I": ("pko", "SOM", False, "hum cease"),
    "UNOSOM II": ("pko", "SOM", True, "hum ddr pol police"),
    "UNPF": ("pko", "HRV", True, "cease hum poc"),
    "UNPREDEP": ("pko", "MKD", False, "cbm"),
    "UNPROFOR": ("pko", "HRV", True, "cease hum poc cbm"),
    "UNPSG": ("pko", "HRV", False, "police"),
    "UNSCOB": ("other", "GRC", False, "cease"),
    "UNSF": ("pko", "IDN", False, "police cease"),
    "UNSMA": ("spm", "AFG", False, "pol"),
    "UNSMIH": ("pko", "HTI", False, "police"),
    "UNSMIS": ("pko", "SYR", False, "cease pol"),
    "UNTAC": ("pko", "KHM", False, "elect cease hr police hum ddr pol"),
    "UNTAES": ("pko", "HRV", True, "ddr police elect hum"),
    "UNTAET": ("pko", "TLS", True, "police rol elect hum pol ddr"),
    "UNTSO": ("pko", "ISR", False, "cease cbm"),
    "UNYOM": ("pko", "YEM", False, "cease"),
}

# Missions psdata does not list (special political missions, support offices, two PKOs).
#   acronym: (kind, host, chapter_vii, functions, name, hq, lat, lon, start, end, active, lead, note)
OTHER_MISSIONS = {
    "BINUB": ("spm", "BDI", False, "pol ddr police rol hr",
              "United Nations Integrated Office in Burundi", "Bujumbura",
              "2007-01-01", "2010-12-31", False, "DPPA", "Successor of ONUB; succeeded by BNUB (a distinct office)."),
    "BINUH": ("spm", "HTI", False, "pol elect police rol hr ddr",
              "United Nations Integrated Office in Haiti", "Port-au-Prince",
              "2019-10-16", "", True, "DPPA", "Successor of MINUJUSTH."),
    "BNUB": ("spm", "BDI", False, "pol rol hr elect ddr",
             "United Nations Office in Burundi", "Bujumbura",
             "2011-01-01", "2014-12-31", False, "DPPA", "Successor of BINUB (a distinct office, not a spelling variant)."),
    "BONUCA": ("spm", "CAF", False, "pol ddr hr",
               "United Nations Peacebuilding Support Office in the Central African Republic", "Bangui", "2000-02-15", "2009-12-31", False, "DPPA", "Successor of MINURCA; succeeded by BINUCA (2010)."),
    "LBB": ("other", "ITA", False, "",
            "United Nations Logistics Base at Brindisi", "Brindisi",
            "", "", False, "DOS",
            "Logistics base, not a mission; IPI records personnel there in 1997. Became part of the UN Global "
            "Service Centre (2011) [unverified]; is_active false because the entity under this name no longer exists."),
    "ONUCI": ("pko", "CIV", True, "cease poc ddr elect police rol hr pol hum",
              "United Nations Operation in Côte d'Ivoire (French acronym ONUCI)", "Abidjan",
              "2004-04-04", "2017-06-30", False, "DPO",
              "ALIAS of UNOCI: ONUCI is the French acronym of the same operation. The IPI mission file labels "
              "UNOCI as ONUCI for 2005-05..2006-06 only (no overlapping months); merge ONUCI into UNOCI when analysing."),
    "OSESGY": ("spm", "YEM", False, "pol",
               "Office of the Special Envoy of the Secretary-General for Yemen", "Amman",
               "", "", True, "DPPA",
               "Good-offices office, based in Amman (Jordan); host is the country it works on. Start date not "
               "curated (UN envoys for Yemen since 2011-2012) [unverified]."),
    "OSESyria": ("spm", "SYR", False, "pol",
                 "Office of the Special Envoy of the Secretary-General for Syria", "Geneva",
                 "2012-02-23", "", True, "DPPA",
                 "Good-offices office, based in Geneva; start = appointment of the first (joint UN-Arab League) "
                 "envoy [unverified]."),
    "UNAMA": ("spm", "AFG", False, "pol hr elect hum rol",
              "United Nations Assistance Mission in Afghanistan", "Kabul",
              "2002-03-28", "", True, "DPPA", ""),
    "UNAMET": ("spm", "TLS", False, "elect pol",
               "United Nations Mission in East Timor", "Dili",
               "1999-06-11", "1999-10-25", False, "DPPA",
               "Organised the 1999 popular consultation; succeeded by UNTAET. Lead department as today's "
               "equivalent [unverified]."),
    "UNAMI": ("spm", "IRQ", False, "pol elect hr hum",
              "United Nations Assistance Mission for Iraq", "Baghdad",
              "2003-08-14", "", True, "DPPA",
              "Active at the data's last month (2025-07); the Security Council set its final mandate to end on "
              "31 December 2025 (resolution 2732 (2024)) [unverified]."),
    "UNIOGBIS": ("spm", "GNB", False, "pol elect rol police hr ddr",
                 "United Nations Integrated Peacebuilding Office in Guinea-Bissau", "Bissau",
                 "2010-01-01", "2020-12-31", False, "DPPA", ""),
    "UNIOSIL": ("spm", "SLE", False, "ddr police hr elect pol rol",
                "United Nations Integrated Office in Sierra Leone", "Freetown",
                "2006-01-01", "2008-09-30", False, "DPPA", "Successor of UNAMSIL; succeeded by UNIPSIL."),
    "UNIPSIL": ("spm", "SLE", False, "pol ddr hr elect rol",
                "United Nations Integrated Peacebuilding Office in Sierra Leone", "Freetown",
                "2008-10-01", "2014-03-31", False, "DPPA", ""),
    "UNITAMS": ("spm", "SDN", False, "pol ddr poc rol hr elect",
                "United Nations Integrated Transition Assistance Mission in Sudan", "Khartoum",
                "2020-06-03", "2024-02-29", False, "DPPA",
                "Mandate terminated by resolution 2715 (2023), drawdown completed 29 February 2024 [unverified]; "
                "HQ moved from Khartoum after April 2023."),
    "UNMA": ("spm", "AGO", False, "pol ddr hr",
             "United Nations Mission in Angola", "Luanda",
             "2002-08-15", "2003-02-15", False, "DPPA", "Successor of UNOA."),
    "UNMAO": ("other", "", False, "",
              "UNMAO (not identified; appears once in the fatality file, 2011)", "",
              "", "", False, "",
              "Acronym appears only in the psdata fatality file (one fatality, 2011-08). Probably a UN Mine Action "
              "Office (e.g. the one in Sudan) but not identified [unverified]: no host or dates given."),
    "UNMC": ("spm", "COL", False, "cease cbm ddr",
             "United Nations Mission in Colombia", "Bogotá",
             "2016-01-25", "2017-09-25", False, "DPPA",
             "First Colombia mission (monitoring the ceasefire and laying down of arms); distinct from its "
             "successor UNVMC."),
    "UNMHA": ("spm", "YEM", False, "cease cbm pol",
              "United Nations Mission to support the Hudaydah Agreement", "Hudaydah",
              "2019-01-16", "", True, "DPPA", ""),
    "UNMIN": ("spm", "NPL", False, "cease elect cbm ddr pol",
              "United Nations Mission in Nepal", "Kathmandu",
              "2007-01-23", "2011-01-15", False, "DPPA", ""),
    "UNOA": ("spm", "AGO", False, "pol hr",
             "United Nations Office in Angola", "Luanda",
             "1999-10-15", "2002-08-15", False, "DPPA", "Successor of MONUA; end = start of UNMA (approximate)."),
    "UNOAU": ("spm", "ETH", False, "pol",
              "United Nations Office to the African Union", "Addis Ababa",
              "2010-07-01", "", True, "DPPA",
              "Liaison office to the African Union in Addis Ababa; host is its seat, not a conflict country."),
    "UNOTIL": ("spm", "TLS", False, "police rol hr ddr",
               "United Nations Office in Timor-Leste", "Dili",
               "2005-05-20", "2006-08-25", False, "DPPA", "Successor of UNMISET; succeeded by UNMIT."),
    "UNOWA": ("spm", "SEN", False, "pol",
              "United Nations Office for West Africa", "Dakar",
              "", "2016-01-28", False, "DPPA",
              "Regional office (Dakar) established 2001-2002 [unverified, start not curated]; merged into UNOWAS "
              "in January 2016 [unverified]. The fatality file still labels two later deaths UNOWA."),
    "UNOWAS": ("spm", "SEN", False, "pol hr",
               "United Nations Office for West Africa and the Sahel", "Dakar",
               "2016-01-28", "", True, "DPPA", "Regional office (Dakar); host is its seat."),
    "UNPOS": ("spm", "SOM", False, "pol",
              "United Nations Political Office for Somalia", "Nairobi",
              "1995-04-15", "2013-06-03", False, "DPPA",
              "Based in Nairobi (Kenya) for most of its life; succeeded by UNSOM. The fatality file labels two "
              "2015 deaths UNPOS."),
    "UNSMIL": ("spm", "LBY", False, "pol elect hr rol cease",
               "United Nations Support Mission in Libya", "Tripoli",
               "2011-09-16", "", True, "DPPA", ""),
    "UNSOM": ("spm", "SOM", False, "pol elect hr rol police ddr",
              "United Nations Assistance Mission in Somalia", "Mogadishu",
              "2013-06-03", "2024-10-30", False, "DPPA", "Succeeded by UNTMIS (resolution 2753 (2024)) [unverified]."),
    "UNSOS": ("other", "SOM", False, "",
              "United Nations Support Office in Somalia", "Mogadishu",
              "2015-11-09", "", True, "DOS",
              "Support office, not a mission: logistics for UNSOM/UNTMIS and the AU mission (AMISOM, ATMIS, "
              "AUSSOM); successor of UNSOA (2009)."),
    "UNSecretariat": ("other", "", False, "",
                      "United Nations Secretariat (outside any mission)", "New York",
                      "", "", False, "",
                      "Not a mission: the fatality file's label for Secretariat staff who died outside a field "
                      "mission (1961-2017, e.g. the 1961 Ndola air crash). No host country; is_active not applicable."),
    "UNTAG": ("pko", "NAM", False, "elect cease pol police",
              "United Nations Transition Assistance Group", "Windhoek",
              "1989-04-01", "1990-03-21", False, "DPO",
              "Peacekeeping operation missing from psdata. Some fatalities are dated March 1989, before "
              "deployment began on 1 April 1989 [unverified]."),
    "UNTMIH": ("pko", "HTI", False, "police",
               "United Nations Transition Mission in Haiti", "Port-au-Prince",
               "1997-08-01", "1997-11-30", False, "DPO", "Peacekeeping operation missing from psdata."),
    "UNTMIS": ("spm", "SOM", False, "pol elect hr ddr",
               "United Nations Transitional Assistance Mission in Somalia", "Mogadishu",
               "2024-10-31", "", True, "DPPA", "Successor of UNSOM (resolution 2753 (2024)) [unverified]."),
    "UNVMC": ("spm", "COL", False, "ddr pol rol cbm",
              "United Nations Verification Mission in Colombia", "Bogotá",
              "2017-09-26", "", True, "DPPA",
              "Second Colombia mission (verifying reintegration and security guarantees; also the sanctions of "
              "the Special Jurisdiction for Peace); distinct from UNMC. No ceasefire monitoring: the "
              "Government-ELN ceasefire that S/RES/2694 (2023) asked it to verify lapsed on 3 August 2024 and "
              "was not renewed, so its observers verify the Final Agreement only [unverified]."),
}

# Open missions carry only the tasks they perform now (the model offers Mexico work in them).
POLICE_ADDED = ("Public security and police added: the UN report of July 2025 (UN_country_contributions_2025_07.pdf, "
                "in the shipped monthly file) lists {count} in {mission}.")

# Corrections and additions to psdata rows: field -> value, and a note explaining them.
PSDATA_FIXES = {
    "MINUSMA": ({"is_active": False, "end_date": "2023-12-31"},
                "psdata (2024-02-19) still flags MINUSMA active; the mission closed on 31 December 2023 "
                "(resolution 2690 (2023)). The UN monthly file lists residual personnel until 2024-11 (liquidation)."),
    "MINUSTAH": ({"end_date": "2017-10-15"},
                 "psdata: end 2017-10-01 (month only) and active 'NO' (upper case); closed 15 October 2017 "
                 "(resolution 2350 (2017)) [unverified]."),
    "MINUJUSTH": ({"end_date": "2019-10-15"},
                  "psdata: end 2019-10-01 (month only); mandate ended 15 October 2019 (resolution 2466 (2019)) "
                  "[unverified]; succeeded by BINUH. Chapter VII coded true (resolution 2350 (2017)) [unverified]."),
    "UNOCI": ({"end_date": "2017-06-30"},
              "psdata: end 2017-05-01; mandate ended 30 June 2017 (resolution 2284 (2016)) [unverified]. "
              "Also spelled ONUCI (French acronym), which has its own row."),
    "UNMIL": ({"end_date": "2018-03-30"},
              "psdata: end 2018-03-01 (month only); mandate ended 30 March 2018 (resolution 2333 (2016)) [unverified]."),
    "UNOMIG": ({"end_date": "2009-06-15"},
               "psdata: end 2009-06-01 (month only); mandate lapsed 15 June 2009 [unverified]."),
    "UNMEE": ({"end_date": "2008-07-31", "hq_latitude": 15.33, "hq_longitude": 38.93},
              "psdata: end 2008-07-01; terminated 31 July 2008 (resolution 1827 (2008)) [unverified]. psdata's "
              "HQ latitude (12.18) is not Asmara's; replaced by approximate Asmara coordinates."),
    "UNAMID": ({}, "Closed 31 December 2020; the UN monthly file lists residual personnel (guard unit, "
                   "liquidation) until 2022-01."),
    "MINUGUA": ({"start_date": "1994-11-21", "end_date": "2004-12-31"},
                "psdata's dates (1997-01-01..1997-05-01) are those of the military observer group authorised by "
                "resolution 1094 (1997); the verification mission (General Assembly resolution 48/267) ran "
                "1994-11..2004-12 [unverified] and the IPI/strength files report personnel until 2002-09."),
    "UNSCOB": ({"start_date": "1947-10-21", "kind": "other"},
               "General Assembly subsidiary body (resolution 109 (II), 21 October 1947 [unverified]; psdata has no "
               "start date); listed by psdata among PKOs but not a Security Council peacekeeping operation: kind other."),
    "UNOHCI": ({"lead_department": ""},
               "Humanitarian coordination office, listed by psdata among PKOs without dates (worked 1991-2003 "
               "[unverified]); kind other, no lead department."),
    "UNGCI": ({"lead_department": ""},
              "Guards contingent protecting UN humanitarian staff in Iraq under a memorandum with Iraq; listed by "
              "psdata among PKOs: kind other, no lead department."),
    "UNSMA": ({"lead_department": "DPPA"},
              "General Assembly-mandated political mission listed by psdata among PKOs: kind spm, lead DPPA."),
    "DOMREP": ({"name": "Mission of the Representative of the Secretary-General in the Dominican Republic"},
               "psdata's name is truncated; completed."),
    "UNMOGIP": ({"hq_latitude": 33.7167, "hq_longitude": 73.0667},
                "Deployed on both sides of the Line of Control in Jammu and Kashmir; host coded PAK after the IPI "
                "file (winter HQ Islamabad). psdata's point (33.46N 76.32E) is neither HQ: replaced by Islamabad "
                "(IPI coordinates)."),
    "UNIIMOG": ({"hq_latitude": 35.69, "hq_longitude": 51.39},
                "HQs in Tehran and Baghdad; psdata and IPI give 34.51N 47.93E, which is not Tehran: replaced by "
                "approximate Tehran coordinates. Host IRN after IPI (also deployed in Iraq)."),
    "UNTSO": ({}, "HQ at Government House, Jerusalem; host coded ISR after the IPI file (the status of "
                  "Jerusalem is disputed); observers also in Egypt, Jordan, Lebanon and Syria."),
    "UNMIK": ({}, "Deployed in Kosovo; host coded SRB after the IPI file (resolution 1244 (1999); the UN is "
                  "status-neutral)."),
    "MINURSO": ({}, "Host ESH = Western Sahara, a non-self-governing territory. No electoral assistance: the "
                    "referendum it was set up to organise has never been held and the identification of voters "
                    "has been stalled since 2000; its military observers still monitor the 1991 ceasefire, which "
                    "the Frente POLISARIO declared over in November 2020 [unverified]."),
    "UNISFA": ({}, "Abyei Area, disputed between Sudan and South Sudan; host coded SDN after the IPI file. "
                   + POLICE_ADDED.format(count="54 individual police", mission="UNISFA")),
    "UNFICYP": ({}, POLICE_ADDED.format(count="66 individual police", mission="UNFICYP")),
    "UNMISS": ({}, POLICE_ADDED.format(count="850 formed police and 679 individual police", mission="UNMISS")),
    "UNIKOM": ({}, "Demilitarised zone along the Iraq-Kuwait border; host coded IRQ after the IPI file (HQ Umm Qasr)."),
    "UNCPSG": ({}, "Same operation as UNPSG (UN Civilian Police Support Group, 1998): psdata lists it twice."),
    "UNPSG": ({}, "Same operation as UNCPSG: psdata lists it twice."),
    "UNPROFOR": ({}, "psdata (like the UN) dates it Feb 1992 - Mar 1995, when it was split into UNCRO, UNPREDEP and "
                     "UNPROFOR in Bosnia and Herzegovina under UNPF; that last part kept the name until December "
                     "1995 (IPI reports it to 1995-12) [unverified]."),
    "UNEF": ({}, "Aggregate row in psdata for UNEF I and UNEF II (both also listed)."),
    "UNAVEM": ({}, "Aggregate row in psdata for UNAVEM I and II (both also listed); the IPI and strength files "
                   "use UNAVEM for the whole 1990-1997 period, including UNAVEM III."),
    "UNOSOM": ({}, "Aggregate row in psdata for UNOSOM I and II (both also listed)."),
    "UNFOR": ({}, "psdata lists 'United Nations Force' with no dates; the IPI file has it at Zagreb in Jan-Feb "
                  "1996 (probably the residual UNPF headquarters) [unverified]. Functions and Chapter VII unknown: "
                  "best guess."),
    "UNCRO": ({}, "Chapter VII coded true: resolution 981 (1995) acted under Chapter VII for the force's safety and "
                  "freedom of movement [unverified]."),
    "ONUC": ({}, "Chapter VII was not cited explicitly; coded true because resolution 161 (1961) authorised force "
                 "to prevent civil war [unverified]."),
    "UNIPOM": ({}, "HQs in Lahore (Pakistan) and Amritsar (India); host coded PAK."),
    "UNEF I": ({}, "Deployed on the Egyptian side (Sinai and Gaza, then under Egyptian administration)."),
}

# Approximate coordinates (lat, lon) of every HQ, used to orient the psdata and IPI coordinates
# (both contain swapped pairs) and to fill missing ones. Public gazetteer values, rounded.
HQ_REF = {
    # Same values as psdata/IPI use for these cities, so that filled rows agree with sourced ones.
    "Abidjan": (5.3167, -4.0333), "Luanda": (-8.8383, 13.2344), "Zagreb": (45.8167, 15.9833),
    "Kabul": (34.5333, 69.1667), "Mogadishu": (2.0333, 45.35), "Port-au-Prince": (18.5333, -72.3333),
    "Freetown": (8.4844, -13.2344), "Khartoum": (15.6333, 32.5333), "Dili": (-8.5667, 125.567),
    "Baghdad": (33.3333, 44.4333), "Bujumbura": (-3.3833, 29.3667), "Bangui": (4.3667, 18.5833),
    "Brindisi": (40.6333, 17.9333), "Kathmandu": (27.70, 85.3333),
    # Public gazetteer values, rounded [approximate].
    "Skopje": (42.00, 21.43), "Kabale": (-1.25, 29.99), "Monrovia": (6.31, -10.80),
    "Sukhumi": (43.00, 41.02), "SukhumI": (43.00, 41.02), "Dushanbe": (38.56, 68.79),
    "Cavtat": (42.58, 18.22), "Islamabad": (33.69, 73.05), "Vukovar": (45.35, 19.00),
    "Pristina": (42.66, 21.17), "Sarajevo": (43.86, 18.41), "Asmara": (15.33, 38.93),
    "Abyei": (9.60, 28.43), "Abyei Town": (9.60, 28.43), "Umm Qasr": (30.03, 47.95),
    "Tehran": (35.69, 51.39), "Naqoura": (33.12, 35.14), "Naquora": (33.12, 35.14),
    "Phnom Penh": (11.56, 104.92), "Nicosia": (35.17, 33.36), "Gaza": (31.50, 34.47),
    "Camp Faouar": (33.24, 35.92), "Damascus": (33.51, 36.29), "Kigali": (-1.94, 30.06),
    "Al Fashir": (13.63, 25.35), "El Fasher": (13.63, 25.35), "San Salvador": (13.69, -89.19),
    "Maputo": (-25.97, 32.58), "Tegucigalpa": (14.10, -87.22), "Kinshasa": (-4.32, 15.31),
    "Bamako": (12.64, -8.00), "Laayoune": (27.15, -13.20), "N'Djamena": (12.13, 15.06),
    "Ndjamena": (12.13, 15.06), "Guatemala City": (14.63, -90.51), "Juba": (4.85, 31.58),
    "Jerusalem": (31.77, 35.22), "Athens": (37.98, 23.73), "Santo Domingo": (18.47, -69.89),
    "Lahore and Amritsar": (31.55, 74.34), "Beirut": (33.89, 35.50),
    "Hollandia (Jayapura)": (-2.53, 140.72), "Sana'a": (15.35, 44.21), "Aouzou": (21.82, 17.42),
    "Kabul and Islamabad": (34.53, 69.17), "Bogotá": (4.71, -74.07), "Amman": (31.95, 35.93),
    "Geneva": (46.21, 6.14), "Bissau": (11.86, -15.60), "Hudaydah": (14.80, 42.95),
    "Addis Ababa": (9.03, 38.74), "Dakar": (14.69, -17.45), "Nairobi": (-1.29, 36.82),
    "Tripoli": (32.89, 13.19), "New York": (40.75, -73.97), "Windhoek": (-22.56, 17.08),
}
SOURCE_OVERRIDE = {
    "UNMAO": "acronym found only in the psdata fatality file; description pkoanalysis curation [unverified]",
    "UNSecretariat": "label found only in the psdata fatality file; description pkoanalysis curation [unverified]",
}
# HQ city for psdata missions whose HQ psdata leaves empty [approximate, pkoanalysis curation].
HQ_FILL = {
    "DOMREP": "Santo Domingo", "MINUCI": "Abidjan", "UNASOG": "Aouzou", "UNAVEM III": "Luanda",
    "UNCPSG": "Zagreb", "UNGOMAP": "Kabul and Islamabad", "UNIPOM": "Lahore and Amritsar",
    "UNOGIL": "Beirut", "UNSF": "Hollandia (Jayapura)", "UNTSO": "Jerusalem", "UNYOM": "Sana'a",
}
TOLERANCE = 1.0  # degrees; a source point further than this from HQ_REF is reported


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def orient(lat: float, lon: float, ref: tuple[float, float]) -> tuple[float, float, bool]:
    """(lat, lon, swapped): the reading of the pair that is closer to the reference point."""
    if distance((lon, lat), ref) < distance((lat, lon), ref):
        return lon, lat, True
    return lat, lon, False


def ipi_hq(shared: Path) -> dict[str, dict]:
    """Per IPI mission: host ISO3, HQ name and coordinates (every row oriented, then the mode)."""
    ipm = read(shared, "ipi_mission_month_totals_1990_2014.csv")
    out = {}
    for mission, rows in ipm.groupby("Mission"):
        host = rows["Country of Mission ISO-3"].mode().iat[0]
        hq = rows["Mission HQ"].mode().iat[0]
        points, swapped = [], 0
        for a, b in rows[["Mission HQ Longitude", "Mission HQ Latitude"]].itertuples(index=False):
            if "NA" in (a, b) or "" in (a, b):
                continue
            # Column "Longitude" is read as the latitude first (the usual swap), then checked.
            lat, lon, flipped = orient(float(a), float(b), HQ_REF[hq])
            swapped += not flipped
            points.append((round(lat, 4), round(lon, 4)))
        point = pd.Series(points).mode().iat[0] if points else None
        out[mission] = {"host": host, "hq": hq, "point": point, "rows": len(rows),
                        "swapped_rows": swapped, "rows_with_point": len(points)}
    return out


def tokens(spec: str) -> str:
    return "|".join(F[t] for t in spec.split())


def fmt(x) -> str:
    if x is None or x == "":
        return ""
    return f"{float(x):.4f}".rstrip("0").rstrip(".")


def build_missions(shared: Path) -> tuple[pd.DataFrame, list[str]]:
    log = []
    ps = read(shared, "psdata_DPPADPOSS-PKO_missions.csv")
    ipi = ipi_hq(shared)
    swapped_ipi = sum(v["swapped_rows"] for v in ipi.values())
    with_point = sum(v["rows_with_point"] for v in ipi.values())
    log.append(f"IPI mission file: {swapped_ipi} of {with_point} rows with coordinates have longitude/latitude "
               f"swapped (all but {with_point - swapped_ipi})")
    rows = []
    for r in ps.itertuples(index=False):
        acr = r.mission_acronym
        kind, host, ch7, funcs = PSDATA_CURATION[acr]
        host_source = "curation"
        if acr in ipi:
            host, host_source = ipi[acr]["host"], "IPI"
        row = {
            "acronym": acr, "name": r.mission_name.strip(), "kind": kind, "host_iso3": host,
            "hq_location": r.mission_location.strip(), "hq_latitude": "", "hq_longitude": "",
            "start_date": r.start_date, "end_date": r.end_date,
            "is_active": r.mission_isactive.strip().lower() == "yes",
            "lead_department": r.lead_department if kind == "pko" else "",
            "functions": tokens(funcs), "chapter_vii": ch7, "source": "", "notes": "",
        }
        notes, coord_source, hq_filled = [], "psdata", False
        if r.mission_latitude and r.mission_longitude:
            lat = float(r.mission_latitude.replace(",", "."))
            lon = float(r.mission_longitude.replace(",", "."))
            ref = HQ_REF[row["hq_location"].split(" (")[0]]
            lat, lon, flipped = orient(lat, lon, ref)
            if flipped:
                notes.append("psdata gives this HQ's longitude and latitude swapped; corrected.")
            row["hq_latitude"], row["hq_longitude"] = lat, lon
        elif acr in HQ_FILL:
            city = HQ_FILL[acr]
            hq_filled = not row["hq_location"]
            row["hq_location"] = row["hq_location"] or city
            row["hq_latitude"], row["hq_longitude"] = HQ_REF[city]
            coord_source = "curation (approximate)"
        fix, note = PSDATA_FIXES.get(acr, ({}, ""))
        for key, value in fix.items():
            row[key] = value
            if key.startswith("hq_"):
                coord_source = "curation (approximate)" if acr != "UNMOGIP" else "IPI"
        if note:
            notes.append(note)
        facts = "name, dates" + ("" if hq_filled else ", HQ") + (", coordinates" if coord_source == "psdata" else "")
        source = f"psdata DPPADPOSS-PKO {r.last_update} ({facts})"
        if host_source == "IPI":
            source += "; host: IPI mission file"
        if coord_source != "psdata":
            source += f"; {'HQ and ' if hq_filled else ''}coordinates: {coord_source}"
        source += "; kind, functions, Chapter VII" + ("" if host_source == "IPI" else ", host")
        source += ", corrections in notes: pkoanalysis curation [unverified]"
        row["source"], row["notes"] = source, " ".join(notes)
        rows.append(row)

    for acr, spec in OTHER_MISSIONS.items():
        kind, host, ch7, funcs, name, hq, start, end, active, lead, note = spec
        lat, lon = HQ_REF.get(hq, (None, None))
        source = SOURCE_OVERRIDE.get(acr, "pkoanalysis curation from public UN mission pages and mandates [unverified]")
        if acr in ipi:
            info = ipi[acr]
            if info["host"] and info["host"] != "NA":
                host = info["host"]
            if info["point"] is not None:
                lat, lon = info["point"]
                hq = info["hq"] or hq
                source = ("host, HQ and coordinates (oriented) from IPI mission file; the rest pkoanalysis "
                          "curation from public UN mission pages and mandates [unverified]")
            else:
                source = "host from IPI mission file; the rest pkoanalysis curation from public UN mission pages [unverified]"
        rows.append({
            "acronym": acr, "name": name, "kind": kind, "host_iso3": host, "hq_location": hq,
            "hq_latitude": lat if lat is not None else "", "hq_longitude": lon if lon is not None else "",
            "start_date": start, "end_date": end, "is_active": active, "lead_department": lead,
            "functions": tokens(funcs) if funcs else "", "chapter_vii": ch7, "source": source, "notes": note,
        })

    missions = pd.DataFrame(rows)
    # Sanity: every coordinate close to its HQ reference; report the rest.
    for r in missions.itertuples(index=False):
        if r.hq_latitude == "" or r.hq_location.split(" (")[0] not in HQ_REF:
            continue
        d = distance((float(r.hq_latitude), float(r.hq_longitude)), HQ_REF[r.hq_location.split(" (")[0]])
        if d > TOLERANCE:
            log.append(f"coordinates of {r.acronym} are {d:.1f} degrees from {r.hq_location}")
    missions["hq_latitude"] = missions["hq_latitude"].map(fmt)
    missions["hq_longitude"] = missions["hq_longitude"].map(fmt)
    for col in ("is_active", "chapter_vii"):
        missions[col] = missions[col].map(lambda b: "true" if b else "false")
    missions = missions.sort_values("acronym", key=lambda s: s.str.upper()).reset_index(drop=True)
    return missions, log


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder with the UN seed files")
    args = parser.parse_args()
    shared = args.shared
    CURATED.mkdir(parents=True, exist_ok=True)

    written = copy_un(shared)
    status = "rewritten: " + ", ".join(written) if written else "none rewritten: all already identical"
    print(f"data/un: {len(UN_FILES)} gzip copies + SOURCES.md ({status})")

    functions = build_functions()
    functions.to_csv(CURATED / "functions.csv", index=False)
    print(f"functions.csv: {len(functions)} rows")

    missions, log = build_missions(shared)
    countries, resolved, warnings = build_countries(shared, set(missions["host_iso3"]) - {""})
    countries.to_csv(CURATED / "countries.csv", index=False)
    missions.to_csv(CURATED / "missions.csv", index=False)
    print(f"countries.csv: {len(countries)} rows; missions.csv: {len(missions)} rows")
    for line in log + warnings:
        print("  note:", line)
    loose = [f"{k} -> {v}" for k, v in sorted(resolved.items()) if "exact" not in v]
    if loose:
        print("  names placed by country_converter (check):", "; ".join(loose))

    check = subprocess.run([sys.executable, str(TOOLS / "check_catalogues.py"), "--shared", str(shared)])
    sys.exit(check.returncode)


if __name__ == "__main__":
    main()
