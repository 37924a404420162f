from django import forms
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from plans.models import Plan
from risks.engine import model
from risks.forms import MissionChoiceField
from risks.models import ContributionMode


def mode_choices() -> list[tuple[str, str]]:
    names = {m.code: m.name for m in ContributionMode.objects.all()}
    return [(code, names.get(code, code)) for code in model.MODES]


class PlanForm(forms.ModelForm):
    required_missions = MissionChoiceField(label=_("Missions the plan must include"), required=False,
                                           queryset=Mission.objects.none(), widget=forms.CheckboxSelectMultiple)
    excluded_missions = MissionChoiceField(label=_("Missions the plan must leave out"), required=False,
                                           queryset=Mission.objects.none(), widget=forms.CheckboxSelectMultiple)
    modes = forms.MultipleChoiceField(label=_("Modes allowed (none ticked: every mode)"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    max_missions = forms.IntegerField(label=_("At most this many missions"), required=False, min_value=1,
                                      max_value=100, help_text=_("Empty: no limit."))

    class Meta:
        model = Plan
        fields = ["name", "name_es", "max_people", "max_cost_usd", "max_missions", "exclude_chapter_vii", "required_missions",
                  "excluded_missions", "modes", "objective", "cvar_alpha", "cvar_weight"]
        help_texts = {
            "max_people": _("Uniformed personnel deployed at once, all missions together."),
            "max_cost_usd": _("Net of UN reimbursement, all missions together; e.g. 20000000 = US$ 20 million."),
            "cvar_alpha": _("0.1 = the worst 10% of the simulated outcomes."),
            "cvar_weight": _("0 = expected value only, 1 = the worst outcomes only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Mission.objects.filter(is_active=True).select_related("host_country").order_by("acronym")
        self.fields["required_missions"].queryset = active
        self.fields["excluded_missions"].queryset = active
        self.fields["modes"].choices = mode_choices()
        self.fields["max_people"].min_value = 0

    def clean(self):
        data = super().clean()
        both = set(data.get("required_missions") or []) & set(data.get("excluded_missions") or [])
        if both:
            self.add_error("excluded_missions", _("A mission cannot be both required and left out: %(m)s.")
                           % {"m": ", ".join(sorted(m.acronym for m in both))})
        return data
