"""The admin pages for curators' uploads: upload, preview (with a form for unknown names), apply,
roll back. The work is in missions.releases; these views check permissions and answer."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError

from missions import releases
from missions.models import Country, DataRelease, Mission, PersonnelType
from pkoanalysis import names


class UploadForm(forms.Form):
    dataset = forms.ChoiceField(label=gettext_lazy("Data set"), choices=DataRelease.Dataset.choices)
    file = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy(
        "The whole release as the UN publishes it (.csv, or .csv.gz), or for the monthly contributions the UN's "
        "monthly report as a PDF (it adds or replaces that one month). It replaces the data set's rows "
        "only when you apply it, after the preview."))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and data.get("dataset"):
            if upload.size > releases.max_bytes():
                raise forms.ValidationError(_("The file is %(size).1f MB; at most %(max)s MB is accepted.") % {
                    "size": upload.size / 1e6, "max": releases.max_bytes() // (1024 * 1024)})
            try:
                self.raw = upload.read()
                self.text = releases.check_upload(data["dataset"], upload.name, self.raw)
            except releases.UploadError as exc:
                self.add_error("file", str(exc))
        return data


def mapping_form(release: DataRelease):
    """One choice per unknown name: an existing code, or create it."""
    unknown = release.preview.get("unknown", {})
    fields = {}
    for kind, model, key, noun in (("missions", Mission, "acronym", gettext_lazy("mission")),
                                   ("countries", Country, "iso3", gettext_lazy("country"))):
        existing = list(model.objects.order_by(key).values_list(key, flat=True))
        for item in unknown.get(kind, []):
            code, problem = item["code"], item.get("problem", "")
            # A code the database would refuse, or one that looks like a known code, cannot be created.
            create = [] if problem else [(releases.CREATE, _("create a new %(what)s %(code)s") % {
                "what": noun, "code": code})]
            label = (f"{names.shown(code)} ({noun}, {_('line')} {item['line']}, "
                     f"{ngettext('%(n)s row', '%(n)s rows', item['rows']) % {'n': intcomma(item['rows'])}})")
            fields[f"{kind}:{code}"] = forms.ChoiceField(
                label=f"{label}: {problem}" if problem else label,
                choices=[("", _("— choose —")), *create] + [(c, _("same as %(code)s") % {"code": c}) for c in existing])
    return type("MappingForm", (forms.Form,), fields)


def column_names() -> dict[str, str]:
    return {"month": _("Month"), "mission": _("Mission"), "country": _("Country"), "personnel_type": _("Personnel type"),
            "male": _("Male"), "female": _("Female"), "total": _("Total"), "source_id": _("Source id"),
            "casualty_id": _("Casualty id"), "incident_date": _("Incident date"), "nationality": _("Nationality"),
            "nationality_name": _("Nationality as reported"), "gender": _("Gender"), "incident_type": _("Incident type")}


def in_words(column: str, value):
    """A cell as a curator reads it: personnel types by their names, not the stored codes."""
    if column == "personnel_type" and value in PersonnelType.values:
        return PersonnelType(value).label
    return value


# The importers' notes (missions.importers: pure, no Django) are English; a curator reads them in
# the page's language. Each known note with its count, read back from the stored text.
NOTES = [
    (re.compile(r"^(?P<n>\d+) all-zero rows beside another row of the same key dropped$"),
     lambda n: ngettext("%(n)s all-zero row beside another row of the same key dropped",
                        "%(n)s all-zero rows beside another row of the same key dropped", n)),
    (re.compile(r"^(?P<n>\d+) keys printed more than once in the PDF summed \(see the repeats file\)$"),
     lambda n: ngettext("%(n)s key printed more than once in the PDF summed (see the repeats file)",
                        "%(n)s keys printed more than once in the PDF summed (see the repeats file)", n)),
    (re.compile(r"^(?P<n>\d+) fatalities with an undetermined nationality kept without a country$"),
     lambda n: ngettext("%(n)s fatality with an undetermined nationality kept without a country",
                        "%(n)s fatalities with an undetermined nationality kept without a country", n)),
    (re.compile(r"^IPI totals have no mission breakdown and no split by sex; police not split by kind$"),
     lambda n: _("IPI totals have no mission breakdown and no split by sex; police not split by kind")),
]


def note_said(note: str) -> str:
    """An importer's note in the page's language (an unknown one as it is)."""
    for pattern, message in NOTES:
        found = pattern.match(note)
        if found:
            n = int(found.groupdict().get("n") or 0)
            return message(n) % {"n": intcomma(n)}
    return note


def sections(preview: dict) -> list[dict]:
    """The preview's row lists as tables: key columns, then each value (old -> new where it changed)."""
    out = []
    for kind, title in (("changed", _("Rows changed")), ("added", _("Rows added in months already here")),
                        ("removed", _("Rows removed"))):
        rows = preview.get(kind) or []
        if not rows:
            continue
        first = rows[0]
        values = list((first.get("new") or first.get("old")).keys())
        table = []
        for row in rows:
            cells = [{"new": in_words(k, v)} for k, v in row["key"].items()]
            for v in values:
                old, new = in_words(v, row.get("old", {}).get(v)), in_words(v, row.get("new", {}).get(v))
                cells.append({"old": old, "new": new if "new" in row else old,
                              "changed": "old" in row and "new" in row and old != new})
            table.append(cells)
        out.append({"id": f"rows-{kind}", "title": title, "count": preview.get(f"{kind}_count", len(rows)),
                    "headers": [column_names().get(c, c) for c in (*first["key"].keys(), *values)], "rows": table})
    return out


