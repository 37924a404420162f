"""Contribution modes, risk and opportunity factors, safeguard gates, scenarios and results."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from missions.models import DESCRIPTION_MAX_LENGTH, MandateFunction, Mission, Versioned
from pkoanalysis.bilingual import TwoLanguageName, in_language
from risks.engine import value

NOTES_MAX_LENGTH = 5000
PRICE_MIN_MUSD, PRICE_MAX_MUSD = 0.1, 10_000.0   # the scenario's prices, US$ million


class Bilingual:
    """name, and any field with a Spanish twin (description / description_es), in the active language."""

    def in_language(self, field: str) -> str:
        if (get_language() or "en").startswith("es") and getattr(self, f"{field}_es", ""):
            return getattr(self, f"{field}_es")
        return getattr(self, f"{field}_en") if hasattr(self, f"{field}_en") else getattr(self, field)

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("es") and self.name_es:
            return self.name_es
        return self.name_en


def cites(related_name: str) -> models.ManyToManyField:
    """The bibliography entries a curated row rests on (sources.Source)."""
    return models.ManyToManyField("sources.Source", verbose_name=_("cited sources"), blank=True,
                                  related_name=related_name)


def in_unit_interval(*fields: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{f}__gte": 0, f"{f}__lte": 1}), name=f"{prefix}_{f}_in_0_1",
                               violation_error_message=_("%(field)s must be between 0 and 1") % {"field": f})
        for f in fields
    ]


class ContributionMode(Bilingual, Versioned):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_es = models.CharField(_("name (Spanish)"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    description_es = models.TextField(_("description (Spanish)"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    command_accountability = models.FloatField(
        _("command and accountability"), help_text=_("0 = unclear chain of command and accountability, 1 = clear"))
    legal_precedent = models.FloatField(
        _("legal precedent"), help_text=_("0 = no precedent in UN practice or Mexican law, 1 = established"))
    readiness = models.FloatField(_("readiness"), help_text=_("0 = years away, 1 = can deploy now"))
    cost_per_person_month_usd = models.PositiveIntegerField(
        _("cost per person per month (US$)"), help_text=_("Estimated full cost to Mexico"))
    un_reimbursement_usd = models.PositiveIntegerField(
        _("UN reimbursement per person per month (US$)"), default=1428,
        help_text=_("US$1,428 per person per month from 1 July 2018 (General Assembly)"))
    cost_low_usd = models.PositiveIntegerField(_("cost per person per month, low (US$)"), default=0)
    cost_high_usd = models.PositiveIntegerField(_("cost per person per month, high (US$)"), default=0)
    reimbursed = models.BooleanField(
        _("the UN reimburses the government"), default=True,
        help_text=_("Formed units: yes (troop-cost rate). Individual experts and police: no, the UN pays "
                    "their allowances directly."))
    hazard_group = models.CharField(_("hazard group"), max_length=10, default="formed",
                                    choices=[("formed", _("Formed units")), ("individual", _("Individuals"))])
    default_size = models.PositiveIntegerField(_("default size (persons)"), default=10)
    functions = models.ManyToManyField(
        MandateFunction, verbose_name=_("functions it performs"), blank=True, related_name="modes",
        help_text=_("The mandate tasks this mode can carry out (a formed unit does not do political or electoral "
                    "work itself). None chosen: every function."))
    source = models.CharField(_("source"), max_length=600, blank=True)
    sources = cites("modes")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[functions])

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("contribution mode")
        verbose_name_plural = _("contribution modes")
        constraints = in_unit_interval("command_accountability", "legal_precedent", "readiness", prefix="mode")

    def __str__(self) -> str:
        return self.name

    @property
    def cost_recovery(self) -> float:
        """Share of the cost the UN reimburses (can exceed 1 for cheap deployments)."""
        return self.un_reimbursement_usd / self.cost_per_person_month_usd if self.cost_per_person_month_usd else 0.0


class Category(models.TextChoices):
    HUMAN_RIGHTS = "human_rights_conduct", _("Human rights and conduct")
    REPUTATION = "reputation", _("Reputation")
    LEGAL = "constitutional_legal", _("Constitutional and legal")
    POLITICS = "domestic_politics", _("Domestic politics")
    BUDGET = "budget", _("Budget and resources")
    SECURITY = "operational_security", _("Operational security")
    PROFESSIONALISATION = "professionalisation", _("Professionalisation and modernisation")
    TRANSPARENCY = "transparency_accountability", _("Transparency and accountability")
    STANDING = "international_standing", _("International standing")


class Factor(Bilingual, Versioned):
    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        OPPORTUNITY = "opportunity", _("Opportunity")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_es = models.CharField(_("name (Spanish)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    description_es = models.TextField(_("description (Spanish)"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=600,
                              help_text=_("A seed document or a dated public source"))
    sources = cites("factors")
    likelihood_low = models.FloatField(_("likelihood, low"))
    likelihood_mode = models.FloatField(_("likelihood, most likely"))
    likelihood_high = models.FloatField(_("likelihood, high"))
    impact_low = models.FloatField(_("impact, low"))
    impact_mode = models.FloatField(_("impact, most likely"))
    impact_high = models.FloatField(_("impact, high"))
    # How the factor varies with the mission's features: a multiplier applied in full when the
    # feature is at its maximum (1 = no effect; 2 = doubles; 0.5 = halves).
    hostility_effect = models.FloatField(_("effect of a hostile mission"), default=1.0)
    chapter_vii_effect = models.FloatField(_("effect of a Chapter VII mandate"), default=1.0)
    spanish_host_effect = models.FloatField(_("effect of a Spanish-speaking host"), default=1.0)
    latam_presence_effect = models.FloatField(_("effect of other Latin American contributors"), default=1.0)
    duration_effect = models.FloatField(_("effect of a long deployment"), default=1.0)
    quantity = models.CharField(
        _("measured by"), max_length=12, default="judgement", choices=[
            ("judgement", _("Judgement (likelihood x impact)")),
            ("fatalities", _("Data: expected fatalities")),
            ("net_cost", _("Data: net fiscal cost"))],
        help_text=_("Data factors ignore likelihood and impact: the UN data and the cost model give them."))
    size_scaled = models.BooleanField(
        _("grows with the number of persons"), default=False,
        help_text=_("Exposure x s(n), s(n) = log(1 + n/10) / log(1 + 1000/10)."))
    mitigation = models.TextField(_("mitigation"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    mitigation_es = models.TextField(_("mitigation (Spanish)"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    is_active = models.BooleanField(_("used in scoring"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "category", "code"]
        verbose_name = _("risk or opportunity factor")
        verbose_name_plural = _("risk and opportunity factors")
        constraints = [
            *in_unit_interval("likelihood_low", "likelihood_mode", "likelihood_high",
                              "impact_low", "impact_mode", "impact_high", prefix="factor"),
            models.CheckConstraint(
                condition=Q(likelihood_low__lte=F("likelihood_mode"), likelihood_mode__lte=F("likelihood_high")),
                name="factor_likelihood_ordered",
                violation_error_message=_("Likelihood must satisfy low <= most likely <= high."),
            ),
            models.CheckConstraint(
                condition=Q(impact_low__lte=F("impact_mode"), impact_mode__lte=F("impact_high")),
                name="factor_impact_ordered",
                violation_error_message=_("Impact must satisfy low <= most likely <= high."),
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{f}__gte": 0, f"{f}__lte": 5}), name=f"factor_{f}_range",
                                       violation_error_message=_("Effects are multipliers between 0 and 5."))
                for f in ("hostility_effect", "chapter_vii_effect", "spanish_host_effect",
                          "latam_presence_effect", "duration_effect")
            ],
        ]

    def __str__(self) -> str:
        return self.name


class FactorModeEffect(models.Model):
    """How much a contribution mode scales a factor (1 = as the base case)."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="mode_effects")
    mode = models.ForeignKey(ContributionMode, on_delete=models.CASCADE, related_name="factor_effects")
    multiplier = models.FloatField(_("multiplier"), default=1.0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effect of a mode")
        verbose_name_plural = _("effects of modes")
        constraints = [
            models.UniqueConstraint(fields=["factor", "mode"], name="factor_mode_effect_unique"),
            models.CheckConstraint(condition=Q(multiplier__gte=0, multiplier__lte=5), name="factor_mode_effect_range",
                                   violation_error_message=_("Effects are multipliers between 0 and 5.")),
        ]

    def __str__(self) -> str:
        return f"{self.factor} x {self.mode}: {self.multiplier}"


class FactorFunctionEffect(models.Model):
    """How much performing a function scales a factor (1 = no effect)."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="function_effects")
    function = models.ForeignKey(MandateFunction, on_delete=models.CASCADE, related_name="factor_effects")
    multiplier = models.FloatField(_("multiplier"), default=1.0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effect of a function")
        verbose_name_plural = _("effects of functions")
        constraints = [
            models.UniqueConstraint(fields=["factor", "function"], name="factor_function_effect_unique"),
            models.CheckConstraint(condition=Q(multiplier__gte=0, multiplier__lte=5),
                                   name="factor_function_effect_range",
                                   violation_error_message=_("Effects are multipliers between 0 and 5.")),
        ]

    def __str__(self) -> str:
        return f"{self.factor} x {self.function}: {self.multiplier}"


class FactorCorrelation(models.Model):
    """Two factors whose likelihoods move together (a Gaussian copula correlation)."""

    factor_a = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="+")
    factor_b = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="+")
    rho = models.FloatField(_("correlation"), help_text=_("Between -0.95 and 0.95."))
    source = models.CharField(_("source"), max_length=600)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correlation between factors")
        verbose_name_plural = _("correlations between factors")
        constraints = [
            models.UniqueConstraint(fields=["factor_a", "factor_b"], name="factor_correlation_unique"),
            models.CheckConstraint(condition=Q(rho__gte=-0.95, rho__lte=0.95), name="factor_correlation_range",
                                   violation_error_message=_("A correlation lies between -0.95 and 0.95.")),
        ]

    def __str__(self) -> str:
        return f"{self.factor_a} ~ {self.factor_b}: {self.rho}"


class SafeguardGate(Bilingual, Versioned):
    """A legal or policy gate an option must pass before it is scored. The rule itself is code
    (risks.feasibility); curators can switch gates on or off and edit their text."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_es = models.CharField(_("name (Spanish)"), max_length=150, blank=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    description_es = models.TextField(_("description (Spanish)"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    source = models.CharField(_("source"), max_length=600)
    sources = cites("gates")
    action_en = models.CharField(_("what meets it (English)"), max_length=300, blank=True)
    action_es = models.CharField(_("what meets it (Spanish)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("applied"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("safeguard gate")
        verbose_name_plural = _("safeguard gates")

    def __str__(self) -> str:
        return self.name

    @property
    def action(self) -> str:
        if (get_language() or "en").startswith("es") and self.action_es:
            return self.action_es
        return self.action_en


class Aggregation(models.TextChoices):
    WEIGHTED_SUM = "weighted_sum", _("Weighted sum")
    TOPSIS = "topsis", _("TOPSIS")


class Scenario(TwoLanguageName, Versioned):
    """An analyst's saved question: which missions, which functions, how, how many, how long."""

    name = models.CharField(_("name"), max_length=150)
    name_es = models.CharField(_("name in Spanish"), max_length=150, blank=True,
                               help_text=_("Shown on Spanish pages and briefings; blank: the name above."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scenarios")
    missions = models.ManyToManyField(Mission, verbose_name=_("missions"), related_name="scenarios")
    functions = models.ManyToManyField(MandateFunction, verbose_name=_("functions"), related_name="scenarios")
    mode = models.ForeignKey(ContributionMode, verbose_name=_("contribution mode"), on_delete=models.PROTECT)
    size = models.PositiveIntegerField(_("personnel"), default=20)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), default=12)
    category_weights = models.JSONField(_("weights by category"), default=dict, blank=True)
    factor_weights = models.JSONField(_("weights by factor"), default=dict, blank=True)
    # Where the weights came from (weights.WeightSet); None: the analyst's own numbers.
    weight_set = models.ForeignKey("weights.WeightSet", verbose_name=_("weight set"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="scenarios")
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices,
                                   default=Aggregation.WEIGHTED_SUM)
    strict_gates = models.JSONField(
        _("strict gates"), default=list, blank=True,
        help_text=_("Gates whose 'conditional' verdict counts as infeasible (a stricter policy)."))
    max_expected_fatalities = models.FloatField(
        _("at most this many expected fatalities"), null=True, blank=True)
    max_p_any_fatality = models.FloatField(_("at most this chance of any fatality"), null=True, blank=True)
    max_net_cost_usd = models.FloatField(_("at most this net cost a year (US$)"), null=True, blank=True)
    min_p_positive = models.FloatField(_("at least this chance that the net score is positive"),
                                       null=True, blank=True)
    within_mandate = models.BooleanField(_("the mission must stay open for the whole duration"), default=False)
    # The two prices of the value model (risks.engine.value): what an expected death and a US$ weigh.
    value_of_death_musd = models.FloatField(
        _("value of an expected death (US$ million)"), default=value.DEFAULT_VALUE_OF_DEATH_USD / 1e6,
        help_text=_("Default: the US Department of Transportation's value of a statistical life (US$13.2 "
                    "million, base year 2023) times a political premium of 7.5 that this product assumes."))
    usd_per_point_musd = models.FloatField(
        _("US$ million a year worth a category's full swing"), default=value.DEFAULT_USD_PER_POINT / 1e6,
        help_text=_("The net cost a year that weighs as much as moving the category weighted 100% from its "
                    "worst to its best level: the price of a US$. A value judgement of this product."))
    preset = models.CharField(_("preset"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    notes_es = models.TextField(_("notes in Spanish"), blank=True, max_length=NOTES_MAX_LENGTH)
    # Why the last computation failed (risks.failures); cleared by a save or a computation that works.
    computation_error = models.CharField(_("computation error"), max_length=500, blank=True, editable=False)
    # Goes up whenever what the result depends on changes (risks.services.mark_stale): a computation
    # stores its result only if it is unchanged since the computation read its inputs.
    revision = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[missions, functions], excluded_fields=["revision"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=20000), name="scenario_size_range",
                                   violation_error_message=_("Personnel must be between 1 and 20,000.")),
            models.CheckConstraint(condition=Q(duration_months__gte=1, duration_months__lte=240),
                                   name="scenario_duration_range",
                                   violation_error_message=_("Duration must be between 1 and 240 months.")),
            models.CheckConstraint(
                condition=(Q(max_p_any_fatality__isnull=True) | Q(max_p_any_fatality__gte=0, max_p_any_fatality__lte=1))
                & (Q(min_p_positive__isnull=True) | Q(min_p_positive__gte=0, min_p_positive__lte=1))
                & (Q(max_expected_fatalities__isnull=True) | Q(max_expected_fatalities__gte=0))
                & (Q(max_net_cost_usd__isnull=True) | Q(max_net_cost_usd__gte=0)),
                name="scenario_dealbreakers_range",
                violation_error_message=_("Chances lie between 0 and 1; limits are not negative.")),
            models.CheckConstraint(
                condition=Q(value_of_death_musd__gte=PRICE_MIN_MUSD, value_of_death_musd__lte=PRICE_MAX_MUSD,
                            usd_per_point_musd__gte=PRICE_MIN_MUSD, usd_per_point_musd__lte=PRICE_MAX_MUSD),
                name="scenario_prices_range",
                violation_error_message=_("Prices lie between US$0.1 million and US$10,000 million.")),
            models.CheckConstraint(condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH),
                                   name="scenario_notes_length",
                                   violation_error_message=_("Notes hold at most 5,000 characters.")),
            models.CheckConstraint(condition=LessThanOrEqual(Length("notes_es"), NOTES_MAX_LENGTH),
                                   name="scenario_notes_es_length",
                                   violation_error_message=_("Notes hold at most 5,000 characters.")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_notes(self) -> str:
        return in_language(self, "notes")

    def get_absolute_url(self) -> str:
        return reverse("risks:scenario", args=[self.pk])


class ScenarioResult(models.Model):
    """The scores of a scenario for the inputs whose fingerprint it carries.

    Replaced atomically by recomputation; marked stale (never deleted) when an input changes,
    so pages keep showing the last good result with a warning.
    """

    class Feasibility(models.TextChoices):
        FEASIBLE = "feasible", _("Feasible")
        CONDITIONAL = "conditional", _("Conditional")
        INFEASIBLE = "infeasible", _("Infeasible")

    scenario = models.OneToOneField(Scenario, on_delete=models.CASCADE, related_name="result")
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    is_stale = models.BooleanField(default=False, db_index=True)
    feasibility = models.CharField(max_length=12, choices=Feasibility.choices)
    reasons = models.JSONField(default=list)
    risk = models.FloatField()
    opportunity = models.FloatField()
    net = models.FloatField()
    p10 = models.FloatField()
    p50 = models.FloatField()
    p90 = models.FloatField()
    p_positive = models.FloatField()
    # Per option (mission x function subset) and per factor detail, as JSON-ready tables.
    options = models.JSONField(default=list)
    contributions = models.JSONField(default=list)
    sensitivity = models.JSONField(default=list)
    rank_acceptability = models.JSONField(default=list)
    distribution = models.JSONField(default=list)
    expected_fatalities = models.FloatField(default=0)
    p_any_fatality = models.FloatField(default=0)
    net_cost_usd = models.FloatField(default=0)
    smaa = models.JSONField(default=dict)
    break_even = models.JSONField(default=list)

    class Meta:
        verbose_name = _("scenario result")
        verbose_name_plural = _("scenario results")
        constraints = [
            models.CheckConstraint(condition=Q(p10__lte=F("p50"), p50__lte=F("p90")), name="result_quantiles_ordered"),
            models.CheckConstraint(condition=Q(p_positive__gte=0, p_positive__lte=1), name="result_p_positive_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Lease(models.Model):
    """Work in progress, held by one worker for a short time and renewed while it works
    (risks.leases): a lease whose time ran out belongs to nobody, because its worker died."""

    name = models.CharField(max_length=100, unique=True)   # "task:<id>", "plan:<id>", "scenario:<id>"
    holder = models.CharField(max_length=64)                # a random token per acquisition
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at:%H:%M:%S}"


class GridRun(models.Model):
    """The whole option grid (every mission x mode x function subset), scored in one pass."""

    fingerprint = models.CharField(max_length=64, unique=True)
    computed_at = models.DateTimeField()
    options = models.PositiveIntegerField()
    table = models.BinaryField(help_text="gzip CSV of the results frame")

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"grid {self.fingerprint[:8]} ({self.options} options)"


class Briefing(models.Model):
    """A client briefing rendered from a scenario's result, kept with the scenario."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        PPTX = "pptx", "PPTX"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="briefings")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    paper = models.CharField(_("paper"), max_length=6, choices=[("a4", "A4"), ("letter", _("Letter"))], default="a4")
    client = models.CharField(_("client"), max_length=150, blank=True)
    firm = models.CharField(_("prepared by"), max_length=150, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    task_id = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="briefings/%Y/%m/", blank=True, max_length=255)
    fingerprint = models.CharField(max_length=64, blank=True)
    data_date = models.DateField(null=True, blank=True)
    was_stale = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="briefings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"{self.scenario} ({self.format}, {self.language})"
