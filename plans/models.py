"""Plans: an analyst's limits (people, cost, missions, modes) and the optimised portfolio and
pathway computed from them (plans.services), recomputed when the model's inputs change."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from missions.models import Mission
from pkoanalysis.bilingual import TwoLanguageName
from pkoanalysis.names import VisibleNames


class Objective(models.TextChoices):
    EXPECTED = "expected", _("Expected value")
    CVAR = "cvar", _("Risk-averse (CVaR)")


class Plan(TwoLanguageName, VisibleNames, models.Model):
    name = models.CharField(_("name"), max_length=150)
    name_es = models.CharField(_("name in Spanish"), max_length=150, blank=True,
                               help_text=_("Shown on Spanish pages and briefings; blank: the name above."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans")
    max_people = models.PositiveIntegerField(_("at most this many people deployed"), default=300,
                                             validators=[MinValueValidator(0), MaxValueValidator(20000)])
    max_cost_usd = models.FloatField(_("at most this net cost a year (US$)"), default=20_000_000,
                                     validators=[MinValueValidator(0), MaxValueValidator(1e10)])
    max_missions = models.PositiveSmallIntegerField(_("at most this many missions"), null=True, blank=True,
                                                    validators=[MaxValueValidator(100)])
    exclude_chapter_vii = models.BooleanField(_("no Chapter VII missions"), default=False)
    required_missions = models.ManyToManyField(Mission, blank=True, related_name="+",
                                               verbose_name=_("missions the plan must include"))
    excluded_missions = models.ManyToManyField(Mission, blank=True, related_name="+",
                                               verbose_name=_("missions the plan must leave out"))
    modes = models.JSONField(_("modes allowed"), default=list, blank=True,
                             help_text=_("Empty: every mode."))
    objective = models.CharField(_("objective"), max_length=10, choices=Objective.choices,
                                 default=Objective.EXPECTED)
    cvar_alpha = models.FloatField(_("CVaR: the worst share of outcomes"), default=0.1,
                                   validators=[MinValueValidator(0.01), MaxValueValidator(1)])
    cvar_weight = models.FloatField(_("CVaR: its weight in the objective"), default=0.5,
                                    validators=[MinValueValidator(0), MaxValueValidator(1)])
    # Goes up whenever the result goes stale (plans.services.mark_stale): a computation stores its
    # result only if it is unchanged since the computation read the plan (a compare-and-set).
    revision = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[required_missions, excluded_missions], excluded_fields=["revision"])

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])


class PlanResult(models.Model):
    """The optimised plan for the inputs whose fingerprint it carries; kept (marked stale) when
    an input changes until the recomputation replaces it."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="result")
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    is_stale = models.BooleanField(default=False, db_index=True)
    status = models.CharField(max_length=12)                 # optimal | infeasible
    data = models.JSONField(default=dict)                    # plans.services.compute_plan
    robustness = models.JSONField(null=True, blank=True)     # plans.services.merge_robustness
    robust_done = models.PositiveIntegerField(default=0)     # draws re-solved so far
    robust_total = models.PositiveIntegerField(default=0)
    # The computation this result came from: its robustness chunks count towards it, no other's.
    run = models.ForeignKey("PlanRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.plan} ({self.fingerprint[:12]})"


class PlanRun(models.Model):
    """One computation of a plan: its history of results as the inputs changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="runs")
    computed_at = models.DateTimeField()
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=12)
    value = models.FloatField(null=True)
    # The index's 100 for this run (risks.scale; the best admissible candidate's net score): the
    # history shows each run's value in index points on its own inputs' scale.
    anchor = models.FloatField(null=True)
    people = models.FloatField(null=True)
    cost_usd = models.FloatField(null=True)
    options = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} at {self.computed_at:%Y-%m-%d %H:%M} ({self.status})"
