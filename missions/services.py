"""Writes for the missions app: loading the shipped UN data in one transaction."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db import connection, transaction
from django.db.models import F

from missions import council_files, importers, mission_names
from missions import decisions as council
from missions.council_models import MandateDecision, MissionCut
from missions.history import record_loaded_state
from missions.models import (
    Country,
    DataFile,
    DataRelease,
    Deployment,
    Fatality,
    MandateFunction,
    Mission,
    MissionStrength,
)

UN_MONTHLY = "un_uniformed_contributions_monthly_2015_2025"
IPI_TOTALS = "ipi_country_month_totals_1990_2014"
STRENGTH = "mission_month_authorized_vs_deployed_1990_2015"
FATALITIES = "psdata_DPPADPOSS-FATALITIES"
REFRESH_REASON = "overwritten from the shipped file (import_un_data --refresh-catalogues)"


@dataclass
class LoadReport:
    lines: list[str] = field(default_factory=list)
    changed: bool = False

    def say(self, line: str) -> None:
        self.lines.append(line)


def load_un_data(directory: Path, *, un_monthly: Path | None = None,
                 refresh_catalogues: bool = False) -> LoadReport:
    """Parse every shipped file, then write what changed in one transaction.

    directory holds `curated/` (countries, functions, missions, un_repeated_rows, and where present
    mandate_decisions, un_cuts and the Spanish texts mandate_decisions_es, mission_names_es and
    mission_notes_es) and `un/`
    (the UN and IPI files, plain or .gz). `un_monthly` replaces the shipped UN monthly file
    with a newer one of the same format. Raises importers.DataFileError before writing anything.
    """
    curated, un = directory / "curated", directory / "un"
    countries = importers.parse_countries(importers.find_file(curated, "countries"))
    functions = importers.parse_functions(importers.find_file(curated, "functions"))
    country_codes = set(countries.frame["iso3"]) | set(Country.objects.values_list("iso3", flat=True))
    function_codes = set(functions.frame["code"]) | set(MandateFunction.objects.values_list("code", flat=True))
    missions = importers.parse_missions(importers.find_file(curated, "missions"), country_codes, function_codes)
    mission_codes = set(missions.frame["acronym"]) | set(Mission.objects.values_list("acronym", flat=True))
    names = importers.country_lookup(countries.frame)
    repeats = importers.parse_repeats(importers.find_file(curated, "un_repeated_rows"))
    summaries_es_file = council_files.optional(curated, "mandate_decisions_es")
    summaries_es = council_files.parse_summaries_es(summaries_es_file, mission_codes) if summaries_es_file else None
    names_es_file = council_files.optional(curated, mission_names.NAMES.stem)
    names_es = mission_names.parse(names_es_file, mission_codes) if names_es_file else None
    notes_es_file = council_files.optional(curated, mission_names.NOTES.stem)
    notes_es = mission_names.parse(notes_es_file, mission_codes, mission_names.NOTES) if notes_es_file else None
    decisions_file = council_files.optional(curated, "mandate_decisions")
    cuts_file = council_files.optional(curated, "un_cuts")
    council_rows = (
        council_files.parse_decisions(decisions_file, mission_codes, function_codes) if decisions_file else None,
        council_files.parse_cuts(cuts_file, mission_codes) if cuts_file else None,
    )

    # A file whose digest the database already holds is not parsed again (write_dataset would
    # keep its rows anyway): a second bin/run reads the files once instead of parsing them.
    loaded = dict(DataFile.objects.values_list("dataset", "sha256"))

    def parse(dataset: str, path: Path, parser, *args) -> importers.Parsed:
        sha = importers.file_sha256(path)
        return importers.Parsed(dataset, path, sha, None) if loaded.get(dataset) == sha else parser(path, *args)

    data = [
        parse("un_monthly", un_monthly or importers.find_file(un, UN_MONTHLY), importers.parse_un_monthly,
              mission_codes, country_codes, repeats),
        parse("ipi_country_totals", importers.find_file(un, IPI_TOTALS), importers.parse_ipi_country_totals, names),
        parse("strength", importers.find_file(un, STRENGTH), importers.parse_strength, mission_codes),
        parse("fatalities", importers.find_file(un, FATALITIES), importers.parse_fatalities, mission_codes,
              country_codes, names),
    ]

    report = LoadReport()
    with transaction.atomic():
        write_catalogues(countries, functions, missions, refresh_catalogues, report)
        write_council(*council_rows, refresh_catalogues, report)
        write_summaries_es(summaries_es, refresh_catalogues, report)
        write_names_es(names_es, refresh_catalogues, report)
        write_notes_es(notes_es, refresh_catalogues, report)
        for parsed in data:
            # A curator's applied release stays until they roll it back (or a file is given here).
            write_dataset(parsed, report, keep_release=not (un_monthly and parsed.dataset == "un_monthly"))
        # Bulk writes leave no history: record each curated row as loaded, so a curator's first
        # edit is compared with it (the admin's history shows old -> new for that edit alone).
        record_loaded_state([Country, MandateFunction, Mission, MandateDecision, MissionCut])
    return report


def write_catalogues(countries, functions, missions, refresh: bool, report: LoadReport) -> None:
    """Create what is missing; keep curators' edits unless asked to refresh from the files."""
    created, refreshed = upsert(Country, "iso3", [
        {"iso3": r.iso3, "name_en": r.name_en, "name_es": r.name_es, "region": r.region,
         "subregion": r.subregion, "aliases": "\n".join(filter(None, r.aliases.split("|")))}
        for r in countries.frame.itertuples(index=False)
    ], refresh)
    report.say(counted("countries", len(countries.frame), created, refreshed, refresh))
    report.changed |= bool(created or refreshed)

    created, refreshed = upsert(MandateFunction, "code", [
        {"code": r.code, "name_en": r.name_en, "name_es": r.name_es,
         "description": r.description_en, "source": r.source, "order": r.order}
        for r in functions.frame.itertuples(index=False)
    ], refresh)
    report.say(counted("mandate functions", len(functions.frame), created, refreshed, refresh))
    report.changed |= bool(created or refreshed)

    country_ids = dict(Country.objects.values_list("iso3", "id"))
    # Where the Council's decisions are curated they decide status, end and tasks
    # (missions.decisions): the file does not overwrite those.
    decided = {m.acronym: m for m in Mission.objects.filter(decisions__isnull=False).distinct()}
    rows = []
    for r in missions.frame.itertuples(index=False):
        status = ((decided[r.acronym].is_active, decided[r.acronym].end_date) if r.acronym in decided
                  else (r.is_active, none_if_nat(r.end_date)))
        rows.append({
            "acronym": r.acronym, "name": r.name, "kind": r.kind,
            "host_country_id": country_ids.get(r.host_iso3), "hq_location": r.hq_location,
            "hq_latitude": none_if_nan(r.hq_latitude), "hq_longitude": none_if_nan(r.hq_longitude),
            "start_date": none_if_nat(r.start_date), "end_date": status[1],
            "is_active": status[0], "lead_department": r.lead_department,
            "chapter_vii": r.chapter_vii, "source": r.source, "notes": r.notes,
        })
    # Tasks are set for missions this run creates, and with refresh for those whose tasks differ
    # from the file (each overwritten mission gets a history row and a new version).
    function_ids = dict(MandateFunction.objects.values_list("code", "id"))
    wanted = {r.acronym: {function_ids[code] for code in filter(None, r.functions.split("|"))}
              for r in missions.frame.itertuples(index=False)}
    now: dict[str, set[int]] = {}
    for acronym, function_id in Mission.functions.through.objects.values_list("mission__acronym", "mandatefunction_id"):
        now.setdefault(acronym, set()).add(function_id)
    existing = set(Mission.objects.values_list("acronym", flat=True))
    wanted.update({a: now.get(a, set()) for a in decided})
    retasked = {a for a in existing & set(wanted) if now.get(a, set()) != wanted[a]} if refresh else set()
    set_functions(retasked, wanted)  # before the missions' history rows are written
    created, refreshed = upsert(Mission, "acronym", rows, refresh, force=retasked)
    report.say(counted("missions", len(rows), created, refreshed, refresh))
    report.changed |= bool(created or refreshed)
    if retasked:
        report.say(f"missions' tasks overwritten from the file: {', '.join(sorted(retasked))}")
    set_functions(set(wanted) - existing, wanted)


