"""Weight sets: the category weights a scenario uses, with the judgments they came from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from missions.models import Versioned
from pkoanalysis.bilingual import TwoLanguageName, in_language
from pkoanalysis.names import VisibleNames


class Method(models.TextChoices):
    SWING = "swing", _("Swing weighting")
    RANK = "rank", _("Rank order (rank-order centroid)")
    AHP = "ahp", _("AHP pairwise comparisons")
    DIRECT = "direct", _("Weights typed directly")


class WeightSetQuerySet(models.QuerySet):
    def usable_by(self, owner, scenario=None) -> models.QuerySet:
        """The sets a scenario of `owner` may take its weights from: the presets, the owner's own
        sets, and a workshop only in the one scenario it belongs to (`scenario`, when saved)."""
        mine = Q(owner=owner, scenario__isnull=True)
        if scenario is not None and scenario.pk:
            mine |= Q(owner=owner, scenario=scenario.pk)
        return self.filter(Q(owner__isnull=True) | mine) if owner is not None and owner.pk else self.filter(
            owner__isnull=True)


class WeightSet(TwoLanguageName, Versioned):
    """Normalised category weights (summing to one) and the judgments that produced them. With
    participants it is a workshop: its judgments and weights are the participants' aggregate, and
    it belongs to one scenario (`scenario`) and that scenario's owner."""

    name = models.CharField(_("name"), max_length=150)
    name_es = models.CharField(_("name in Spanish"), max_length=150, blank=True,
                               help_text=_("Shown on Spanish pages and briefings; blank: the name above."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="weight_sets",
                              null=True, blank=True, help_text=_("None: shipped with the app (a preset)."))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    judgments = models.JSONField(_("judgments"), default=dict, blank=True)
    weights = models.JSONField(_("weights by category"), default=dict,
                               help_text=_("Normalised: they sum to one."))
    factor_weights = models.JSONField(_("weights by factor"), default=dict, blank=True)
    consistency_ratio = models.FloatField(_("consistency ratio"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    description_es = models.TextField(_("description in Spanish"), blank=True, max_length=2000)
    preset = models.CharField(_("preset"), max_length=40, blank=True, db_index=True)
    # A workshop's scenario: only it uses the set, and only its owner (or a curator) runs it.
    scenario = models.ForeignKey("risks.Scenario", verbose_name=_("workshop of"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="workshops")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = WeightSetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("weight set")
        verbose_name_plural = _("weight sets")
        constraints = [
            models.CheckConstraint(condition=Q(consistency_ratio__isnull=True) | Q(consistency_ratio__gte=0),
                                   name="weightset_cr_not_negative",
                                   violation_error_message=_("A consistency ratio is not negative.")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_description(self) -> str:
        return in_language(self, "description")

    def get_absolute_url(self) -> str:
        return reverse("weights:detail", args=[self.pk])


class Participant(VisibleNames, models.Model):
    """One stakeholder's judgments in a workshop (SRE, SEDENA, SEMAR, a Senate committee, ...)."""

    weight_set = models.ForeignKey(WeightSet, on_delete=models.CASCADE, related_name="participants")
    label = models.CharField(_("participant"), max_length=80, help_text=_("e.g. SRE, SEDENA, SEMAR, Senate committee"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="workshop_seats",
                             help_text=_("Optional: the participant's own account, which may then enter "
                                         "their judgments."))
    judgments = models.JSONField(_("judgments"), default=dict)
    weights = models.JSONField(_("weights by category"), default=dict)
    consistency_ratio = models.FloatField(_("consistency ratio"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("workshop participant")
        verbose_name_plural = _("workshop participants")
        constraints = [models.UniqueConstraint(fields=["weight_set", "label"], name="participant_label_unique",
                                               violation_error_message=_("Each participant has a label of its own."))]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight_set})"
