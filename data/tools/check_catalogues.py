"""Check the shipped data folder: every country name/code and mission acronym resolves.

A development tool (pandas + standard library only, so the app's venv can run it):

    .venv/bin/python data/tools/check_catalogues.py [--shared /work/shared/data/un]

Reads only data/un/*.csv.gz and data/curated/*.csv. Exits 1 and lists every failure if:
* a country code in the shipped files is not a row of countries.csv, or a country name string is
  not exactly one row's name_en or alias (case-insensitive, after stripping whitespace and
  trailing apostrophes, as missions.importers.normalise_name does), or resolves to a row other
  than the ISO3 code printed beside it;
* a mission acronym in the shipped files is not a row of missions.csv, or missions.csv breaks
  its own rules (kinds, codes, dates, booleans, coordinates, field lengths);
* functions.csv is not exactly the ten agreed codes;
* with --shared (default /work/shared/data/un, skipped if absent): a gzip copy does not
  decompress to the source byte for byte, or data/un/SOURCES.md differs.
Informational lines (not failures) list data months that fall outside a mission's dates.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1]
UN = DATA / "un"
CURATED = DATA / "curated"

UN_FILES = [
    "un_uniformed_contributions_monthly_2015_2025.csv",
    "ipi_country_month_totals_1990_2014.csv",
    "ipi_mission_month_totals_1990_2014.csv",
    "psdata_DPPADPOSS-PKO_missions.csv",
    "psdata_DPPADPOSS-FATALITIES.csv",
    "mission_month_authorized_vs_deployed_1990_2015.csv",
]
FUNCTION_CODES = [
    "ceasefire_monitoring", "public_security_police", "humanitarian_relief", "political_process",
    "confidence_building", "electoral_assistance", "rule_of_law", "peacebuilding_ddr",
    "protection_of_civilians", "human_rights",
]
COUNTRY_COLUMNS = ["iso3", "name_en", "name_es", "region", "subregion", "aliases"]
MISSION_COLUMNS = [
    "acronym", "name", "kind", "host_iso3", "hq_location", "hq_latitude", "hq_longitude",
    "start_date", "end_date", "is_active", "lead_department", "functions", "chapter_vii",
    "source", "notes",
]
REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania"}
UNMAPPED_NAMES = {"", "zz [undetermined]"}  # fatality nationalities that name no country
ACTIVE_2025_07 = {  # peacekeeping operations running in July 2025
    "MONUSCO", "UNMISS", "UNIFIL", "UNFICYP", "UNDOF", "UNTSO", "UNMOGIP", "MINURSO", "UNISFA",
    "UNMIK", "MINUSCA",
}
LENGTHS = {"name": 200, "hq_location": 100, "lead_department": 20, "source": 300, "acronym": 20}

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)


def norm(name: str) -> str:
    return name.strip().rstrip("'").strip().lower()


def shipped(name: str) -> pd.DataFrame:
    raw = gzip.decompress((UN / f"{name}.gz").read_bytes())
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)


def check_copies(shared: Path) -> None:
    for name in UN_FILES:
        if gzip.decompress((UN / f"{name}.gz").read_bytes()) != (shared / name).read_bytes():
            fail(f"data/un/{name}.gz does not decompress to {shared / name}")
    if (UN / "SOURCES.md").read_bytes() != (shared / "SOURCES.md").read_bytes():
        fail("data/un/SOURCES.md differs from the shared SOURCES.md")


def check_countries(countries: pd.DataFrame, files: dict[str, pd.DataFrame]) -> int:
    if list(countries.columns) != COUNTRY_COLUMNS:
        fail(f"countries.csv header is {list(countries.columns)}")
    codes = set(countries["iso3"])
    if len(codes) != len(countries):
        fail("countries.csv repeats an iso3 code")
    for r in countries.itertuples(index=False):
        if not (len(r.iso3) == 3 and r.iso3.isalpha() and r.iso3.isupper()):
            fail(f"countries.csv: {r.iso3!r} is not three capital letters")
        if r.region not in REGIONS:
            fail(f"countries.csv: {r.iso3} region {r.region!r}")
        if not (r.name_en and r.name_es and r.subregion):
            fail(f"countries.csv: {r.iso3} has an empty name or subregion")
    lookup: dict[str, set[str]] = {}
    for iso3, name, aliases in countries[["iso3", "name_en", "aliases"]].itertuples(index=False):
        for spelling in [name, *filter(None, aliases.split("|"))]:
            lookup.setdefault(norm(spelling), set()).add(iso3)
    for key, rows in lookup.items():
        if len(rows) > 1:
            fail(f"countries.csv: {key!r} names several rows {sorted(rows)}")

    # (file, column, name, ISO3 printed beside it or '') for every name string; every code alone.
    names: set[tuple[str, str, str, str]] = set()
    code_uses: set[tuple[str, str, str]] = set()
    un = files["un_uniformed_contributions_monthly_2015_2025.csv"]
    for col in ("contributing_country", "country_name_in_pdf"):
        names |= {("un_monthly", col, n, c) for n, c in un[[col, "isocode3"]].drop_duplicates().itertuples(index=False)}
    code_uses |= {("un_monthly", "isocode3", c) for c in un["isocode3"].unique()}
    ipc = files["ipi_country_month_totals_1990_2014.csv"]
    names |= {("ipi_country", "Contributor", n, "") for n in ipc["Contributor"].unique()}
    ipm = files["ipi_mission_month_totals_1990_2014.csv"]
    pair = ipm[["Country of Mission", "Country of Mission ISO-3"]].drop_duplicates()
    names |= {("ipi_mission", "Country of Mission", n, c) for n, c in pair.itertuples(index=False)}
    code_uses |= {("ipi_mission", "Country of Mission ISO-3", c) for c in pair["Country of Mission ISO-3"]}
    fat = files["psdata_DPPADPOSS-FATALITIES.csv"]
    pair = fat[["casualty_nationality", "isocode3"]].drop_duplicates()
    names |= {("fatalities", "casualty_nationality", n, c) for n, c in pair.itertuples(index=False)}
    code_uses |= {("fatalities", "isocode3", c) for c in pair["isocode3"] if c}

    for file, col, code in sorted(code_uses):
        if code not in codes:
            fail(f"{file} {col}: code {code!r} is not in countries.csv")
    unmapped = set()
    for file, col, name, code in sorted(names):
        key = norm(name)
        if key in UNMAPPED_NAMES and file == "fatalities" and not code:
            unmapped.add(name)
            continue
        rows = lookup.get(key, set())
        if len(rows) != 1:
            fail(f"{file} {col}: {name!r} resolves to {sorted(rows) or 'nothing'}")
        elif code and code not in rows:
            fail(f"{file} {col}: {name!r} resolves to {sorted(rows)} but the file says {code}")
    print(f"countries: {len(countries)} rows; {len(names)} (file, column, name, code) strings and "
          f"{len(code_uses)} code uses checked; left unmapped on purpose: {sorted(unmapped)}")
    return len(names)


def check_functions(functions: pd.DataFrame) -> None:
    if list(functions.columns) != ["code", "name_en", "name_es", "description_en", "source", "order"]:
        fail(f"functions.csv header is {list(functions.columns)}")
    if list(functions["code"]) != FUNCTION_CODES:
        fail(f"functions.csv codes are {list(functions['code'])}")
    if list(functions["order"]) != [str(i) for i in range(1, len(FUNCTION_CODES) + 1)]:
        fail("functions.csv order is not 1..10")
    if (functions[["name_en", "name_es", "description_en", "source"]] == "").any().any():
        fail("functions.csv has an empty cell")


def check_missions(missions: pd.DataFrame, countries: pd.DataFrame, files: dict[str, pd.DataFrame]) -> None:
    if list(missions.columns) != MISSION_COLUMNS:
        fail(f"missions.csv header is {list(missions.columns)}")
    acronyms = set(missions["acronym"])
    if len(acronyms) != len(missions):
        fail("missions.csv repeats an acronym")
    wanted = {
        "psdata PKO mission_acronym": set(files["psdata_DPPADPOSS-PKO_missions.csv"]["mission_acronym"]),
        "UN monthly mission_acronym": set(files["un_uniformed_contributions_monthly_2015_2025.csv"]["mission_acronym"]) - {""},
        "IPI mission Mission": set(files["ipi_mission_month_totals_1990_2014.csv"]["Mission"]),
        "authorised-vs-deployed mission": set(files["mission_month_authorized_vs_deployed_1990_2015.csv"]["mission"]),
        "fatalities mission_acronym": set(files["psdata_DPPADPOSS-FATALITIES.csv"]["mission_acronym"]),
    }
    for where, found in wanted.items():
        for acronym in sorted(found - acronyms):
            fail(f"{where}: {acronym!r} is not in missions.csv")
    everything = set().union(*wanted.values())
    extra = acronyms - everything
    if extra:
        fail(f"missions.csv has acronyms found in no file: {sorted(extra)}")

    codes = set(countries["iso3"])
    for r in missions.itertuples(index=False):
        where = f"missions.csv {r.acronym}"
        if r.kind not in {"pko", "spm", "other"}:
            fail(f"{where}: kind {r.kind!r}")
        if r.host_iso3 and r.host_iso3 not in codes:
            fail(f"{where}: host {r.host_iso3!r} not in countries.csv")
        funcs = [f for f in r.functions.split("|") if f]
        if any(f not in FUNCTION_CODES for f in funcs) or len(set(funcs)) != len(funcs):
            fail(f"{where}: functions {r.functions!r}")
        if r.kind in {"pko", "spm"} and not funcs:
            fail(f"{where}: a {r.kind} needs at least one function")
        for col in ("is_active", "chapter_vii"):
            if getattr(r, col) not in {"true", "false"}:
                fail(f"{where}: {col} {getattr(r, col)!r}")
        dates = {}
        for col in ("start_date", "end_date"):
            value = getattr(r, col)
            if value:
                try:
                    dates[col] = pd.Timestamp(value)
                    assert len(value) == 10
                except (ValueError, AssertionError):
                    fail(f"{where}: {col} {value!r} is not YYYY-MM-DD")
        if len(dates) == 2 and dates["end_date"] < dates["start_date"]:
            fail(f"{where}: end_date before start_date")
        if r.is_active == "true" and r.end_date and r.end_date < "2025-07-31":
            fail(f"{where}: active but ended {r.end_date}")
        if r.kind == "pko" and (r.is_active == "true") != (r.acronym in ACTIVE_2025_07):
            fail(f"{where}: is_active {r.is_active} disagrees with the July 2025 list of active PKOs")
        if bool(r.hq_latitude) != bool(r.hq_longitude):
            fail(f"{where}: only one coordinate")
        if r.hq_latitude:
            lat, lon = float(r.hq_latitude), float(r.hq_longitude)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                fail(f"{where}: coordinates out of range")
        if r.lead_department not in {"", "DPO", "DPPA", "DOS"}:
            fail(f"{where}: lead_department {r.lead_department!r}")
        for col, limit in LENGTHS.items():
            if len(getattr(r, col)) > limit:
                fail(f"{where}: {col} longer than {limit}")
        if not r.source:
            fail(f"{where}: empty source")
    print(f"missions: {len(missions)} rows; all {len(everything)} acronyms in the five files present")


def report_activity(missions: pd.DataFrame, files: dict[str, pd.DataFrame]) -> None:
    """Informational: months with data outside a mission's start..end dates."""
    seen = []
    un = files["un_uniformed_contributions_monthly_2015_2025.csv"]
    seen.append(un.loc[un["mission_acronym"] != "", ["mission_acronym", "report_date"]].set_axis(["m", "d"], axis=1))
    ipm = files["ipi_mission_month_totals_1990_2014.csv"]
    seen.append(ipm[["Mission", "Date"]].set_axis(["m", "d"], axis=1))
    fat = files["psdata_DPPADPOSS-FATALITIES.csv"]
    seen.append(fat[["mission_acronym", "incident_date"]].set_axis(["m", "d"], axis=1))
    data = pd.concat(seen)
    data["month"] = data["d"].str[:7]
    span = data.groupby("m")["month"].agg(["min", "max"])
    for r in missions.itertuples(index=False):
        if r.acronym not in span.index:
            continue
        first, last = span.loc[r.acronym]
        if r.start_date and first < r.start_date[:7]:
            print(f"  info: {r.acronym} has data from {first}, before its start {r.start_date}")
        if r.end_date and last > r.end_date[:7]:
            print(f"  info: {r.acronym} has data until {last}, after its end {r.end_date}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/data/un"))
    args = parser.parse_args()
    if (args.shared / UN_FILES[0]).exists():
        check_copies(args.shared)
        print(f"data/un: gzip copies and SOURCES.md compared with {args.shared}")
    else:
        print(f"data/un: {args.shared} not found, byte comparison skipped")
    files = {name: shipped(name) for name in UN_FILES}
    read = lambda name: pd.read_csv(CURATED / name, dtype=str, keep_default_na=False)  # noqa: E731
    countries, functions, missions = read("countries.csv"), read("functions.csv"), read("missions.csv")
    check_countries(countries, files)
    check_functions(functions)
    check_missions(missions, countries, files)
    report_activity(missions, files)
    for message in failures:
        print("FAIL:", message)
    print("check_catalogues:", "FAILED" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
