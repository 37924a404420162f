import math
import re

import numpy as np
from django import forms
from django.utils.translation import gettext_lazy as _

from missions.editing import VersionedForm, save_versioned
from missions.models import MandateFunction, Mission
from pkoanalysis.bilingual import both
from pkoanalysis.converters import IdConverter
from risks.builder import preset_missions
from risks.engine import feasibility
from risks.engine.value import DEFAULT_USD_PER_POINT, DEFAULT_VALUE_OF_DEATH_USD
from risks.inputs import unit_sizes
from risks.models import (
    PRICE_MAX_MUSD,
    PRICE_MIN_MUSD,
    Category,
    ContributionMode,
    Factor,
    FactorCorrelation,
    SafeguardGate,
    Scenario,
)
from risks.presets import PRESETS
from weights.models import WeightSet


class IdChoices:
    """For model choice fields: a value that is not a database id is an invalid choice, said
    before any query (a 21-digit number would overflow SQLite's integers: a 500)."""

    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else [value]:
            if item not in self.empty_values and as_id(str(item)) is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": item})
        return super().clean(value)


class IdChoiceField(IdChoices, forms.ModelChoiceField):
    pass


class IdMultipleChoiceField(IdChoices, forms.ModelMultipleChoiceField):
    pass


class MissionChoiceField(IdMultipleChoiceField):
    """Missions labelled so a newcomer knows them: acronym, host and headquarters."""

    def label_from_instance(self, mission: Mission) -> str:
        where = ", ".join(p for p in (mission.hq_location, mission.host_country.name if mission.host_country_id else "") if p)
        return f"{mission.acronym} ({where})" if where else mission.acronym


def offered_missions():
    """The missions the builder offers: open ones whose mandate the Council has not extended for
    a final time (risks.engine.feasibility rules those out: 'the Council ended the mission')."""
    return Mission.objects.filter(is_active=True).exclude(mandate_final=True)


def shape_errors(mode: ContributionMode, size: int, months: int) -> dict[str, str]:
    """What cannot exist whatever the mission (risks.engine.feasibility.shape_levels), by form
    field: a formed unit that is not a standard unit size ('size'), or one deployed for less
    than a rotation ('duration_months')."""
    sizes = unit_sizes()
    levels = feasibility.shape_levels([mode.code], [size], [months], sizes)
    errors = {}
    if levels["unit_size"][0]:
        errors["size"] = _("A %(mode)s deploys as a standard unit of %(sizes)s people (a section, a platoon, a "
                           "company or a battalion), not %(size)s.") % {
            "mode": mode.name.lower(), "size": size, "sizes": ", ".join(f"{s:g}" for s in sizes[mode.code])}
    if levels["unit_duration"][0]:
        errors["duration_months"] = _("A %(mode)s deploys for at least a rotation of %(months)s months, not "
                                      "%(given)s.") % {"mode": mode.name.lower(),
                                                       "months": feasibility.MIN_FORMED_MONTHS, "given": months}
    return errors


# The builder's weight sliders go from 0 to 100 percent; scenarios store them as fractions.
WEIGHT_MIN, WEIGHT_MAX = 0, 100


def is_weight(value: object) -> bool:
    """A stored weight: a number (not a boolean) from WEIGHT_MIN to WEIGHT_MAX percent, as a fraction."""
    return (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            and WEIGHT_MIN / 100 <= value <= WEIGHT_MAX / 100)


def percent(weights: object, code: str) -> int:
    """A stored weight as the builder shows it; a stored value that is no weight shows as 100."""
    value = weights.get(code, 1.0) if isinstance(weights, dict) else 1.0
    return round(100 * value) if is_weight(value) else 100


def weight_errors(weights: object, codes: set[str], kind: str) -> list[str]:
    """What is wrong with stored weights ({code: fraction}), by the builder's rules."""
    if not isinstance(weights, dict):
        return [_("Weights are an object of %(kind)s codes and numbers, such as {\"budget\": 0.5}.") % {"kind": kind}]
    errors = []
    for code, value in weights.items():
        if code not in codes:
            errors.append(_("%(code)s is not a %(kind)s code.") % {"code": code, "kind": kind})
        elif not is_weight(value):
            errors.append(_("The weight of %(code)s must be a number from 0 to 1 (the builder's 0 to 100%%), "
                            "not %(value)s.") % {"code": code, "value": value})
    return errors


