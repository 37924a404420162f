"""What the world decided about missions after the UN data stops: Security Council decisions on
mandates, and the 2025-26 cuts the Secretariat made for lack of cash. Curated and cited, with
history; a mission's status, end and tasks follow from its decisions (missions.decisions)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from missions.models import DESCRIPTION_MAX_LENGTH, MandateFunction, Mission, Versioned
from pkoanalysis.bilingual import in_language

VERIFY = "[verify]"
# S/RES/2798 (2025): the Council's document symbol for a resolution.
SYMBOL_PATTERN = r"^S/RES/[0-9]{1,5} \([0-9]{4}\)$"


class MandateDecision(Versioned):
    """One Security Council decision about one mission's mandate.

    A decision that is not verified (verified=False) is shown with its "[verify]" note and makes
    the mission's horizon unknown: its end date is not used.
    """

    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("Establish")
        RENEW = "renew", _("Renew")
        FINAL = "final_renewal", _("Final renewal")
        TERMINATE = "terminate", _("Terminate")
        TASKS = "change_tasks", _("Change tasks")
        STRENGTH = "change_strength", _("Change authorised strength")

    mission = models.ForeignKey(Mission, verbose_name=_("mission"), on_delete=models.CASCADE,
                                related_name="decisions")
    symbol = models.CharField(_("resolution"), max_length=30, blank=True, validators=[RegexValidator(
        SYMBOL_PATTERN, _("Write the resolution's symbol as S/RES/2798 (2025)."))],
        help_text=_("The document symbol, e.g. S/RES/2798 (2025). Blank only while unverified."))
    adopted = models.DateField(_("date adopted"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    mandate_end = models.DateField(
        _("new mandate end"), null=True, blank=True,
        help_text=_("The date the mandate now runs to; for a termination, the day operations cease. "
                    "Blank: the decision sets no end (open-ended, or it does not change the end)."))
    tasks_added = models.ManyToManyField(MandateFunction, verbose_name=_("tasks added"), blank=True,
                                         related_name="+")
    tasks_removed = models.ManyToManyField(MandateFunction, verbose_name=_("tasks removed"), blank=True,
                                           related_name="+")
    troops = models.PositiveIntegerField(_("authorised troops"), null=True, blank=True)
    police = models.PositiveIntegerField(_("authorised police"), null=True, blank=True)
    observers = models.PositiveIntegerField(_("authorised observers and staff officers"), null=True, blank=True)
    summary = models.TextField(_("what it decided"), max_length=DESCRIPTION_MAX_LENGTH)
    summary_es = models.TextField(_("what it decided, in Spanish"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=300,
                              help_text=_("E.g. UN press release SC/16209, 31 October 2025."))
    source_url = models.URLField(_("source address"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=False, help_text=_(
        "Checked against the UN's own record (press release, resolution) or Security Council Report."))
    note = models.TextField(_("what to verify"), blank=True, max_length=DESCRIPTION_MAX_LENGTH,
                            help_text=_('Required while unverified; start it with "[verify]".'))
    history = HistoricalRecords(m2m_fields=[tasks_added, tasks_removed])

    class Meta:
        ordering = ["mission__acronym", "adopted", "id"]
        verbose_name = _("Security Council decision")
        verbose_name_plural = _("Security Council decisions")
        constraints = [
            models.UniqueConstraint(fields=["mission", "adopted", "kind"], name="decision_unique_day_kind"),
            models.CheckConstraint(condition=Q(mandate_end__isnull=True) | Q(mandate_end__gte=F("adopted")),
                                   name="decision_end_not_before_adoption"),
            models.CheckConstraint(condition=Q(verified=False) | (~Q(symbol="") & ~Q(source_url="")),
                                   name="decision_verified_is_cited"),
            models.CheckConstraint(condition=Q(verified=True) | Q(note__startswith=VERIFY),
                                   name="decision_unverified_says_verify"),
        ]

    def __str__(self) -> str:
        return f"{self.mission} {self.symbol or VERIFY} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.verified and not (self.symbol and self.source_url):
            raise ValidationError(_("A verified decision needs its resolution symbol and a source address."))
        if not self.verified and not self.note.startswith(VERIFY):
            raise ValidationError({"note": _('Say what is left to verify, starting with "[verify]".')})

    @property
    def shown_summary(self) -> str:
        """What it decided, in the page's language (the Spanish summary where there is one)."""
        return in_language(self, "summary")


class MissionCut(Versioned):
    """A cut the Secretariat made to missions for lack of cash (the 2025-26 liquidity crisis).
    mission blank: every peacekeeping operation (the system-wide decision)."""

    mission = models.ForeignKey(Mission, verbose_name=_("mission"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="cuts",
                                help_text=_("Blank: every peacekeeping operation."))
    announced = models.DateField(_("announced"))
    uniformed_share = models.FloatField(
        _("share of uniformed personnel repatriated"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)], help_text=_("0.25 = a quarter."))
    uniformed_low = models.PositiveIntegerField(_("personnel repatriated (low)"), null=True, blank=True)
    uniformed_high = models.PositiveIntegerField(_("personnel repatriated (high)"), null=True, blank=True)
    budget_share = models.FloatField(_("share of the budget cut"), null=True, blank=True,
                                     validators=[MinValueValidator(0), MaxValueValidator(1)])
    sheds_formed_units = models.BooleanField(
        _("repatriates formed units"), default=False,
        help_text=_("Contingents and formed police units are sent home: the mission is not asking for new ones."))
    reimbursement_delay_months = models.FloatField(
        _("reimbursement delay (months)"), null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("How much later than usual the UN pays contributors back."))
    summary = models.TextField(_("what was decided"), max_length=DESCRIPTION_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("what to verify"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    history = HistoricalRecords()

    class Meta:
        ordering = ["announced", "id"]
        verbose_name = _("UN cut (2025-26 liquidity crisis)")
        verbose_name_plural = _("UN cuts (2025-26 liquidity crisis)")
        constraints = [
            models.CheckConstraint(condition=Q(uniformed_share__isnull=True)
                                   | Q(uniformed_share__gte=0, uniformed_share__lte=1), name="cut_uniformed_share_range"),
            models.CheckConstraint(condition=Q(budget_share__isnull=True)
                                   | Q(budget_share__gte=0, budget_share__lte=1), name="cut_budget_share_range"),
            models.CheckConstraint(condition=Q(reimbursement_delay_months__isnull=True)
                                   | Q(reimbursement_delay_months__gte=0), name="cut_delay_non_negative"),
            models.CheckConstraint(condition=Q(uniformed_low__isnull=True) | Q(uniformed_high__isnull=True)
                                   | Q(uniformed_high__gte=F("uniformed_low")), name="cut_range_ordered"),
            models.CheckConstraint(condition=Q(verified=False) | ~Q(source_url=""), name="cut_verified_is_cited"),
            models.CheckConstraint(condition=Q(verified=True) | Q(note__startswith=VERIFY),
                                   name="cut_unverified_says_verify"),
        ]

    def __str__(self) -> str:
        return f"{self.mission or _('all peacekeeping operations')} {self.announced:%Y-%m}"
