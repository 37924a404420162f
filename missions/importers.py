"""UN data files -> validated pandas DataFrames. Pure parsing: no Django, no database.

Every check that fails raises `DataFileError` naming the file, the line (1 = header) and the
column, so an operator can open the file and fix it. Nothing here writes anything; the load
service (`missions.services.load`) writes only after every file parsed cleanly.

Files may be plain `.csv` or gzip-compressed `.csv.gz`. Records are one per line (none of the
sources quotes a line break), so line = row index + 2.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PERSONNEL_TYPES_UN = {
    "Troops": "troops",
    "Staff Officer": "staff_officers",
    "Experts on Mission": "experts",
    "Individual Police": "individual_police",
    "Formed Police Units": "formed_police",
}
IPI_TYPES = {"Troops": "troops", "Police": "police", "Experts": "experts"}
KINDS = {"pko", "spm", "other"}
ACRONYM_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 .-]*$"  # as missions.models (this module imports no Django)
TRUE_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": False}


class DataFileError(Exception):
    def __init__(self, path: Path | str, line: int | None, column: str | None, message: str):
        self.path, self.line, self.column, self.message = str(path), line, column, message
        where = Path(path).name
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Parsed:
    """One parsed file: the rows to load and what the operator should be told about them."""

    dataset: str
    path: Path
    sha256: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()


def find_file(directory: Path, stem: str) -> Path:
    """The `.csv` or `.csv.gz` called `stem` in `directory` (the plain file wins)."""
    for candidate in (directory / f"{stem}.csv", directory / f"{stem}.csv.gz"):
        if candidate.exists():
            return candidate
    raise DataFileError(directory / f"{stem}.csv", None, None, "file not found (.csv or .csv.gz)")


def file_sha256(path: Path) -> str:
    """Digest of the decompressed content, so recompressing a file changes nothing. A file that
    cannot be read (a damaged gzip, say) is a DataFileError, as it is when parsed."""
    import zlib

    digest = hashlib.sha256()
    try:
        digest.update(read_bytes(path))
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFileError(path, None, None, f"cannot read file: {exc}") from exc
    return digest.hexdigest()


def read_bytes(path: Path) -> bytes:
    import gzip

    raw = path.read_bytes()
    return gzip.decompress(raw) if path.suffix == ".gz" else raw


def read_table(path: Path, required: list[str]) -> pd.DataFrame:
    """All columns as stripped strings ('' for missing); fails on a missing required column."""
    import io
    import zlib

    try:
        text = read_bytes(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, EOFError, zlib.error) as exc:
        raise DataFileError(path, None, None, f"cannot read file: {exc}") from exc
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
            skipinitialspace=False, on_bad_lines="error",
        )
    except pd.errors.ParserError as exc:
        raise DataFileError(path, None, None, f"not a well-formed CSV file: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise DataFileError(path, 1, None, "the file is empty") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataFileError(
            path, 1, missing[0],
            f"wrong header: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}",
        )
    frame = frame[required].apply(lambda col: col.str.strip())
    return frame.reset_index(drop=True)


def fail_at(path: Path, frame_index: int, column: str, message: str) -> DataFileError:
    return DataFileError(path, int(frame_index) + 2, column, message)


def to_count(path: Path, frame: pd.DataFrame, column: str, *, allow_empty: bool,
             whole: bool = True) -> pd.Series:
    """Non-negative whole numbers ('12', '12.0'); empty -> NaN where allowed.
    With whole=False, decimals are accepted and rounded to the nearest unit."""
    text = frame[column]
    cleaned = text.replace({"NA": "", "NaN": "", "nan": ""}) if allow_empty else text
    numbers = pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce")
    empty = cleaned == ""
    bad = numbers.isna() & ~empty if allow_empty else numbers.isna()
    if bad.any():
        i = bad.idxmax()
        raise fail_at(path, i, column, f"{text[i]!r} is not a number")
    fractional = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
    if not whole:
        numbers = numbers.round()
    elif fractional.any():
        i = fractional.idxmax()
        raise fail_at(path, i, column, f"{text[i]!r} is not a whole number")
    negative = numbers < 0
    if negative.any():
        i = negative.idxmax()
        raise fail_at(path, i, column, f"{text[i]!r} is negative")
    return numbers


def to_date(path: Path, frame: pd.DataFrame, column: str, *, allow_empty: bool = False) -> pd.Series:
    text = frame[column]
    dates = pd.to_datetime(text.where(text != "", None), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna() & ((text != "") | (not allow_empty))
    if bad.any():
        i = bad.idxmax()
        raise fail_at(path, i, column, f"{text[i]!r} is not a date (YYYY-MM-DD)")
    return dates


def to_float(path: Path, frame: pd.DataFrame, column: str, low: float, high: float) -> pd.Series:
    """Optional decimal number in [low, high]; accepts a comma decimal separator (psdata)."""
    text = frame[column].str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text.where(text != "", None), errors="coerce")
    bad = (numbers.isna() & (text != "")) | (numbers < low) | (numbers > high)
    if bad.any():
        i = bad.idxmax()
        raise fail_at(path, i, column, f"{frame[column][i]!r} is not a number in [{low}, {high}]")
    return numbers


def to_bool(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    lowered = frame[column].str.lower()
    bad = ~lowered.isin(TRUE_WORDS)
    if bad.any():
        i = bad.idxmax()
        raise fail_at(path, i, column, f"{frame[column][i]!r} is not true/false")
    return lowered.map(TRUE_WORDS).astype(bool)


def check_known(path: Path, frame: pd.DataFrame, column: str, known: set[str], what: str,
                values: pd.Series | None = None) -> None:
    values = frame[column] if values is None else values
    unknown = ~values.isin(known)
    if unknown.any():
        i = unknown.idxmax()
        raise fail_at(path, i, column, f"unknown {what} {frame[column][i]!r}")


def check_unique(path: Path, frame: pd.DataFrame, key: list[str], column: str) -> None:
    repeated = frame.duplicated(key, keep="first")
    if repeated.any():
        i = repeated.idxmax()
        first = frame.index[(frame[key] == frame.loc[i, key]).all(axis=1)][0]
        raise fail_at(
            path, i, column,
            f"duplicated row: same {' / '.join(key)} as line {first + 2}",
        )


# --- curated catalogues -------------------------------------------------------------------

def parse_countries(path: Path) -> Parsed:
    columns = ["iso3", "name_en", "name_es", "region", "subregion", "aliases"]
    frame = read_table(path, columns)
    bad = ~frame["iso3"].str.fullmatch(r"[A-Z]{3}")
    if bad.any():
        raise fail_at(path, bad.idxmax(), "iso3", f"{frame['iso3'][bad.idxmax()]!r} is not an ISO3 code")
    empty = frame["name_en"] == ""
    if empty.any():
        raise fail_at(path, empty.idxmax(), "name_en", "a country needs a name")
    check_unique(path, frame, ["iso3"], "iso3")
    return Parsed("countries", path, file_sha256(path), frame)


def country_lookup(countries: pd.DataFrame) -> dict[str, str]:
    """Lower-cased name or alias -> ISO3, for sources that name contributors in words."""
    lookup: dict[str, str] = {}
    for iso3, name, aliases in countries[["iso3", "name_en", "aliases"]].itertuples(index=False):
        for spelling in [name, iso3, *aliases.split("|")]:
            key = normalise_name(spelling)
            if key:
                lookup.setdefault(key, iso3)
    return lookup


def normalise_name(name: str) -> str:
    return name.strip().rstrip("'").strip().lower()


def parse_functions(path: Path) -> Parsed:
    frame = read_table(path, ["code", "name_en", "name_es", "description_en", "source", "order"])
    bad = ~frame["code"].str.fullmatch(r"[a-z0-9_]+")
    if bad.any():
        raise fail_at(path, bad.idxmax(), "code", f"{frame['code'][bad.idxmax()]!r} is not a code")
    check_unique(path, frame, ["code"], "code")
    frame["order"] = to_count(path, frame, "order", allow_empty=False).astype(int)
    return Parsed("functions", path, file_sha256(path), frame)


def parse_missions(path: Path, country_codes: set[str], function_codes: set[str]) -> Parsed:
    columns = [
        "acronym", "name", "kind", "host_iso3", "hq_location", "hq_latitude", "hq_longitude",
        "start_date", "end_date", "is_active", "lead_department", "functions", "chapter_vii",
        "source", "notes",
    ]
    frame = read_table(path, columns)
    empty = frame["acronym"] == ""
    if empty.any():
        raise fail_at(path, empty.idxmax(), "acronym", "a mission needs an acronym")
    bad = ~frame["acronym"].str.fullmatch(ACRONYM_PATTERN.strip("^$"))
    if bad.any():
        raise fail_at(path, bad.idxmax(), "acronym",
                      f"{frame['acronym'][bad.idxmax()]!r} is not an acronym (letters, digits, spaces, dots, hyphens)")
    check_unique(path, frame, ["acronym"], "acronym")
    check_known(path, frame, "kind", KINDS, "mission kind")
    check_known(path, frame, "host_iso3", country_codes | {""}, "host country code")
    for i, codes in frame["functions"].items():
        for code in filter(None, codes.split("|")):
            if code not in function_codes:
                raise fail_at(path, i, "functions", f"unknown function code {code!r}")
    frame["hq_latitude"] = to_float(path, frame, "hq_latitude", -90, 90)
    frame["hq_longitude"] = to_float(path, frame, "hq_longitude", -180, 180)
    frame["start_date"] = to_date(path, frame, "start_date", allow_empty=True)
    frame["end_date"] = to_date(path, frame, "end_date", allow_empty=True)
    backwards = frame["end_date"] < frame["start_date"]
    if backwards.any():
        raise fail_at(path, backwards.idxmax(), "end_date", "the end date is before the start date")
    frame["is_active"] = to_bool(path, frame, "is_active")
    frame["chapter_vii"] = to_bool(path, frame, "chapter_vii")
    return Parsed("missions", path, file_sha256(path), frame)


# --- deployments --------------------------------------------------------------------------

UN_MONTHLY_COLUMNS = [
    "report_date", "mission_acronym", "isocode3", "personnel_type",
    "male_personnel", "female_personnel", "total_personnel",
]
DEPLOYMENT_COLUMNS = ["month", "mission", "country", "personnel_type", "male", "female", "total", "source"]


def parse_un_monthly(path: Path, mission_codes: set[str], country_codes: set[str],
                     repeats: set[tuple[str, str, str, str]] = frozenset()) -> Parsed:
    """The UN monthly contributions file (2015 onwards) -> deployment rows.

    Rows that repeat a key (month, mission, country, type) are an error, except: an all-zero
    row beside a real one is a PDF artefact and is dropped; a key listed in `repeats` (the PDF
    really prints that contributor twice in the mission) is summed.
    """
    frame = read_table(path, UN_MONTHLY_COLUMNS)
    dates = to_date(path, frame, "report_date")
    check_known(path, frame, "mission_acronym", mission_codes | {""}, "mission")
    check_known(path, frame, "isocode3", country_codes, "country code")
    check_known(path, frame, "personnel_type", set(PERSONNEL_TYPES_UN), "personnel type")
    male = to_count(path, frame, "male_personnel", allow_empty=True)
    female = to_count(path, frame, "female_personnel", allow_empty=True)
    total = to_count(path, frame, "total_personnel", allow_empty=False)
    one_sex_missing = male.isna() != female.isna()
    if one_sex_missing.any():
        i = one_sex_missing.idxmax()
        col = "male_personnel" if male.isna()[i] else "female_personnel"
        raise fail_at(path, i, col, "male and female must both be given or both be empty")
    mismatch = male.notna() & (male + female != total)
    if mismatch.any():
        i = mismatch.idxmax()
        raise fail_at(path, i, "total_personnel",
                      f"male + female = {int(male[i] + female[i])} but total is {int(total[i])}")
    rows = pd.DataFrame({
        "month": dates.dt.to_period("M").dt.to_timestamp().dt.date,
        "mission": frame["mission_acronym"],
        "country": frame["isocode3"],
        "personnel_type": frame["personnel_type"].map(PERSONNEL_TYPES_UN),
        "male": male, "female": female, "total": total,
    })
    rows, notes = merge_repeats(path, rows, repeats)
    rows["source"] = "un"
    return Parsed("un_monthly", path, file_sha256(path), rows[DEPLOYMENT_COLUMNS], tuple(notes))


def merge_repeats(path: Path, rows: pd.DataFrame,
                  repeats: set[tuple[str, str, str, str]]) -> tuple[pd.DataFrame, list[str]]:
    key = ["month", "mission", "country", "personnel_type"]
    clash = rows.duplicated(key, keep=False)
    if not clash.any():
        return rows, []
    notes = []
    zero = rows["total"] == 0
    all_zero = zero.groupby([rows[k] for k in key], sort=False).transform("all")
    first_of_key = ~rows.duplicated(key, keep="first")
    # An all-zero row beside a real one is an artefact of the PDF layout; keep one row per key.
    drop = clash & zero & ~(all_zero & first_of_key)
    if drop.any():
        notes.append(f"{int(drop.sum())} all-zero rows beside another row of the same key dropped")
    rows = rows[~drop]
    repeated = rows.duplicated(key, keep="first")
    if repeated.any():
        # Only a repeated row needs to be in the curated list: look those up, not every row.
        listed = pd.Series(False, index=rows.index)
        listed[repeated] = [tuple(map(str, r)) in repeats for r in rows.loc[repeated, key].itertuples(index=False)]
        unlisted = repeated & ~listed
        if unlisted.any():
            i = unlisted.idxmax()
            first = rows.index[(rows[key] == rows.loc[i, key]).all(axis=1)][0]
            raise fail_at(path, i, "personnel_type",
                          f"duplicated row: same month / mission / country / personnel type as line {first + 2}")
        clash = rows.duplicated(key, keep=False)
        summed = rows[clash].groupby(key, sort=False)[["male", "female", "total"]].sum(min_count=1)
        notes.append(f"{len(summed)} keys printed more than once in the PDF summed (see the repeats file)")
        rows = pd.concat([rows[~clash], summed.reset_index()], ignore_index=True)
    return rows, notes


def parse_repeats(path: Path) -> set[tuple[str, str, str, str]]:
    """The curated list of keys that a UN PDF legitimately prints more than once."""
    frame = read_table(path, ["month", "mission", "isocode3", "personnel_type"])
    check_known(path, frame, "personnel_type", set(PERSONNEL_TYPES_UN), "personnel type")
    months = to_date(path, frame.assign(month=frame["month"] + "-01"), "month")
    return {
        (str(m.date()), mission, iso3, PERSONNEL_TYPES_UN[ptype])
        for m, mission, iso3, ptype in zip(months, frame["mission"], frame["isocode3"],
                                           frame["personnel_type"], strict=True)
    }


def parse_ipi_country_totals(path: Path, names: dict[str, str]) -> Parsed:
    """IPI country-month totals 1990-2014 -> deployment rows without a mission."""
    frame = read_table(path, ["Contributor", "Date", *IPI_TYPES])
    iso3 = frame["Contributor"].map(normalise_name).map(names)
    if iso3.isna().any():
        i = iso3.isna().idxmax()
        raise fail_at(path, i, "Contributor", f"unknown country {frame['Contributor'][i]!r}")
    dates = to_date(path, frame, "Date")
    check_unique(path, frame.assign(Contributor=iso3), ["Contributor", "Date"], "Date")
    parts = []
    for column, ptype in IPI_TYPES.items():
        counts = to_count(path, frame, column, allow_empty=True)
        present = counts.notna()
        parts.append(pd.DataFrame({
            "month": dates[present].dt.to_period("M").dt.to_timestamp().dt.date,
            "mission": "",
            "country": iso3[present],
            "personnel_type": ptype,
            "male": np.nan, "female": np.nan,
            "total": counts[present],
        }))
    rows = pd.concat(parts, ignore_index=True)
    rows["source"] = "ipi"
    notes = ["IPI totals have no mission breakdown and no split by sex; police not split by kind"]
    return Parsed("ipi_country_totals", path, file_sha256(path), rows[DEPLOYMENT_COLUMNS], tuple(notes))


# --- strength and fatalities ---------------------------------------------------------------

STRENGTH_COLUMNS = {
    "authtroop": "authorised_troops", "authpolice": "authorised_police",
    "authmilobs": "authorised_observers", "troop": "troops", "police": "police", "milobs": "observers",
}


def parse_strength(path: Path, mission_codes: set[str]) -> Parsed:
    frame = read_table(path, ["mission", "year", "month", *STRENGTH_COLUMNS])
    check_known(path, frame, "mission", mission_codes, "mission")
    year = to_count(path, frame, "year", allow_empty=False)
    month = to_count(path, frame, "month", allow_empty=False)
    bad = (month < 1) | (month > 12) | (year < 1945) | (year > 2100)
    if bad.any():
        raise fail_at(path, bad.idxmax(), "month", "not a valid year and month")
    rows = pd.DataFrame({
        "mission": frame["mission"],
        "month": pd.to_datetime({"year": year, "month": month, "day": 1}).dt.date,
    })
    for source, target in STRENGTH_COLUMNS.items():
        # The research file averages some months, so a few counts carry decimals: rounded.
        rows[target] = to_count(path, frame, source, allow_empty=True, whole=False)
    check_unique(path, rows, ["mission", "month"], "month")
    return Parsed("strength", path, file_sha256(path), rows)


def parse_fatalities(path: Path, mission_codes: set[str], country_codes: set[str],
                     names: dict[str, str]) -> Parsed:
    frame = read_table(path, [
        "id", "incident_date", "casualty_id", "mission_acronym", "gender", "casualty_nationality",
        "casualty_personnel_type", "type_of_incident", "isocode3",
    ])
    ids = to_count(path, frame, "id", allow_empty=False)
    check_unique(path, frame, ["id"], "id")
    dates = to_date(path, frame, "incident_date")
    check_known(path, frame, "mission_acronym", mission_codes, "mission")
    # Some rows lack the ISO code but name the country; resolve those through the aliases.
    by_name = frame["casualty_nationality"].map(normalise_name).map(names)
    iso3 = frame["isocode3"].where(frame["isocode3"] != "", by_name).fillna("")
    check_known(path, frame, "isocode3", country_codes | {""}, "country code", values=iso3)
    rows = pd.DataFrame({
        "source_id": ids.astype("int64"),
        "casualty_id": frame["casualty_id"],
        "incident_date": dates.dt.date,
        "mission": frame["mission_acronym"],
        "nationality": iso3,
        "nationality_name": frame["casualty_nationality"],
        "gender": frame["gender"],
        "personnel_type": frame["casualty_personnel_type"],
        "incident_type": frame["type_of_incident"],
    })
    unresolved = int((iso3 == "").sum())
    notes = [f"{unresolved} fatalities with an undetermined nationality kept without a country"] if unresolved else []
    return Parsed("fatalities", path, file_sha256(path), rows, tuple(notes))