class ScenarioForm(VersionedForm):
    """The scenario builder. Weights are shown in percent and stored as fractions."""

    missions = MissionChoiceField(
        label=_("Missions"), queryset=Mission.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one mission.")})
    functions = IdMultipleChoiceField(
        label=_("Functions (selective peacekeeping)"), queryset=MandateFunction.objects.all(),
        widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose at least one function.")})
    mode = IdChoiceField(label=_("Contribution mode"), queryset=ContributionMode.objects.all(),
                                  widget=forms.RadioSelect, empty_label=None)
    size = forms.IntegerField(label=_("Personnel"), min_value=1, max_value=20000, initial=20,
                              help_text=_("How many people Mexico would deploy at once."))
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=240, initial=12)
    strict_gates = forms.MultipleChoiceField(
        label=_("Apply these gates strictly (conditional counts as infeasible)"), required=False,
        widget=forms.CheckboxSelectMultiple)
    max_expected_fatalities = forms.FloatField(
        label=_("Exclude options with more expected fatalities than"), required=False, min_value=0,
        help_text=_("Per mission, over the whole deployment; e.g. 0.01 = one death in a hundred such deployments."))
    max_p_any_fatality_pct = forms.FloatField(
        label=_("Exclude options whose chance of any fatality exceeds (%)"), required=False, min_value=0,
        max_value=100, help_text=_("0 excludes every option: no deployment is without risk."))
    max_net_cost_usd = forms.FloatField(
        label=_("Exclude options whose net cost a year exceeds (US$)"), required=False, min_value=0)
    min_p_positive_pct = forms.FloatField(
        label=_("Exclude options less likely than this to have a positive net score (%)"), required=False,
        min_value=0, max_value=100)
    value_of_death_musd = forms.FloatField(
        label=_("Value of an expected death (US$ million)"), min_value=PRICE_MIN_MUSD, max_value=PRICE_MAX_MUSD,
        required=False,
        initial=DEFAULT_VALUE_OF_DEATH_USD / 1e6,
        help_text=_("Default 99: the US Department of Transportation's value of a statistical life, US$13.2 "
                    "million (base year 2023), times a political premium of 7.5 that this product assumes "
                    "(a death abroad also costs the policy itself). Economic appraisal alone would say 13.2."))
    usd_per_point_musd = forms.FloatField(
        label=_("Net cost a year worth a category's full swing (US$ million)"), min_value=PRICE_MIN_MUSD,
        max_value=PRICE_MAX_MUSD, initial=DEFAULT_USD_PER_POINT / 1e6, required=False,
        help_text=_("The price of a US$: this net cost a year weighs as much as moving the category at 100% "
                    "from its worst to its best level. Default 50, a judgement of this product: the net-cost "
                    "criterion's own range, so money weighs like a category at 100%."))

    weight_set = IdChoiceField(
        label=_("Weights from"), queryset=WeightSet.objects.none(), required=False,
        empty_label=_("the numbers below (typed here)"),
        help_text=_("A saved weight set (swing, rank order, AHP, a workshop or a preset) replaces the category "
                    "weights below: its largest category gets 100%, the others in proportion."))

    class Meta:
        model = Scenario
        fields = ["name", "name_es", "weight_set", "missions", "functions", "mode", "size", "duration_months",
                  "aggregation", "strict_gates", "max_expected_fatalities", "max_net_cost_usd", "within_mandate",
                  "notes", "notes_es",
                  "value_of_death_musd", "usd_per_point_musd"]
        widgets = {"aggregation": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3}),
                   "notes_es": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missions"].queryset = (
            offered_missions().filter(functions__isnull=False).distinct()
            .select_related("host_country").order_by("acronym"))
        self.fields["strict_gates"].choices = [(g.code, g.name) for g in SafeguardGate.objects.all()]
        # Only sets the scenario's owner may use (theirs, a preset, this scenario's own workshop).
        owner = self.instance.owner if self.instance.pk else owner
        self.fields["weight_set"].queryset = WeightSet.objects.usable_by(owner, self.instance).order_by(
            "-updated_at", "-pk")
        for name in ("max_p_any_fatality", "min_p_positive"):
            value = getattr(self.instance, name) if self.instance.pk else None
            if value is not None:
                self.fields[f"{name}_pct"].initial = round(100 * value, 2)
        weights = self.instance.category_weights if self.instance.pk else {}
        for code, label in Category.choices:
            self.fields[f"w_{code}"] = forms.IntegerField(
                label=label, min_value=WEIGHT_MIN, max_value=WEIGHT_MAX, initial=percent(weights, code),
                widget=forms.NumberInput(attrs={"type": "range", "step": 5, "class": "weight"}))
        factor_weights = self.instance.factor_weights if self.instance.pk else {}
        for factor in Factor.objects.filter(is_active=True).order_by("kind", "code"):
            self.fields[f"f_{factor.code}"] = forms.IntegerField(
                label=factor.name, min_value=WEIGHT_MIN, max_value=WEIGHT_MAX, required=False,
                initial=percent(factor_weights, factor.code),
                widget=forms.NumberInput(attrs={"type": "range", "step": 5, "class": "weight"}))

    def category_fields(self):
        return [self[f"w_{code}"] for code, _label in Category.choices]

    # An empty price (or a client that does not send one) takes the default.
    def clean_value_of_death_musd(self):
        value = self.cleaned_data.get("value_of_death_musd")
        return DEFAULT_VALUE_OF_DEATH_USD / 1e6 if value is None else value

    def clean_usd_per_point_musd(self):
        value = self.cleaned_data.get("usd_per_point_musd")
        return DEFAULT_USD_PER_POINT / 1e6 if value is None else value

    def factor_fields(self):
        return [self[name] for name in self.fields if name.startswith("f_")]

    def clean(self):
        data = super().clean()
        missions, functions = data.get("missions"), data.get("functions")
        if missions and functions:
            chosen = {f.pk for f in functions}
            useless = [m.acronym for m in missions if not chosen & {f.pk for f in m.functions.all()}]
            if len(useless) == len(missions):
                raise forms.ValidationError(
                    _("None of the chosen missions has any of the chosen functions in its mandate. "
                      "Add a function the missions perform, or other missions."))
            self.useless_missions = useless
        mode, size, months = data.get("mode"), data.get("size"), data.get("duration_months")
        if mode is not None and size is not None and months is not None:
            for field, error in shape_errors(mode, size, months).items():
                self.add_error(field, error)
        return data

    def save(self, commit=True):
        scenario = super().save(commit=False)
        scenario.category_weights = {code: self.cleaned_data[f"w_{code}"] / 100 for code, _l in Category.choices}
        weight_set = self.cleaned_data.get("weight_set")
        if weight_set is not None and weight_set.weights:  # the set's weights, the largest at 100%
            top = max(weight_set.weights.values()) or 1.0
            scenario.category_weights = {code: round(weight_set.weights.get(code, 0.0) / top, 6)
                                         for code, _l in Category.choices}
        scenario.factor_weights = {
            name[2:]: value / 100 for name, value in self.cleaned_data.items()
            if name.startswith("f_") and value is not None and value != 100
        }
        scenario.strict_gates = sorted(self.cleaned_data.get("strict_gates") or [])
        for name in ("max_p_any_fatality", "min_p_positive"):
            value = self.cleaned_data.get(f"{name}_pct")
            setattr(scenario, name, None if value is None else value / 100)
        scenario.computation_error = ""  # new inputs: the next computation says whether they work
        if commit:
            save_versioned(scenario, self.loaded_version)
            self.save_m2m()
        return scenario


