"""A newer UN release uploaded by a curator: check the file, preview what it changes, apply it in
one transaction, roll it back.

The file is parsed by the same importers as `import_un_data` (missions.importers), so it passes
the same checks. The preview compares it, row by row, with what the database holds now. Applying
replaces the data set's rows (missions.services.write_dataset) after saving those rows in the
release (`snapshot`), so a rollback puts them back exactly.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missions import decompression, importers, monthly_pdf, services
from missions.models import ACRONYM_PATTERN, Country, DataFile, DataRelease, Deployment, Fatality, Mission
from pkoanalysis import names

LIST_CAP = 200  # rows listed per kind of difference (all are counted)


@dataclass(frozen=True)
class Spec:
    stem: str                # the shipped file's name, without .csv(.gz)
    required: list[str]      # columns the importer reads
    key: list[str]           # what identifies a row
    values: list[str]        # what a correction changes
    period: str              # the date column months are read from
    mission_column: str
    country_column: str


SPECS = {
    "un_monthly": Spec(services.UN_MONTHLY, [
        "report_date", "mission_acronym", "isocode3", "personnel_type",
        "male_personnel", "female_personnel", "total_personnel"],
        ["month", "mission", "country", "personnel_type"], ["male", "female", "total"], "month",
        "mission_acronym", "isocode3"),
    "fatalities": Spec(services.FATALITIES, [
        "id", "incident_date", "casualty_id", "mission_acronym", "gender", "casualty_nationality",
        "casualty_personnel_type", "type_of_incident", "isocode3"],
        ["source_id"], ["casualty_id", "incident_date", "mission", "nationality", "nationality_name", "gender",
                        "personnel_type", "incident_type"], "incident_date", "mission_acronym", "isocode3"),
}
CREATE = "+create"


class UploadError(Exception):
    """The uploaded file cannot be taken at all (size, type, format); str() says why."""


def max_bytes() -> int:
    return int(settings.PKO_RELEASE_MAX_MB * 1024 * 1024)


def max_unpacked_bytes() -> int:
    return int(settings.PKO_RELEASE_MAX_UNPACKED_MB * 1024 * 1024)


# --- receiving the file ----------------------------------------------------------------------

def check_upload(dataset: str, name: str, raw: bytes) -> bytes:
    """The decompressed content of an acceptable upload, or UploadError saying what is wrong."""
    if len(raw) > max_bytes():
        raise UploadError(_("The file is %(size).1f MB; at most %(max)s MB is accepted.")
                          % {"size": len(raw) / 1e6, "max": settings.PKO_RELEASE_MAX_MB})
    lowered = name.lower()
    if lowered.endswith(".pdf") or monthly_pdf.is_pdf(raw):
        return pdf_upload(dataset, name, raw)
    if not (lowered.endswith(".csv") or lowered.endswith(".csv.gz")):
        raise UploadError(_("Upload a .csv file (or a gzip-compressed .csv.gz), or the UN's monthly report "
                            "as a PDF, as the UN publishes it."))
    text = raw
    if lowered.endswith(".gz") or raw[:2] == b"\x1f\x8b":
        try:  # inflated in chunks and refused at the limit: a small bomb never fills the memory
            text = decompression.gunzip(raw, max_unpacked_bytes())
        except decompression.TooLargeError as exc:
            raise UploadError(_("The file decompresses to more than %(max)s MB.")
                              % {"max": f"{settings.PKO_RELEASE_MAX_UNPACKED_MB:g}"}) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise UploadError(_("The file is not a readable gzip file: %(error)s") % {"error": exc}) from exc
    try:
        header = text[:65536].decode("utf-8-sig", errors="strict").splitlines()[0] if text else ""
    except UnicodeDecodeError as exc:
        raise UploadError(_("The file is not UTF-8 text (a spreadsheet or a PDF?): %(error)s") % {"error": exc}) from exc
    except IndexError:
        header = ""
    columns = {c.strip().strip('"') for c in header.split(",")}
    wanted = SPECS[dataset].required
    if not set(wanted) <= columns:
        other = [str(DataRelease.Dataset(d).label) for d, s in SPECS.items() if d != dataset and set(s.required) <= columns]
        if other:
            raise UploadError(_("This is a file of another data set (%(other)s), not %(dataset)s.")
                              % {"other": other[0], "dataset": DataRelease.Dataset(dataset).label})
        missing = [c for c in wanted if c not in columns]
        raise UploadError(_("This is not a %(dataset)s file: line 1 lacks the column(s) %(missing)s.")
                          % {"dataset": DataRelease.Dataset(dataset).label, "missing": ", ".join(missing)})
    return text


def pdf_upload(dataset: str, name: str, raw: bytes) -> bytes:
    """The UN's monthly report as published (PDF) -> the whole data set as CSV, with the report's
    month added or replaced and every other month as the database holds it now; so the preview
    shows what the month changes, and applying it keeps the rest of the series."""
    if dataset != "un_monthly":
        raise UploadError(_("A PDF is accepted only for the UN monthly contributions (the UN's report "
                            "\"Contribution of Uniformed Personnel to UN by Mission, Country, and Personnel Type\")."))
    try:
        report = monthly_pdf.parse_report(raw)
    except monthly_pdf.PdfReportError as exc:
        raise UploadError(_("This PDF cannot be read as the UN's monthly report of uniformed personnel: "
                            "%(error)s") % {"error": exc}) from exc
    month = monthly_pdf.to_frame(report, country_names(), Path(name).name[:200])
    return monthly_pdf.merge_month(current_csv(), month).to_csv(index=False, lineterminator="\n").encode()


def country_names() -> dict[str, str]:
    """Lower-cased country name or alias -> ISO3, from the countries the database holds."""
    countries = pd.DataFrame(list(Country.objects.values("iso3", "name_en", "aliases")),
                             columns=["iso3", "name_en", "aliases"])
    return importers.country_lookup(countries.assign(aliases=countries["aliases"].str.replace("\n", "|")))


def current_csv() -> pd.DataFrame:
    """The UN monthly rows the database holds, in the UN file's columns (dates as the month's first day)."""
    frame = as_text(current_frame("un_monthly"))
    labels = {code: label for label, code in importers.PERSONNEL_TYPES_UN.items()}
    return pd.DataFrame({
        "report_date": frame["month"], "mission_acronym": frame["mission"], "isocode3": frame["country"],
        "personnel_type": frame["personnel_type"].map(labels), "male_personnel": frame["male"],
        "female_personnel": frame["female"], "total_personnel": frame["total"],
    })


def receive(dataset: str, name: str, raw: bytes, user, text: bytes | None = None) -> DataRelease:
    """Store an upload; `text` is check_upload's result when the caller already has it."""
    text = check_upload(dataset, name, raw) if text is None else text
    return DataRelease.objects.create(
        dataset=dataset, filename=Path(name).name[:200], content=gzip.compress(text, 6), size=len(raw),
        sha256=hashlib.sha256(text).hexdigest(), uploaded_by=user)