def write_summaries_es(parsed, refresh: bool, report: LoadReport) -> None:
    """The Security Council decisions' summaries in Spanish (missions.decisions.write_summaries_es)."""
    if parsed is None:
        return
    written, skipped = council.write_summaries_es(parsed.frame, refresh)
    report.say(f"decisions' Spanish summaries: {written} written, {skipped} naming no decision held here, "
               f"{len(parsed.frame) - written - skipped} already there")
    report.changed |= bool(written)


def write_names_es(parsed, refresh: bool, report: LoadReport) -> None:
    """The missions' official Spanish names (missions.mission_names.NAMES)."""
    write_texts_es(mission_names.NAMES, parsed, refresh, report)


def write_notes_es(parsed, refresh: bool, report: LoadReport) -> None:
    """The curators' notes on missions in Spanish (missions.mission_names.NOTES)."""
    write_texts_es(mission_names.NOTES, parsed, refresh, report)


def write_texts_es(text: mission_names.SpanishText, parsed, refresh: bool, report: LoadReport) -> None:
    """One file of the missions' Spanish texts into its field: empty ones filled, a curator's kept
    unless refresh; each written mission's version goes up (an edit form opened before is
    refused) and load_un_data records its history."""
    if parsed is None:
        return
    current = dict(Mission.objects.values_list("acronym", text.field))
    todo = mission_names.changes(parsed.frame, current, refresh, text.field)
    for acronym, value in todo.items():
        Mission.objects.filter(acronym=acronym).update(**{text.field: value}, version=F("version") + 1)
    label = f"missions' {text.what}s"
    report.say(f"{label}: {len(todo)} written, {len(parsed.frame) - len(todo)} already there "
               f"(or kept as a curator left them)" if not refresh else
               f"{label}: {len(todo)} written from the file")
    report.changed |= bool(todo)