class DataReleaseAdmin(admin.ModelAdmin):
    list_display = ["filename", "dataset", "status", "uploaded_by", "uploaded_at", "applied_at", "counts"]
    list_filter = ["dataset", "status"]
    readonly_fields = ["dataset", "filename", "size", "sha256", "status"]
    recompute_note = ""

    def data_changed(self, request) -> None:
        """After an apply or a rollback commits: the risks app recomputes (risks/admin.py)."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == DataRelease.Status.APPLIED:
            return False  # its snapshot is what rolls it back
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/apply/", view(require_POST(self.apply_view)), name="missions_datarelease_apply"),
            path("<int:pk>/rollback/", view(require_POST(self.rollback_view)), name="missions_datarelease_rollback"),
            path("<int:pk>/map/", view(require_POST(self.map_view)), name="missions_datarelease_map"),
            path("<int:pk>/preview/", view(require_POST(self.preview_view)), name="missions_datarelease_preview"),
            *super().get_urls(),
        ]

    def page(self, request, template: str, title: str, **context):
        return TemplateResponse(request, f"admin/missions/datarelease/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context})

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            release = releases.receive(form.cleaned_data["dataset"], upload.name, form.raw, request.user,
                                       text=form.text)
            self.start_preview(request, release)
            return redirect(reverse("admin:missions_datarelease_change", args=[release.pk]))
        return self.page(request, "upload.html", _("Upload a newer UN release"), form=form,
                         max_mb=releases.max_bytes() // (1024 * 1024))

    def start_preview(self, request, release: DataRelease) -> None:
        from missions import tasks

        def queue():
            try:
                tasks.preview_release.delay(release.pk)
            except (OperationalError, OSError):
                messages.warning(request, _("The task queue cannot be reached: press 'Preview again' later."))

        transaction.on_commit(queue)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = get_object_or_404(DataRelease, pk=object_id)
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        unknown = release.preview.get("unknown", {})
        form = mapping_form(release)() if any(unknown.values()) else None
        working = release.status in (DataRelease.Status.UPLOADED, DataRelease.Status.PARSING)
        return self.page(
            request, "preview.html", release.filename, release=release, p=release.preview, mapping=form,
            sections=sections(release.preview), notes=[note_said(n) for n in release.preview.get("notes", [])],
            months_added=[(m, release.preview.get("month_totals", {}).get(m))
                          for m in release.preview.get("months_added", [])],
            working=working, can_change=self.has_change_permission(request, release),
            ready=releases.ready_to_apply(release),
            active=release.status == DataRelease.Status.APPLIED
            and releases.active_release(release.dataset) == release,
            history=release.history.select_related("history_user").order_by("-history_date")[:20],
            recompute_note=self.recompute_note)

    def acting_on(self, request, pk: int) -> DataRelease:
        release = get_object_or_404(DataRelease, pk=pk)
        if not self.has_change_permission(request, release):
            raise PermissionDenied
        return release

    def back(self, release: DataRelease):
        return redirect(reverse("admin:missions_datarelease_change", args=[release.pk]))

    def apply_view(self, request, pk: int):
        release = self.acting_on(request, pk)
        try:
            with transaction.atomic():
                release = releases.apply(release.pk, request.user)
                self.data_changed(request)
        except releases.ReleaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, ngettext(
                "Applied: %(before)s row replaced by %(after)s. Every result that depends on the data is being "
                "recomputed.",
                "Applied: %(before)s rows replaced by %(after)s. Every result that depends on the data is being "
                "recomputed.", release.counts["before"])
                % {key: intcomma(value) for key, value in release.counts.items()})
        return self.back(release)

    def rollback_view(self, request, pk: int):
        release = self.acting_on(request, pk)
        try:
            with transaction.atomic():
                release = releases.rollback(release.pk, request.user)
                self.data_changed(request)
        except releases.ReleaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Rolled back: the data set holds the rows it had before this release."))
        return self.back(release)

    def map_view(self, request, pk: int):
        release = self.acting_on(request, pk)
        form = mapping_form(release)(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose, for every unknown name, an existing one or to create it."))
            return self.back(release)
        mapping = {"missions": {}, "countries": {}, **release.mapping}
        for name, target in form.cleaned_data.items():
            kind, code = name.split(":", 1)
            mapping[kind][code] = target
        DataRelease.objects.filter(pk=release.pk).update(mapping=mapping, status=DataRelease.Status.UPLOADED,
                                                         progress=0)
        self.start_preview(request, release)
        return self.back(release)

    def preview_view(self, request, pk: int):
        release = self.acting_on(request, pk)
        if release.status in (DataRelease.Status.APPLIED, DataRelease.Status.ROLLED_BACK):
            messages.error(request, _("This release was applied already; upload the file again to compare anew."))
            return self.back(release)
        DataRelease.objects.filter(pk=release.pk).update(status=DataRelease.Status.UPLOADED, progress=0)
        self.start_preview(request, release)
        return self.back(release)