# --- the preview -------------------------------------------------------------------------------

def known_codes() -> tuple[set[str], set[str]]:
    return (set(Mission.objects.values_list("acronym", flat=True)),
            set(Country.objects.values_list("iso3", flat=True)))


def mapped_file(release: DataRelease, directory: Path) -> Path:
    """The uploaded content as a file, with the curator's mapping of unknown names applied
    (one record per line, so every line keeps its number)."""
    spec = SPECS[release.dataset]
    text = gzip.decompress(bytes(release.content))
    path = directory / (Path(release.filename).name.removesuffix(".gz") or "upload.csv")
    if not path.name.endswith(".csv"):
        path = path.with_suffix(".csv")
    renames = {column: {code: target for code, target in release.mapping.get(kind, {}).items()
                        if target and target != CREATE}
               for kind, column in (("missions", spec.mission_column), ("countries", spec.country_column))}
    if any(renames.values()):
        frame = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False, na_filter=False)
        for column, rename in renames.items():
            frame[column] = frame[column].replace(rename)
        text = frame.to_csv(index=False, lineterminator="\n").encode()
    path.write_bytes(text)
    return path


def unknown_names(path: Path, spec: Spec, missions: set[str], countries: set[str]) -> dict[str, list[dict]]:
    """Codes the file uses that the database does not know, with their first line, row count and
    why it cannot be created as it is ("problem": too long, foreign letters, looks like a known one)."""
    frame = importers.read_table(path, spec.required)
    found = {}
    for kind, column, known in (("missions", spec.mission_column, missions | {""}),
                                ("countries", spec.country_column, countries | {""})):
        values = frame[column]
        unknown = values[~values.isin(known)]
        found[kind] = [{"code": code, "line": int(unknown.index[unknown == code][0]) + 2,
                        "rows": int((unknown == code).sum()), "problem": creation_problem(kind, code, known)}
                       for code in sorted(unknown.unique())]
    return found