def write_council(decisions, cuts, refresh: bool, report: LoadReport) -> None:
    """The curated Security Council decisions and UN cuts; then every mission with decisions
    takes its status, end and tasks from them (missions.decisions)."""
    for parsed, write, what in ((decisions, council.write_decisions, "Security Council decisions"),
                                (cuts, council.write_cuts, "UN cuts")):
        if parsed is None:
            continue
        created, refreshed = write(parsed.frame, refresh)
        report.say(counted(what, len(parsed.frame), created, refreshed, refresh))
        report.changed |= bool(created or refreshed)
    moved = council.apply_decisions()
    if moved:
        report.say(f"missions whose status, end or tasks follow a newer decision: {', '.join(moved)}")
        report.changed = True


def set_functions(acronyms: set[str], wanted: dict[str, set[int]]) -> None:
    if not acronyms:
        return
    mission_ids = dict(Mission.objects.filter(acronym__in=acronyms).values_list("acronym", "id"))
    through = Mission.functions.through
    through.objects.filter(mission_id__in=mission_ids.values()).delete()
    through.objects.bulk_create([through(mission_id=mission_ids[a], mandatefunction_id=f)
                                 for a in sorted(acronyms) for f in sorted(wanted[a])])


def upsert(model, key: str, rows: list[dict], refresh: bool, force: set = frozenset()) -> tuple[int, int]:
    """Insert rows whose key is new; with refresh, overwrite the others where the file differs
    (or whose key is in force), each with a history row and a new version, so a curator's
    edit form opened before is refused and the data's vintage moves. Returns (created, overwritten)."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    new = [model(**row) for row in rows if row[key] not in existing]
    model.objects.bulk_create(new)
    changed = []
    if refresh:
        for row in rows:
            obj = existing.get(row[key])
            if obj is not None and (row[key] in force or any(getattr(obj, n) != v for n, v in row.items())):
                for name, value in row.items():
                    setattr(obj, name, value)
                obj.version += 1
                changed.append(obj)
        if changed:
            model.objects.bulk_update(changed, [f for f in rows[0] if f != key] + ["version"], batch_size=500)
            record_loaded_state([model], REFRESH_REASON, pks=[obj.pk for obj in changed])  # with their tasks
    return len(new), len(changed)


def counted(what: str, total: int, created: int, refreshed: int, refresh: bool) -> str:
    if not refresh:
        return f"{what}: {created} created, {total - created} already present"
    return (f"{what}: {created} created, {refreshed} overwritten from the file, "
            f"{total - created - refreshed} already as in the file")


def none_if_nan(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def none_if_nat(value):
    return None if pd.isna(value) else value.date()


# --- the large data sets: replace a data set's rows when its file changed ----------------

def write_dataset(parsed: importers.Parsed, report: LoadReport, *, keep_release: bool = False) -> None:
    previous = DataFile.objects.filter(dataset=parsed.dataset).first()
    if previous and previous.sha256 == parsed.sha256:
        report.say(f"{parsed.dataset}: unchanged ({previous.rows} rows from {previous.filename})")
        return
    if keep_release and previous and DataRelease.objects.filter(
            dataset=parsed.dataset, status=DataRelease.Status.APPLIED, sha256=previous.sha256).exists():
        report.say(f"{parsed.dataset}: kept the release a curator applied ({previous.rows} rows from "
                   f"{previous.filename}); roll it back in the admin to return to the shipped file")
        return
    model, columns, frame = table_for(parsed)
    delete_rows(model, parsed.dataset)
    copy_rows(model, columns, frame)
    months = frame["month"] if "month" in frame else frame.get("incident_date")
    DataFile.objects.update_or_create(dataset=parsed.dataset, defaults={
        "filename": parsed.path.name, "sha256": parsed.sha256, "rows": len(frame),
        "first_month": months.min() if months is not None else None,
        "last_month": months.max() if months is not None else None,
    })
    report.changed = True
    verb = "replaced" if previous else "loaded"
    report.say(f"{parsed.dataset}: {verb} {len(frame)} rows from {parsed.path.name}")
    for note in parsed.notes:
        report.say(f"  note: {note}")


def table_for(parsed: importers.Parsed) -> tuple[type, list[str], pd.DataFrame]:
    """Map codes to ids and pick the table and column order to write."""
    frame = parsed.frame.copy()
    country_ids = dict(Country.objects.values_list("iso3", "id"))
    mission_ids = dict(Mission.objects.values_list("acronym", "id"))
    if parsed.dataset in ("un_monthly", "ipi_country_totals"):
        frame["mission_id"] = frame["mission"].map(mission_ids).astype("Int64")
        frame["country_id"] = frame["country"].map(country_ids).astype("Int64")
        columns = ["month", "mission_id", "country_id", "personnel_type", "male", "female", "total", "source"]
        return Deployment, columns, frame
    if parsed.dataset == "strength":
        frame["mission_id"] = frame["mission"].map(mission_ids).astype("Int64")
        columns = ["mission_id", "month", *importers.STRENGTH_COLUMNS.values()]
        return MissionStrength, columns, frame
    frame["mission_id"] = frame["mission"].map(mission_ids).astype("Int64")
    frame["nationality_id"] = frame["nationality"].map(country_ids).astype("Int64")
    columns = [
        "source_id", "casualty_id", "incident_date", "mission_id", "nationality_id",
        "nationality_name", "gender", "personnel_type", "incident_type",
    ]
    return Fatality, columns, frame


def delete_rows(model, dataset: str) -> None:
    # Raw SQL: a queryset delete would write a history row per deleted record.
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if model is Deployment:
            source = "un" if dataset == "un_monthly" else "ipi"
            cursor.execute(f"DELETE FROM {table} WHERE source = %s", [source])  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def copy_rows(model, columns: list[str], frame: pd.DataFrame) -> None:
    """COPY on PostgreSQL, batched executemany elsewhere (SQLite)."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        frame[columns].to_csv(buffer, index=False, header=False, na_rep="\\N", float_format="%.10g")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
        return
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    rows = [tuple(int(v) if isinstance(v, float) and v.is_integer() else v for v in row)
            for row in values.itertuples(index=False)]
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                rows[start:start + 5000],
            )

