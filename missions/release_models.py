"""A curator's upload of a newer UN release: the file, its preview and what undoes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DataRelease(models.Model):
    """One uploaded file for one data set. Nothing reaches the data tables until `apply`;
    `snapshot` then holds the rows it replaced (gzipped CSV in the importer's format) so that
    a rollback restores them exactly. Every status change is kept in the history (who, when)."""

    class Dataset(models.TextChoices):
        UN_MONTHLY = "un_monthly", _("UN monthly uniformed contributions (CSV as the UN publishes it)")
        FATALITIES = "fatalities", _("UN peacekeeper fatalities (Peace and Security Data Hub CSV)")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PARSING = "parsing", _("Parsing")
        PREVIEWED = "previewed", _("Previewed: waiting to be applied")
        FAILED = "failed", _("Refused: see the errors")
        APPLIED = "applied", _("Applied")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    dataset = models.CharField(_("dataset"), max_length=20, choices=Dataset.choices)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(_("file content (gzip)"), editable=False)
    size = models.PositiveIntegerField(_("size uploaded (bytes)"))
    sha256 = models.CharField(_("checksum (SHA-256 of the content)"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    mapping = models.JSONField(_("names mapped or created"), default=dict, blank=True)
    base_sha256 = models.CharField(_("checksum of the data it was compared with"), max_length=64, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rolled back by"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    counts = models.JSONField(_("rows before and after"), default=dict, blank=True)
    snapshot = models.BinaryField(_("rows it replaced (gzip CSV)"), null=True, editable=False)
    previous_file = models.JSONField(_("the data file it replaced"), default=dict, blank=True)
    created = models.JSONField(_("missions and countries it created"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["content", "snapshot", "preview"])

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("data release upload")
        verbose_name_plural = _("data release uploads")

    def __str__(self) -> str:
        return f"{self.get_dataset_display()}: {self.filename} ({self.get_status_display()})"