def creation_problem(kind: str, code: str, known: set[str]) -> str:
    """Why `code` cannot become a new mission or country ('' if it can): what the database and the
    admin would refuse (length, characters), or a look-alike of a known code (issue 25 F8)."""
    if kind == "countries":
        return "" if re.fullmatch(r"[A-Z]{3}", code) else _("an ISO3 code is three capital letters A-Z")
    limit = Mission._meta.get_field("acronym").max_length
    if len(code) > limit:
        return _("an acronym has at most %(max)s characters; this one has %(n)s") % {"max": limit, "n": len(code)}
    hidden = names.invisible_characters(code)
    if hidden:
        return _("%(chars)s is not allowed in an acronym") % {"chars": ", ".join(hidden)}
    twin = names.lookalike(code, known - {""})
    if twin:
        return _("it looks like %(known)s, which this site has: map it to %(known)s if it is that mission") % {
            "known": twin}
    foreign = names.foreign_characters(code)
    if foreign or not re.fullmatch(ACRONYM_PATTERN, code):
        return _("%(chars)s is not allowed in an acronym (Latin letters, digits, spaces, dots, hyphens)") % {
            "chars": ", ".join(foreign) or repr(code[:1])}
    return ""


def creation_errors(release: DataRelease, creating: dict[str, list[str]]) -> list[dict]:
    """The preview's errors for the names the curator chose to create that Apply would refuse."""
    missions, countries = known_codes()
    spec = SPECS[release.dataset]
    errors = []
    for kind, column, known in (("missions", spec.mission_column, missions), ("countries", spec.country_column, countries)):
        for code in creating.get(kind, []):
            problem = creation_problem(kind, code, known | set(creating[kind]) - {code})
            if problem:
                errors.append({"file": release.filename, "line": None, "column": column,
                               "message": _("%(code)s cannot be created: %(problem)s.") % {"code": names.shown(code),
                                                                                         "problem": problem}})
    return errors


def check_fits(path: Path, parsed: importers.Parsed) -> None:
    """DataFileError for a value the database would refuse on Apply: text longer than its column,
    a NUL character (PostgreSQL refuses it), a whole number past its column's range."""
    model = Deployment if parsed.dataset == "un_monthly" else Fatality
    frame = parsed.frame
    for field in model._meta.concrete_fields:
        if field.name not in frame.columns:
            continue
        values = frame[field.name]
        if isinstance(field, models.CharField):
            text = values.astype(str)
            nul = text.str.contains("\x00", regex=False)
            if nul.any():
                raise importers.fail_at(path, nul.idxmax(), field.name, _("a NUL character is not text"))
            long = text.str.len() > field.max_length
            if long.any():
                i = long.idxmax()
                raise importers.fail_at(path, i, field.name, _("%(n)s characters; at most %(max)s fit") % {
                    "n": len(text[i]), "max": field.max_length})
        elif isinstance(field, models.IntegerField) and not isinstance(field, models.BigIntegerField):
            big = pd.to_numeric(values, errors="coerce") > 2**31 - 1
            if big.any():
                raise importers.fail_at(path, big.idxmax(), field.name, _("%(v)s is too large a number") % {
                    "v": values[big.idxmax()]})