class ScenarioAdminForm(VersionedForm):
    """The admin's scenario form: the weights and strict gates typed as JSON obey the builder's
    rules, so no curator can store a scenario the computation would choke on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "weight_set" in self.fields:  # only sets the scenario's owner may use (a new one's: the curator)
            owner = self.instance.owner if self.instance.owner_id else None
            self.fields["weight_set"].queryset = WeightSet.objects.usable_by(owner, self.instance)

    def clean_category_weights(self):
        return self.checked("category_weights", weight_errors(
            self.cleaned_data.get("category_weights"), set(Category.values), _("category")))

    def clean_factor_weights(self):
        return self.checked("factor_weights", weight_errors(
            self.cleaned_data.get("factor_weights"), set(Factor.objects.values_list("code", flat=True)),
            _("factor")))

    def clean_strict_gates(self):
        gates = self.cleaned_data.get("strict_gates")
        codes = set(SafeguardGate.objects.values_list("code", flat=True))
        if not isinstance(gates, list) or not all(isinstance(g, str) and g in codes for g in gates):
            raise forms.ValidationError(_("Strict gates are a list of gate codes among: %(codes)s.")
                                        % {"codes": ", ".join(sorted(codes))})
        return gates

    def checked(self, field: str, errors: list[str]):
        if errors:
            raise forms.ValidationError(errors)
        return self.cleaned_data[field]

    def clean(self):
        data = super().clean()
        self.instance.computation_error = ""  # new inputs: the next computation says whether they work
        return data


def preset_initial(code: str) -> dict:
    """Initial builder values for a preset (unknown codes give no initial values)."""
    preset = PRESETS.get(code)
    if not preset:
        return {}
    functions = list(MandateFunction.objects.filter(code__in=preset["functions"]))
    initial = {
        # Both languages, as the demo scenarios and the preset weight sets hold them.
        "name": both(preset["name"])[0], "name_es": both(preset["name"])[1],
        "mode": ContributionMode.objects.filter(code=preset["mode"]).first(),
        "functions": functions,
        # Start from the open missions that do one of the preset's tasks and where its option is
        # not ruled out (risks.builder.preset_missions says which are left out, and why).
        "missions": preset_missions(preset, list(offered_missions().filter(functions__in=functions).distinct()))[0],
        "strict_gates": preset["strict_gates"], "duration_months": preset["duration_months"],
        "size": preset["size"],
        **{name: value for name, value in preset.get("dealbreakers", {}).items()},
    }
    initial.update({f"w_{code}": round(100 * w) for code, w in preset["category_weights"].items()})
    initial["weight_set"] = WeightSet.objects.filter(preset=code, owner=None).first()
    return initial


def as_id(text: str) -> int | None:
    """A database id written in ASCII digits (int() also takes '²' or '١'), small enough for a
    64-bit column as in the URLs (pkoanalysis.converters); None for anything else."""
    text = text.strip()
    return int(text) if re.fullmatch(IdConverter.regex, text) else None


class CompareForm(forms.Form):
    ids = forms.CharField()

    def clean_ids(self) -> list[int]:
        ids = [as_id(part) for part in self.cleaned_data["ids"].split(",") if part.strip()]
        if None in ids:
            raise forms.ValidationError(_("ids must be scenario numbers separated by commas"))
        if not 2 <= len(set(ids)) <= 4:
            raise forms.ValidationError(_("Compare two to four different scenarios."))
        return list(dict.fromkeys(ids))


class ExplorerForm(forms.Form):
    FEASIBILITY = [("", _("All")), ("feasible", _("Feasible")), ("conditional", _("Conditional")),
                   ("infeasible", _("Infeasible")), ("not_infeasible", _("Feasible or conditional"))]

    mode = forms.ChoiceField(label=_("Contribution mode"), required=False)
    feasibility = forms.ChoiceField(label=_("Feasibility"), choices=FEASIBILITY, required=False)
    active = forms.BooleanField(label=_("Open missions only"), required=False, initial=True)
    per_mission = forms.BooleanField(label=_("Best option per mission"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m.code, m.name) for m in ContributionMode.objects.all()]


class FactorCorrelationForm(forms.ModelForm):
    """A correlation is saved only if, with every other curated correlation, the matrix can be a
    correlation matrix (positive semi-definite): otherwise no draw could be made at all."""

    class Meta:
        model = FactorCorrelation
        fields = ["factor_a", "factor_b", "rho", "source"]

    def clean(self):
        data = super().clean()
        a, b, rho = data.get("factor_a"), data.get("factor_b"), data.get("rho")
        if a is None or b is None or rho is None:
            return data
        if a == b:
            raise forms.ValidationError(_("A factor is always fully correlated with itself: choose two factors."))
        pairs = {frozenset((x, y)): r for x, y, r in FactorCorrelation.objects.exclude(pk=self.instance.pk)
                 .values_list("factor_a_id", "factor_b_id", "rho")}
        pairs[frozenset((a.pk, b.pk))] = rho
        ids = sorted({i for pair in pairs for i in pair})
        matrix = np.eye(len(ids))
        for pair, r in pairs.items():
            i, j = (ids.index(k) for k in pair)
            matrix[i, j] = matrix[j, i] = r
        if np.linalg.eigvalsh(matrix).min() < -1e-9:
            raise forms.ValidationError(_("These correlations cannot all hold together (the matrix is not positive "
                                          "semi-definite): lower this one or another of the same factors."))
        return data
