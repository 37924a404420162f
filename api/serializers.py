import datetime

from rest_framework import serializers

from missions.models import Fatality, MandateFunction, Mission, PersonnelType
from missions.selectors import GROUP_BY
from risks import scale
from risks.models import Category, ContributionMode, Factor, Scenario, ScenarioResult
from weights.models import Participant, WeightSet


class MissionSerializer(serializers.ModelSerializer):
    host_country = serializers.CharField(source="host_country.iso3", allow_null=True, default=None)
    region = serializers.CharField(source="host_country.region", allow_null=True, default=None)
    functions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    url = serializers.HyperlinkedIdentityField(view_name="api-mission-detail", lookup_field="acronym")
    mexicans_now = serializers.SerializerMethodField(
        help_text="Mexican uniformed personnel in the latest UN monthly report; null when none (the overview's "
                  "'missions with Mexicans now' counts the missions where it is not null)")

    class Meta:
        model = Mission
        fields = ["acronym", "name", "name_es", "kind", "host_country", "region", "hq_location", "hq_latitude", "hq_longitude",
                  "start_date", "end_date", "is_active", "lead_department", "chapter_vii", "functions", "source",
                  "mandate_end", "mandate_final", "mandate_open_ended", "mandate_source", "mexicans_now", "url"]
        extra_kwargs = {"name_es": {"help_text": "the mission's full name in Spanish as the UN writes it; empty where "
                                                 "none is curated (the Spanish pages then show the English name)"}}

    def get_mexicans_now(self, mission: Mission) -> int | None:
        return self.context["mexicans_now"].get(mission.pk) if "mexicans_now" in self.context else None


class MissionQuery(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    region = serializers.CharField(required=False, max_length=40)
    host = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    function = serializers.SlugRelatedField(slug_field="code", queryset=MandateFunction.objects.all(), required=False)


MONTH = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
GROUP_KEYS = "(" + "|".join(GROUP_BY) + ")"


class DeploymentQuery(serializers.Serializer):
    country = serializers.RegexField(r"^[A-Za-z]{3}$", required=False,
                                     error_messages={"invalid": "country must be an ISO3 code such as MEX"})
    mission = serializers.CharField(required=False, max_length=20)
    personnel_type = serializers.ChoiceField(choices=PersonnelType.values, required=False)
    start = serializers.RegexField(MONTH, required=False, help_text="first month, YYYY-MM",
                                   error_messages={"invalid": "start must be a month, YYYY-MM"})
    end = serializers.RegexField(MONTH, required=False, help_text="last month, YYYY-MM",
                                 error_messages={"invalid": "end must be a month, YYYY-MM"})
    group_by = serializers.RegexField(
        f"^{GROUP_KEYS}(,{GROUP_KEYS})*$", required=False, default="month",
        help_text=f"comma-separated keys among: {', '.join(GROUP_BY)}",
        error_messages={"invalid": f"group_by must be a comma-separated list of: {', '.join(GROUP_BY)}"})

    def validate(self, data):
        for key in ("start", "end"):
            if data.get(key):
                data[key] = datetime.date(int(data[key][:4]), int(data[key][5:7]), 1)
        data["group_by"] = tuple(dict.fromkeys(data.get("group_by", "month").split(",")))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise serializers.ValidationError("end is before start")
        return data


class DeploymentRowSerializer(serializers.Serializer):
    month = serializers.CharField(required=False, help_text="YYYY-MM")
    mission = serializers.CharField(required=False, allow_blank=True, help_text="'' = no mission breakdown")
    country = serializers.CharField(required=False)
    personnel_type = serializers.CharField(required=False)
    total = serializers.IntegerField()
    male = serializers.IntegerField(allow_null=True)
    female = serializers.IntegerField(allow_null=True)


class FatalitySerializer(serializers.ModelSerializer):
    mission = serializers.CharField(source="mission.acronym")
    nationality = serializers.CharField(source="nationality.iso3", allow_null=True, default=None)

    class Meta:
        model = Fatality
        fields = ["source_id", "incident_date", "mission", "nationality", "nationality_name", "gender",
                  "personnel_type", "incident_type"]


class FatalityQuery(serializers.Serializer):
    mission = serializers.CharField(required=False, max_length=20)
    nationality = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    incident_type = serializers.CharField(required=False, max_length=40)
    year_from = serializers.IntegerField(required=False, min_value=1940, max_value=2100)
    year_to = serializers.IntegerField(required=False, min_value=1940, max_value=2100)


class ModeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContributionMode
        fields = ["code", "name_en", "name_es", "description", "command_accountability", "legal_precedent",
                  "readiness", "cost_low_usd", "cost_per_person_month_usd", "cost_high_usd", "reimbursed",
                  "un_reimbursement_usd", "hazard_group", "default_size", "source"]


class FactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Factor
        fields = ["code", "name_en", "name_es", "kind", "category", "description", "source",
                  "likelihood_low", "likelihood_mode", "likelihood_high", "impact_low", "impact_mode", "impact_high",
                  "hostility_effect", "chapter_vii_effect", "spanish_host_effect", "latam_presence_effect",
                  "duration_effect", "quantity", "size_scaled", "mitigation", "is_active"]


class FactorQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Factor.Kind.values, required=False)
    category = serializers.ChoiceField(choices=Category.values, required=False)


class ScenarioSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    mode = serializers.CharField(source="mode.code")
    missions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="acronym")
    functions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Scenario
        fields = ["id", "name", "owner", "mode", "missions", "functions", "size", "duration_months",
                  "category_weights", "factor_weights", "aggregation", "strict_gates", "max_expected_fatalities",
                  "max_p_any_fatality", "max_net_cost_usd", "min_p_positive", "within_mandate", "notes",
                  "created_at", "updated_at", "weight_set", "value_of_death_musd", "usd_per_point_musd"]


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["label", "judgments", "weights", "consistency_ratio"]


class WeightSetSerializer(serializers.ModelSerializer):
    """A weight set: normalised category weights, the judgments they came from, the participants."""

    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                         help_text="null: a preset shipped with the app")
    participants = ParticipantSerializer(many=True, read_only=True)
    scenario = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                                  help_text="a workshop: the one scenario it belongs to")

    class Meta:
        model = WeightSet
        fields = ["id", "name", "owner", "method", "judgments", "weights", "factor_weights", "consistency_ratio",
                  "preset", "description", "participants", "scenario", "created_at", "updated_at"]


RAW = "raw net score: opportunities minus risks, 0 = not deploying (the pages show the index instead)"
INDEX = "0-100 index (risks.scale): 0 = not deploying, 100 = the best admissible option of this comparison; null for an option a safeguard gate or deal-breaker excludes, or when nothing admissible beats not deploying"


class OptionSerializer(serializers.Serializer):
    mission = serializers.CharField()
    selected = serializers.BooleanField()
    functions = serializers.ListField(child=serializers.CharField())
    feasibility = serializers.CharField()
    risk = serializers.FloatField()
    opportunity = serializers.FloatField()
    net = serializers.FloatField(help_text=RAW)
    p10 = serializers.FloatField(help_text=RAW)
    p50 = serializers.FloatField(help_text=RAW)
    p90 = serializers.FloatField(help_text=RAW)
    index = serializers.SerializerMethodField(help_text=INDEX)
    p_positive = serializers.FloatField()
    topsis = serializers.FloatField(allow_null=True, help_text="TOPSIS closeness; null when no option is admissible")
    expected_fatalities = serializers.FloatField()
    p_any_fatality = serializers.FloatField()
    net_cost_usd = serializers.FloatField(help_text="US$ a year")
    excluded_by = serializers.CharField(allow_blank=True, help_text="'; '-joined infeasible gates and deal-breakers")
    acceptability = serializers.FloatField(help_text="SMAA first-rank acceptability")
    rank = serializers.IntegerField(allow_null=True)

    def get_index(self, option: dict) -> float | None:
        if option.get("excluded_by"):
            return None
        return scale.index(option["net"], getattr(self.root, "anchor_value", None))


class ResultSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True)
    anchor = serializers.SerializerMethodField(help_text="the raw net score that stands at 100 on the index: the best "
                                               "admissible option's; null when nothing admissible beats not deploying")
    index = serializers.SerializerMethodField(help_text="the result's net, P10, P50 and P90 on the 0-100 index; "
                                              "all null when none of the chosen missions is admissible")

    class Meta:
        model = ScenarioResult
        fields = ["fingerprint", "computed_at", "is_stale", "feasibility", "reasons", "risk", "opportunity", "net",
                  "p10", "p50", "p90", "anchor", "index", "p_positive", "expected_fatalities", "p_any_fatality",
                  "net_cost_usd", "contributions", "sensitivity", "rank_acceptability", "smaa", "break_even", "options"]
        extra_kwargs = {name: {"help_text": RAW} for name in ("net", "p10", "p50", "p90")}

    def to_representation(self, instance):
        self.anchor_value = scale.anchor(instance.options)
        return super().to_representation(instance)

    def get_anchor(self, result: ScenarioResult) -> float | None:
        return self.anchor_value

    def get_index(self, result: ScenarioResult) -> dict[str, float | None]:
        admissible = any(o["selected"] and not o.get("excluded_by") for o in result.options)
        return {key: scale.index(getattr(result, key), self.anchor_value) if admissible else None
                for key in ("net", "p10", "p50", "p90")}


class GridRowSerializer(serializers.Serializer):
    mission = serializers.CharField()
    mode = serializers.CharField()
    functions = serializers.CharField(help_text="'+'-joined function codes")
    size = serializers.FloatField(help_text="persons")
    months = serializers.FloatField()
    feasibility = serializers.CharField()
    reasons = serializers.CharField(allow_blank=True)
    excluded_by = serializers.CharField(allow_blank=True)
    expected_fatalities = serializers.FloatField()
    p_any_fatality = serializers.FloatField()
    net_cost_usd = serializers.FloatField(help_text="US$ a year")
    risk = serializers.FloatField()
    opportunity = serializers.FloatField()
    net = serializers.FloatField(help_text=RAW)
    p10 = serializers.FloatField(help_text=RAW)
    p50 = serializers.FloatField(help_text=RAW)
    p90 = serializers.FloatField(help_text=RAW)
    index = serializers.FloatField(allow_null=True, help_text=INDEX + " (here: the whole option grid, as the "
                                   "overview and the explorer show it)")
    p_positive = serializers.FloatField()
    rank = serializers.IntegerField(allow_null=True)
    partner = serializers.CharField(allow_blank=True, help_text="mixed contingents: ISO3 code of the lead nation whose "
                                    "unit Mexico's element joins ('' for other modes or none known)")


class GridPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = GridRowSerializer(many=True)


class GridQuery(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["national_contingent", "private_military_company", "mixed_contingent",
                                            "individual", "civilian"], required=False)
    feasibility = serializers.ChoiceField(choices=["feasible", "conditional", "infeasible"], required=False)
    mission = serializers.CharField(required=False, max_length=20)