def parse(release: DataRelease, path: Path, extra_missions=(), extra_countries=()) -> importers.Parsed:
    missions, countries = known_codes()
    missions |= set(extra_missions)
    countries |= set(extra_countries)
    curated = settings.PKO_DATA_DIR / "curated"
    if release.dataset == "un_monthly":
        repeats = importers.parse_repeats(importers.find_file(curated, "un_repeated_rows"))
        return importers.parse_un_monthly(path, missions, countries, repeats)
    return importers.parse_fatalities(path, missions, countries, country_names())


def current_frame(dataset: str) -> pd.DataFrame:
    """What the database holds now, in the importer's row format."""
    if dataset == "un_monthly":
        rows = Deployment.objects.filter(source="un").values_list(
            "month", "mission__acronym", "country__iso3", "personnel_type", "male", "female", "total")
        frame = pd.DataFrame(list(rows), columns=["month", "mission", "country", "personnel_type",
                                                  "male", "female", "total"])
        frame["mission"] = frame["mission"].fillna("")
        frame["source"] = "un"
        return frame[importers.DEPLOYMENT_COLUMNS]
    rows = Fatality.objects.values_list("source_id", "casualty_id", "incident_date", "mission__acronym",
                                        "nationality__iso3", "nationality_name", "gender", "personnel_type",
                                        "incident_type")
    frame = pd.DataFrame(list(rows), columns=["source_id", "casualty_id", "incident_date", "mission",
                                              "nationality", "nationality_name", "gender", "personnel_type",
                                              "incident_type"])
    frame["nationality"] = frame["nationality"].fillna("")
    return frame


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as comparable text: whole numbers without '.0', missing as ''."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values):
            values = values.astype("Float64").round().astype("Int64")
        out[column] = [("" if pd.isna(v) else str(v)) for v in values]
    return out


def month_of(series: pd.Series) -> pd.Series:
    return series.str.slice(0, 7)


def difference(spec: Spec, old: pd.DataFrame, new: pd.DataFrame) -> dict:
    """Months added and removed; rows changed (old and new values), added and removed."""
    columns = spec.key + spec.values
    old, new = as_text(old[columns]), as_text(new[columns])
    merged = old.merge(new, on=spec.key, how="outer", suffixes=("_old", "_new"), indicator=True)
    old_months, new_months = set(month_of(old[spec.period])), set(month_of(new[spec.period]))
    months_added = sorted(new_months - old_months)
    both = merged[merged["_merge"] == "both"]
    differs = pd.Series(False, index=both.index)
    for value in spec.values:
        differs |= both[f"{value}_old"] != both[f"{value}_new"]
    changed = both[differs]
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    period = spec.period if spec.period in spec.key else f"{spec.period}_new"
    in_new_months = month_of(added[period]).isin(months_added)

    def listing(rows: pd.DataFrame, side: str | None) -> list[dict]:
        out = []
        for _index, row in rows.head(LIST_CAP).iterrows():
            item = {"key": {k: row[k] for k in spec.key}}
            if side in (None, "old"):
                item["old"] = {v: row[f"{v}_old"] for v in spec.values}
            if side in (None, "new"):
                item["new"] = {v: row[f"{v}_new"] for v in spec.values}
            out.append(item)
        return out

    totals = {}
    if "total" in spec.values:
        new_rows = new[month_of(new[spec.period]).isin(months_added)]
        totals = {m: int(pd.to_numeric(part["total"]).sum()) for m, part in new_rows.groupby(month_of(new_rows[spec.period]))}
    return {
        "months_added": months_added, "months_removed": sorted(old_months - new_months), "month_totals": totals,
        "rows_in_new_months": int(in_new_months.sum()),
        "changed_count": len(changed), "changed": listing(changed, None),
        "added_count": int((~in_new_months).sum()), "added": listing(added[~in_new_months], "new"),
        "removed_count": len(removed), "removed": listing(removed, "old"),
        "rows_before": len(old), "rows_after": len(new),
        "first_month": min(new_months, default=""), "last_month": max(new_months, default=""),
    }


