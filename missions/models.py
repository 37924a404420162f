"""Missions, contributors and the UN uniformed-personnel record.

Integrity lives in the database: unique keys, non-negative counts, male + female <= total,
end date not before start date.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pkoanalysis.bilingual import in_language
from pkoanalysis.names import VisibleNames, lookalike

# Free text that curators type (descriptions, notes, aliases): long enough for a paragraph or
# two, short enough that no page or API answer balloons.
DESCRIPTION_MAX_LENGTH = 5000


class Versioned(VisibleNames, models.Model):
    """A curated row that two people may edit at once: `version` goes up by one on every save,
    and a save that was loaded from an older version is refused (missions.editing). Its names
    hold no invisible or direction-changing character (pkoanalysis.names)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


# Acronyms are URL parts (/missions/<acronym>/): letters, digits, spaces, dots and hyphens only.
ACRONYM_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 .-]*$"


class Country(Versioned):
    iso3 = models.CharField(_("ISO3 code"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=40, blank=True, db_index=True)
    subregion = models.CharField(_("sub-region"), max_length=60, blank=True)
    aliases = models.TextField(
        _("aliases"), blank=True, max_length=DESCRIPTION_MAX_LENGTH, help_text=_("Other spellings found in source files, one per line.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_format"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("es") and self.name_es:
            return self.name_es
        return self.name_en


class MandateFunction(Versioned):
    """A function or mandate task from the controlled vocabulary that curators edit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("mandate function")
        verbose_name_plural = _("mandate functions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("es") and self.name_es:
            return self.name_es
        return self.name_en


class Consent(models.TextChoices):
    FULL = "full", _("Full")
    STRAINED = "strained", _("Strained (drawdown asked, restrictions)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FormedUnits(models.TextChoices):
    ACCEPTS = "accepts", _("Accepts formed units")
    REFUSES = "refuses", _("Takes no formed units")


class Mission(Versioned):
    class Kind(models.TextChoices):
        PKO = "pko", _("Peacekeeping operation")
        SPM = "spm", _("Special political mission")
        OTHER = "other", _("Other UN presence")

    acronym = models.CharField(_("acronym"), max_length=20, unique=True, validators=[RegexValidator(
        ACRONYM_PATTERN, _("An acronym holds letters, digits, spaces, dots and hyphens only."))])
    name = models.CharField(_("full name"), max_length=200)
    # The UN's official Spanish name (data/curated/mission_names_es.csv, missions.names_es).
    name_es = models.CharField(_("full name in Spanish"), max_length=250, blank=True,
                               help_text=_("The UN's official Spanish name; blank: the English one is shown."))
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.PKO)
    host_country = models.ForeignKey(
        Country, verbose_name=_("host country"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hosted_missions",
    )
    hq_location = models.CharField(_("HQ location"), max_length=100, blank=True)
    hq_latitude = models.FloatField(_("HQ latitude"), null=True, blank=True)
    hq_longitude = models.FloatField(_("HQ longitude"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False, db_index=True)
    lead_department = models.CharField(_("lead department"), max_length=20, blank=True)
    chapter_vii = models.BooleanField(_("Chapter VII / robust mandate"), default=False)
    functions = models.ManyToManyField(
        MandateFunction, verbose_name=_("mandate functions"), blank=True, related_name="missions"
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    notes_es = models.TextField(_("notes in Spanish"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    # Curated facts with dates (risks/catalogue/mission_facts.csv), read by the safeguard gates.
    mandate_end = models.DateField(_("current mandate ends"), null=True, blank=True)
    mandate_final = models.BooleanField(_("mandate extended for a final time"), default=False)
    mandate_source = models.CharField(_("mandate source"), max_length=300, blank=True,
                                      help_text=_("The Security Council resolution that sets the end date."))
    # Set from the Council's decisions (missions.decisions): an open-ended mandate (UNTSO, UNMOGIP,
    # UNMIK) has no end date and is not an unknown horizon.
    mandate_open_ended = models.BooleanField(_("open-ended mandate"), default=False)
    host_consent = models.CharField(_("host consent"), max_length=10, choices=Consent.choices,
                                    default=Consent.FULL)
    ceasefire_agreement = models.BooleanField(
        _("ceasefire agreement in place"), default=False,
        help_text=_("A ceasefire or peace agreement among the parties (Japan's first principle)."))
    impartiality_concern = models.BooleanField(
        _("mandate takes sides"), default=False,
        help_text=_("E.g. offensive operations against named armed groups (Japan's third principle)."))
    formed_units = models.CharField(
        _("formed units"), max_length=8, choices=FormedUnits.choices, blank=True,
        help_text=_("Blank: from the latest UN report (troops or formed police present). "
                    "Set only with a cited reason."))
    facts_note = models.TextField(_("notes on these facts"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    facts_note_es = models.TextField(_("notes on these facts, in Spanish"), blank=True,
                                     max_length=DESCRIPTION_MAX_LENGTH)
    facts_source = models.CharField(_("sources of these facts"), max_length=500, blank=True)
    history = HistoricalRecords(m2m_fields=[functions])

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(condition=Q(acronym__regex=ACRONYM_PATTERN), name="mission_acronym_format"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="mission_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(hq_latitude__isnull=True) | Q(hq_latitude__gte=-90, hq_latitude__lte=90),
                name="mission_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(hq_longitude__isnull=True)
                | Q(hq_longitude__gte=-180, hq_longitude__lte=180),
                name="mission_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", args=[self.acronym])

    def clean(self) -> None:
        super().clean()
        others = Mission.objects.exclude(pk=self.pk).values_list("acronym", flat=True)
        twin = lookalike(self.acronym or "", others)
        if twin:
            raise ValidationError({"acronym": _("%(acronym)s looks like %(other)s, another mission's acronym: a "
                                                "reader would take one for the other.")
                                   % {"acronym": self.acronym, "other": twin}})
        if self.formed_units and not (self.facts_note.strip() and self.facts_source.strip()):
            raise ValidationError({"formed_units": _(
                "Overriding what the UN report shows needs a reason in the notes and a source.")})
        if self.mandate_end and not self.mandate_source.strip():
            raise ValidationError({"mandate_source": _("Cite the resolution that sets the mandate's end.")})

    @property
    def full_name(self) -> str:
        """The full name in the active language (the Spanish one when there is one)."""
        return in_language(self, "name")

    @property
    def shown_notes(self) -> str:
        return in_language(self, "notes")

    @property
    def shown_facts_note(self) -> str:
        return in_language(self, "facts_note")


class PersonnelType(models.TextChoices):
    TROOPS = "troops", _("Troops")
    STAFF_OFFICERS = "staff_officers", _("Staff officers")
    EXPERTS = "experts", _("Experts on mission / observers")
    INDIVIDUAL_POLICE = "individual_police", _("Individual police")
    FORMED_POLICE = "formed_police", _("Formed police units")
    # The IPI 1990-2014 series does not split police into individual officers and formed units.
    POLICE = "police", _("Police (not split, 1990-2014)")


class DataSource(models.TextChoices):
    IPI = "ipi", _("IPI Peacekeeping Database, country-month totals (1990-2014)")
    UN_MONTHLY = "un", _("UN monthly uniformed contributions (2015-2025)")


class Deployment(models.Model):
    """Uniformed personnel of one contributor, in one month, by personnel type.

    `mission` is empty where the source has no mission breakdown (all of 1990-2014, and the
    UN reports of 2018-03..2019-08 and 2023-09): the country totals are kept, not dropped.
    """

    month = models.DateField(_("month"), help_text=_("First day of the month reported."))
    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deployments",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("contributing country"), on_delete=models.PROTECT,
        related_name="deployments",
    )
    personnel_type = models.CharField(_("personnel type"), max_length=20, choices=PersonnelType.choices)
    male = models.IntegerField(_("male"), null=True, blank=True)
    female = models.IntegerField(_("female"), null=True, blank=True)
    total = models.IntegerField(_("total"))
    source = models.CharField(_("source"), max_length=3, choices=DataSource.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "country_id"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        indexes = [
            models.Index(fields=["country", "month"], name="deployment_country_month"),
            models.Index(fields=["mission", "month"], name="deployment_mission_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "mission", "country", "personnel_type"],
                condition=Q(mission__isnull=False),
                name="deployment_unique_with_mission",
            ),
            models.UniqueConstraint(
                fields=["month", "country", "personnel_type", "source"],
                condition=Q(mission__isnull=True),
                name="deployment_unique_without_mission",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="deployment_total_non_negative"),
            models.CheckConstraint(
                condition=Q(male__isnull=True) | Q(male__gte=0), name="deployment_male_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(female__isnull=True) | Q(female__gte=0),
                name="deployment_female_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(male__isnull=True) | Q(female__isnull=True)
                | Q(total__gte=F("male") + F("female")),
                name="deployment_sexes_within_total",
            ),
        ]

    def __str__(self) -> str:
        where = self.mission_id and self.mission or _("all missions")
        return f"{self.month:%Y-%m} {self.country} {where} {self.get_personnel_type_display()}: {self.total}"


class MissionStrength(models.Model):
    """Authorised against deployed uniformed strength of a mission in a month."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="strengths")
    month = models.DateField(_("month"))
    authorised_troops = models.IntegerField(_("authorised troops"), null=True, blank=True)
    authorised_police = models.IntegerField(_("authorised police"), null=True, blank=True)
    authorised_observers = models.IntegerField(_("authorised observers"), null=True, blank=True)
    troops = models.IntegerField(_("deployed troops"), null=True, blank=True)
    police = models.IntegerField(_("deployed police"), null=True, blank=True)
    observers = models.IntegerField(_("deployed observers"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["mission_id", "month"]
        verbose_name = _("mission strength")
        verbose_name_plural = _("mission strengths")
        constraints = [
            models.UniqueConstraint(fields=["mission", "month"], name="strength_unique_mission_month"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"strength_{name}_non_negative",
                )
                for name in (
                    "authorised_troops", "authorised_police", "authorised_observers",
                    "troops", "police", "observers",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.mission} {self.month:%Y-%m}"

    @property
    def authorised_total(self) -> int | None:
        parts = (self.authorised_troops, self.authorised_police, self.authorised_observers)
        return None if all(p is None for p in parts) else sum(p or 0 for p in parts)

    @property
    def deployed_total(self) -> int | None:
        parts = (self.troops, self.police, self.observers)
        return None if all(p is None for p in parts) else sum(p or 0 for p in parts)


class Fatality(models.Model):
    source_id = models.PositiveIntegerField(_("source id"), unique=True)
    casualty_id = models.CharField(_("casualty id"), max_length=40, blank=True)
    incident_date = models.DateField(_("incident date"), db_index=True)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="fatalities")
    nationality = models.ForeignKey(
        Country, verbose_name=_("nationality"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="fatalities",
    )
    nationality_name = models.CharField(_("nationality as reported"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    personnel_type = models.CharField(_("personnel type"), max_length=40)
    incident_type = models.CharField(_("incident type"), max_length=40)
    history = HistoricalRecords()

    class Meta:
        ordering = ["incident_date"]
        verbose_name = _("fatality")
        verbose_name_plural = _("fatalities")

    def __str__(self) -> str:
        return f"{self.incident_date} {self.mission} {self.incident_type}"


class DataFile(models.Model):
    """What each shipped data set was last loaded from: the data vintage shown to users."""

    dataset = models.CharField(_("dataset"), max_length=40, unique=True)
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows loaded"))
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    sources = models.ManyToManyField("sources.Source", verbose_name=_("cited sources"), blank=True,
                                     related_name="data_files")

    class Meta:
        ordering = ["dataset"]
        verbose_name = _("imported data file")
        verbose_name_plural = _("imported data files")

    def __str__(self) -> str:
        return f"{self.dataset}: {self.filename}"


from missions.council_models import MandateDecision, MissionCut  # noqa: E402,F401
from missions.release_models import DataRelease  # noqa: E402,F401  (kept apart: this module is long)
