"""Read-only API endpoints for plans (wired in api/urls.py)."""

from rest_framework import generics, serializers

from api.throttles import ThrottleFirst
from api.views import JSONErrors, Pages
from plans.models import Plan, PlanResult


class PlanSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    required_missions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="acronym")
    excluded_missions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="acronym")
    modes = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Plan
        fields = ["id", "name", "owner", "max_people", "max_cost_usd", "max_missions", "exclude_chapter_vii",
                  "required_missions", "excluded_missions", "modes", "objective", "cvar_alpha", "cvar_weight",
                  "created_at", "updated_at"]


class PlanResultSerializer(serializers.ModelSerializer):
    data = serializers.DictField(help_text="options, totals, frontier, pathway, references, reasons, formula, anchor. "
                                 "Option values and totals are raw net scores (opportunities minus risks, 0 = not "
                                 "deploying); anchor is the raw net score at 100 on the index the pages show (the best "
                                 "admissible candidate), so an option's index is 100 * value / anchor and the plan's "
                                 "index points are 100 * totals.value / anchor")
    robustness = serializers.DictField(allow_null=True, help_text="portfolio acceptability per option and mission")

    class Meta:
        model = PlanResult
        fields = ["plan", "fingerprint", "computed_at", "is_stale", "status", "data", "robustness", "robust_done",
                  "robust_total"]


class PlanList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    required_perm = "plans.view_plan"
    serializer_class = PlanSerializer
    pagination_class = Pages
    queryset = (Plan.objects.select_related("owner").prefetch_related("required_missions", "excluded_missions")
                .order_by("-updated_at", "-pk"))


class PlanDetail(ThrottleFirst, JSONErrors, generics.RetrieveAPIView):
    required_perm = "plans.view_plan"
    serializer_class = PlanSerializer
    queryset = Plan.objects.select_related("owner").prefetch_related("required_missions", "excluded_missions")


class PlanResultDetail(ThrottleFirst, JSONErrors, generics.RetrieveAPIView):
    """A plan's latest result; `is_stale` says whether a recomputation is pending."""

    required_perm = "plans.view_planresult"
    serializer_class = PlanResultSerializer
    queryset = PlanResult.objects.all()
    lookup_field = "plan_id"
    lookup_url_kwarg = "pk"