def preview(release_id: int, progress=lambda percent: None) -> str:
    """Parse the upload and store what applying it would change. Writes only the release row."""
    release = DataRelease.objects.get(pk=release_id)
    if release.status not in (DataRelease.Status.UPLOADED, DataRelease.Status.PARSING,
                              DataRelease.Status.PREVIEWED, DataRelease.Status.FAILED):
        return release.status

    def step(percent: int, status=DataRelease.Status.PARSING) -> None:
        DataRelease.objects.filter(pk=release.pk).update(progress=percent, status=status)
        progress(percent)

    step(5)
    spec = SPECS[release.dataset]
    base = DataFile.objects.filter(dataset=release.dataset).values_list("sha256", flat=True).first() or ""
    result: dict = {"errors": [], "notes": [], "unknown": {"missions": [], "countries": []}}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = mapped_file(release, Path(tmp))
            step(15)
            missions, countries = known_codes()
            unknown = unknown_names(path, spec, missions, countries)
            creating = {kind: [c for c, target in release.mapping.get(kind, {}).items() if target == CREATE]
                        for kind in ("missions", "countries")}
            result["unknown"] = {kind: [u for u in found if u["code"] not in creating[kind]]
                                 for kind, found in unknown.items()}
            result["creating"] = creating
            result["errors"] = creation_errors(release, creating)
            step(30)
            if not any(result["unknown"].values()) and not result["errors"]:
                parsed = parse(release, path, creating["missions"], creating["countries"])
                check_fits(path, parsed)
                step(65)
                result["notes"] = list(parsed.notes)
                result.update(difference(spec, current_frame(release.dataset), parsed.frame))
        except importers.DataFileError as exc:
            result["errors"] = [{"file": release.filename, "line": exc.line, "column": exc.column,
                                 "message": exc.message}]
    failed = bool(result["errors"])
    DataRelease.objects.filter(pk=release.pk).update(
        preview=result, base_sha256=base, progress=100,
        status=DataRelease.Status.FAILED if failed else DataRelease.Status.PREVIEWED)
    progress(100)
    return "failed" if failed else "previewed"


def ready_to_apply(release: DataRelease) -> bool:
    p = release.preview
    return (release.status == DataRelease.Status.PREVIEWED and not p.get("errors")
            and not any(p.get("unknown", {}).values()) and "rows_after" in p)


# --- apply and roll back -----------------------------------------------------------------------

class ReleaseError(Exception):
    """Applying or rolling back is refused; str() says why. Nothing was written."""


def frame_to_bytes(frame: pd.DataFrame) -> bytes:
    return gzip.compress(frame.to_csv(index=False).encode(), 6)


def frame_from_bytes(dataset: str, raw: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(gzip.decompress(raw)), dtype=str, keep_default_na=False)
    if dataset == "un_monthly":
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
        for column in ("male", "female", "total"):
            frame[column] = pd.to_numeric(frame[column].replace("", None))
    else:
        frame["source_id"] = frame["source_id"].astype("int64")
        frame["incident_date"] = pd.to_datetime(frame["incident_date"]).dt.date
    return frame


def file_record(dataset: str) -> dict:
    row = DataFile.objects.filter(dataset=dataset).values(
        "filename", "sha256", "rows", "first_month", "last_month").first()
    return {k: (str(v) if v is not None and k.endswith("month") else v) for k, v in (row or {}).items()}


def create_names(release: DataRelease) -> dict[str, list[str]]:
    """Create the missions and countries the curator chose to create (minimal rows, to complete in
    the admin). Returns what was created."""
    creating = release.preview.get("creating", {})
    errors = creation_errors(release, creating)
    if errors:
        raise ReleaseError(errors[0]["message"])
    for acronym in creating.get("missions", []):
        Mission.objects.create(acronym=acronym, name=acronym, is_active=True,
                               source=_("Created from the upload %(file)s") % {"file": release.filename})
    for iso3 in creating.get("countries", []):
        Country.objects.create(iso3=iso3, name_en=iso3)
    return {"missions": list(creating.get("missions", [])), "countries": list(creating.get("countries", []))}


