"""Everything a briefing shows, read from the database once, in the briefing's language.
Exporters receive a BriefingData and never query the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from briefings.bibliography import Citations, SourceEntry


@dataclass
class BriefingData:
    """A scenario's question and result. `result` holds the ScenarioResult fields as stored;
    the dicts are keyed by factor, gate or category code; *_sources are lists of Source keys."""

    scenario_id: int
    name: str
    owner: str
    mode: str
    mode_code: str
    size: int
    duration_months: int
    missions: list[str]
    functions: list[str]
    aggregation: str
    category_weights: dict[str, float]
    factor_weights: dict[str, float]
    strict_gates: list[str]
    notes: str
    result: dict
    factor_names: dict[str, str]
    factor_kinds: dict[str, str]
    factor_categories: dict[str, str]
    category_names: dict[str, str]
    gate_names: dict[str, str]
    mexico_monthly: pd.Series
    data_date: object
    language: str = "en"
    function_names: dict[str, str] = field(default_factory=dict)
    factor_mitigations: dict[str, str] = field(default_factory=dict)
    factor_sources: dict[str, list[str]] = field(default_factory=dict)
    gate_actions: dict[str, str] = field(default_factory=dict)
    gate_sources: dict[str, list[str]] = field(default_factory=dict)
    mode_description: str = ""
    mode_sources: list[str] = field(default_factory=list)
    data_files: list[dict] = field(default_factory=list)
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    dealbreakers: list[str] = field(default_factory=list)
    stale: bool = False
    validation: dict = field(default_factory=dict)   # the hazards' backtest: findings and calibration bins
    partner_names: dict[str, str] = field(default_factory=dict)  # ISO3 -> name, for mixed contingents' partners
    # Since the UN data: each mission's mandate horizon and latest Council decision, and the
    # 2025-26 cuts (missions.council_text wording).
    world: list[dict] = field(default_factory=list)
    cuts: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)   # factor -> the weight the scoring gives it
    trade_offs: str = ""
    # Where Mexico serves in the latest UN report (mexico_today()), and per chosen mission the
    # partner's basis and the first pathway year the question's option can deploy (deployable()).
    mexico_now: dict = field(default_factory=dict)
    partner_facts: dict[str, dict] = field(default_factory=dict)
    ready_year: dict[str, int | None] = field(default_factory=dict)
    start_year: int = 0
    rules: dict = field(default_factory=dict)

    def effective_weight(self, code: str) -> float:
        """The weight the scoring gives a factor (risks.inputs.weights_for)."""
        return float(self.weights.get(code, 0.0))

    def citations(self) -> Citations:
        return Citations(self.sources)

    def option_label(self, option: dict) -> str:
        """The mission, and for a mixed contingent the nation whose unit Mexico's element joins:
        'UNFICYP (with Argentina)'."""
        partner = option.get("partner") or ""
        if not partner:
            return option["mission"]
        return _("%(mission)s (with %(partner)s)") % {"mission": option["mission"],
                                                       "partner": self.partner_names.get(partner, partner)}


def check_sources(gate_sources: dict[str, list[str]]) -> dict[str, list[str]]:
    """The gates' sources, and the feasibility checks' (risks.engine.feasibility): the mandate
    checks cite what the mandate gate cites (the Council's resolutions); the share cap and the
    components what the mission-fit gate cites (the UN's monthly reports)."""
    borrowed = {"mandate_unknown": "mandate_horizon", "mandate_ended": "mandate_horizon",
                "strength_cap": "mission_fit", "military_component": "mission_fit"}
    return {**{check: gate_sources.get(gate, []) for check, gate in borrowed.items()}, **gate_sources}


def briefing_data(scenario, language: str = "en") -> BriefingData:
    """Read everything once (call it with the briefing's language active). Recomputes a stale
    or missing result first; if that fails, the briefing says plainly that it is stale."""
    from missions import selectors
    from missions.models import DataFile, MandateFunction
    from risks.models import Category, ContributionMode, Factor, SafeguardGate, ScenarioResult
    from risks.partners import MIXED, country_names
    from risks.scenario_page import check_texts, dealbreaker_summary, gate_names, trade_offs
    from risks.services import recompute_scenario
    from sources.models import Source

    result = ScenarioResult.objects.filter(scenario=scenario).first()
    if result is None or result.is_stale:
        try:
            recompute_scenario(scenario.pk)
        except Exception:  # noqa: BLE001 - the briefing must still go out, marked stale
            if result is None:
                raise
        result = ScenarioResult.objects.get(scenario=scenario)
    factors = list(Factor.objects.prefetch_related("sources").order_by("code"))
    gates = list(SafeguardGate.objects.prefetch_related("sources"))
    mode = ContributionMode.objects.prefetch_related("sources").get(pk=scenario.mode_id)
    mexico = selectors.deployments(country=selectors.MEXICO, start=pd.Timestamp("2015-01-01").date())
    months = selectors.data_months()
    series = selectors.monthly_series(mexico, months[months >= pd.Timestamp("2015-01-01")])
    files = [{"dataset": f.dataset, "rows": f.rows, "first_month": f.first_month, "last_month": f.last_month,
              "sources": [s.key for s in f.sources.all()]} for f in DataFile.objects.prefetch_related("sources")]
    kinds = dict(Factor.Kind.choices)
    names = gate_names()
    return BriefingData(
        scenario_id=scenario.pk, name=scenario.display_name, owner=scenario.owner.get_username(), mode=mode.name,
        mode_code=mode.code, size=scenario.size, duration_months=scenario.duration_months,
        missions=sorted(scenario.missions.values_list("acronym", flat=True)),
        functions=[f.name for f in scenario.functions.all()],
        function_names={f.code: f.name for f in MandateFunction.objects.all()}, aggregation=scenario.get_aggregation_display(),
        category_weights=scenario.category_weights, factor_weights=scenario.factor_weights,
        strict_gates=[names.get(g, g) for g in scenario.strict_gates], notes=scenario.display_notes,
        result={f.name: getattr(result, f.name) for f in ScenarioResult._meta.fields},
        factor_names={f.code: f.name for f in factors}, factor_kinds={f.code: str(kinds[f.kind]) for f in factors},
        factor_categories={f.code: f.category for f in factors},
        factor_mitigations={f.code: f.in_language("mitigation") for f in factors},
        factor_sources={f.code: [s.key for s in f.sources.all()] for f in factors},
        category_names={c.value: str(c.label) for c in Category}, gate_names=names,
        gate_actions={**{code: action for code, (_name, action) in check_texts().items()},
                      **{g.code: g.action for g in gates}},
        gate_sources=check_sources({g.code: [s.key for s in g.sources.all()] for g in gates}),
        mode_description=mode.in_language("description"), mode_sources=[s.key for s in mode.sources.all()],
        mexico_monthly=series, data_date=max((f["last_month"] for f in files if f["last_month"]), default=None),
        data_files=files, language=language,
        sources={s.key: SourceEntry(key=s.key, kind=s.kind, authors=s.authors, title=s.title, container=s.container,
                                    year=s.year, date=s.date, publisher=s.publisher, place=s.place,
                                    identifier=s.identifier, url=s.url, accessed=s.accessed, note=s.note)
                 for s in Source.objects.all()},
        dealbreakers=dealbreaker_summary(scenario), stale=result.is_stale, validation=validation_summary(),
        partner_names=country_names() if mode.code == MIXED else {}, **world_since_the_data(scenario),
        trade_offs=trade_offs(scenario), weights=scenario_weights(scenario), mexico_now=mexico_today(),
        partner_facts=partner_facts(scenario) if mode.code == MIXED else {}, **deployable(scenario),
    )


def mexico_today() -> dict:
    """Mexico's uniformed personnel in the latest UN monthly report: {"month", "total",
    "missions": [{"mission", "total", "kinds": {personnel type code: n}}]}, largest first."""
    from django.db.models import Sum

    from missions import selectors
    from missions.models import DataSource, Deployment

    month = selectors.latest_month()
    if month is None:
        return {}
    rows = (Deployment.objects.filter(source=DataSource.UN_MONTHLY, month=month, country__iso3=selectors.MEXICO,
                                      mission__isnull=False, total__gt=0)
            .values("mission__acronym", "personnel_type").annotate(n=Sum("total")))
    missions: dict[str, dict] = {}
    for row in rows:
        entry = missions.setdefault(row["mission__acronym"], {"mission": row["mission__acronym"], "total": 0, "kinds": {}})
        entry["total"] += row["n"]
        entry["kinds"][row["personnel_type"]] = row["n"]
    ordered = sorted(missions.values(), key=lambda m: (-m["total"], m["mission"]))
    return {"month": month, "total": sum(m["total"] for m in ordered), "missions": ordered}


def partner_facts(scenario) -> dict[str, dict]:
    """Per chosen mission, why its partner was chosen (risks.engine.partners): {"basis",
    "embeds": [ISO3 of the elements the partner already embeds there]}."""
    from risks import services

    table = services.cached_inputs().missions
    out = {}
    for acronym in scenario.missions.values_list("acronym", flat=True):
        if acronym in table.index and "partner_basis" in table:
            embeds = str(table.loc[acronym, "partner_embeds"] or "")
            out[acronym] = {"basis": str(table.loc[acronym, "partner_basis"] or ""),
                            "embeds": [c for c in embeds.split("|") if c]}
    return out


def deployable(scenario) -> dict:
    """When the scenario's option could first deploy in each chosen mission, by the pathway's
    rules (plans/catalogue/pathway_rules.csv) and Mexico's years of presence there
    (risks.engine.feasibility.readiness): {"ready_year": {acronym: year index from 0, or None
    within the horizon}, "start_year", "rules"}."""
    import numpy as np

    from missions.selectors import mexico_presence_years
    from plans import catalogue
    from risks import services
    from risks.engine import feasibility

    rules = catalogue.rules()
    missions = tuple(sorted(scenario.missions.values_list("acronym", flat=True)))
    prior_ind, prior_any = mexico_presence_years(missions)
    years = feasibility.earliest_year(np.full(len(missions), scenario.mode.code, dtype=object),
                                      np.full(len(missions), float(scenario.size)),
                                      [rules.capacity(y) for y in range(rules.years)], rules.first_national_year,
                                      prior_ind, prior_any, rules.individual_years_before_mixed,
                                      rules.presence_years_before_national)
    first = {a: (int(y) if y >= 0 else None) for a, y in zip(missions, years, strict=True)}
    return {"ready_year": first, "start_year": services.cached_inputs().start.year,
            "rules": {"years": rules.years, "individual_years_before_mixed": rules.individual_years_before_mixed,
                      "presence_years_before_national": rules.presence_years_before_national,
                      "first_national_year": rules.first_national_year + 1,
                      "formed_capacity": list(rules.formed_capacity),
                      "prior_individual": dict(zip(missions, map(int, prior_ind), strict=True)),
                      "prior_presence": dict(zip(missions, map(int, prior_any), strict=True))}}


def validation_summary() -> dict:
    """What the briefing's method appendix says of the hazards' backtest (risks.validation)."""
    from risks import validation

    v = validation.current()
    if v.table.empty:
        return {}
    return {"found": validation.findings(v), "bins": v.calibration.to_dict(orient="records")}


def world_since_the_data(scenario) -> dict:
    from missions import selectors

    world, cuts = [], []
    for mission in scenario.missions.order_by("acronym"):
        facts = selectors.council_facts(mission)
        world.append({"mission": mission.acronym, "horizon": facts["horizon"], "cut": facts["cut_effect"],
                      "latest": facts["decisions"][0]["sentence"] if facts["decisions"] else ""})
        cuts += [s for s in (facts["cut"], facts["delay"]) if s and s not in cuts]
    return {"world": world, "cuts": cuts}


def scenario_weights(scenario) -> dict[str, float]:
    """factor code -> the weight the scenario's computation gives it."""
    from risks import services

    inputs = services.cached_inputs()
    params = services.scenario_parameters(scenario)
    weights = services.weights_for(inputs.factors, params["category_weights"], params["factor_weights"],
                                   services.prices_of(params))
    return dict(zip(inputs.factors.codes, map(float, weights), strict=True))
