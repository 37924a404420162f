"""Citations as data: the references that curated numbers, gates, modes and data files rest on.

Other apps point at a Source (risks' factors, gates and modes; missions' data files, linked by
risks.catalogue); this app imports no other app of ours.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Source(models.Model):
    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal text")
        UN_DOCUMENT = "un_document", _("UN document")
        DATASET = "dataset", _("Dataset")
        THESIS = "thesis", _("Book or thesis")
        REPORT = "report", _("Report or analysis")
        ARTICLE = "article", _("Article")
        PRESS = "press", _("Press or statement")

    key = models.SlugField(_("key"), max_length=60, unique=True,
                           help_text=_("A short stable name the catalogue files use to cite it."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    authors = models.CharField(_("authors or institution"), max_length=300,
                               help_text=_("As the bibliography lists them: 'Perry, Chris, and Adam C. Smith', "
                                           "or an institution."))
    title = models.CharField(_("title"), max_length=400)
    container = models.CharField(_("part of"), max_length=300, blank=True,
                                 help_text=_("Series, journal, collection or the larger document."))
    year = models.CharField(_("year"), max_length=20, blank=True,
                            help_text=_("Publication year or range (2015–2025); empty when not dated."))
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("The exact date, when it matters."))
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    identifier = models.CharField(_("identifier"), max_length=200, blank=True,
                                  help_text=_("A document symbol (S/RES/2790 (2025)), a law's number, a DOI."))
    url = models.URLField(_("URL"), max_length=400, blank=True)
    accessed = models.DateField(_("accessed"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=[("en", _("English")), ("es", _("Spanish")),
                                                                      ("ja", _("Japanese"))], default="en")
    note_en = models.CharField(_("note (English)"), max_length=500, blank=True)
    note_es = models.CharField(_("note (Spanish)"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["authors", "year", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.authors} {self.year or 'n.d.'}. {self.title}"

    @property
    def note(self) -> str:
        if (get_language() or "en").startswith("es") and self.note_es:
            return self.note_es
        return self.note_en