def apply(release_id: int, user) -> DataRelease:
    """Replace the data set's rows with the release's, in one transaction. The preview checked
    what the database will refuse; should it refuse anything still, nothing is written and
    ReleaseError says why (never a server error)."""
    try:
        return apply_checked(release_id, user)
    except (IntegrityError, DataError) as exc:
        raise ReleaseError(_("The database refused the release; nothing was written. Preview it again. (%(error)s)")
                           % {"error": str(exc).splitlines()[0][:300]}) from exc
    except importers.DataFileError as exc:  # the data it was checked against changed since (a mission deleted)
        raise ReleaseError(_("The file no longer passes the checks; nothing was written. Preview it again. "
                             "(%(error)s)") % {"error": exc}) from exc


def apply_checked(release_id: int, user) -> DataRelease:
    with transaction.atomic():
        release = DataRelease.objects.select_for_update().get(pk=release_id)
        if not ready_to_apply(release):
            raise ReleaseError(_("Only a previewed upload without errors or unknown names can be applied."))
        current = file_record(release.dataset)
        if current.get("sha256", "") != release.base_sha256:
            raise ReleaseError(_("The data changed since this preview was made; preview it again first."))
        snapshot = frame_to_bytes(current_frame(release.dataset))
        created = create_names(release)
        with tempfile.TemporaryDirectory() as tmp:
            parsed = parse(release, mapped_file(release, Path(tmp)))
            parsed = importers.Parsed(parsed.dataset, Path(release.filename), release.sha256, parsed.frame, parsed.notes)
            services.write_dataset(parsed, services.LoadReport())
        release.snapshot, release.previous_file, release.created = snapshot, current, created
        release.counts = {"before": release.preview["rows_before"], "after": len(parsed.frame)}
        release.status, release.applied_at, release.applied_by = DataRelease.Status.APPLIED, timezone.now(), user
        release._history_user = user
        release.save()
    return release


def active_release(dataset: str) -> DataRelease | None:
    """The applied release whose rows the database holds now, if any."""
    sha = DataFile.objects.filter(dataset=dataset).values_list("sha256", flat=True).first()
    return (DataRelease.objects.filter(dataset=dataset, status=DataRelease.Status.APPLIED, sha256=sha)
            .order_by("-applied_at").first())


def rollback(release_id: int, user) -> DataRelease:
    """Put back the rows (and the data file record) that applying this release replaced."""
    with transaction.atomic():
        release = DataRelease.objects.select_for_update().get(pk=release_id)
        if release.status != DataRelease.Status.APPLIED or active_release(release.dataset) != release:
            raise ReleaseError(_("Only the release currently in use can be rolled back."))
        frame = frame_from_bytes(release.dataset, bytes(release.snapshot))
        previous = release.previous_file
        parsed = importers.Parsed(release.dataset, Path(previous.get("filename") or "restored.csv"),
                                  previous.get("sha256", ""), frame)
        model, columns, table = services.table_for(parsed)
        services.delete_rows(model, release.dataset)
        services.copy_rows(model, columns, table)
        if previous:
            DataFile.objects.update_or_create(dataset=release.dataset, defaults=previous)
        else:
            DataFile.objects.filter(dataset=release.dataset).delete()
        Mission.objects.filter(acronym__in=release.created.get("missions", []), deployments__isnull=True,
                               fatalities__isnull=True).delete()
        Country.objects.filter(iso3__in=release.created.get("countries", []), deployments__isnull=True,
                               fatalities__isnull=True, hosted_missions__isnull=True).delete()
        release.status, release.rolled_back_at, release.rolled_back_by = (
            DataRelease.Status.ROLLED_BACK, timezone.now(), user)
        release._history_user = user
        release.save()
    return release

