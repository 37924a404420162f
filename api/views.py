"""The read API: DRF views over the same selectors and services as the pages."""

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.renderers import CSVRenderer, stream_csv
from api.throttles import ThrottleFirst
from missions import selectors
from missions.models import Fatality, Mission
from pkoanalysis.timeouts import statement_timeout, timed_out
from risks import explorer, scale
from risks.models import ContributionMode, Factor, Scenario, ScenarioResult
from weights.models import WeightSet

JSON_AND_CSV = [JSONRenderer, CSVRenderer]


class JSONErrors:
    """Errors are always JSON, even when a CSV table was asked for: raised ones and the 400s a view
    answers itself (a query too large or too slow)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def query(serializer_class, request):
    """Validated querystring parameters, or a 400 with the reasons (raised)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


KEPT_SECONDS = 6 * 3600


@extend_schema(parameters=[s.MissionQuery])
class MissionList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    """Missions, with filters: active, host region, host country (ISO3), mandate function."""

    required_perm = "missions.view_mission"
    serializer_class = s.MissionSerializer
    pagination_class = Pages
    renderer_classes = JSON_AND_CSV

    def list(self, request, *args, **kwargs):
        """The answer depends on the data alone (every role reads the same): kept under the data's
        vintage, which an import, a release or a curator's edit renews. Permission and throttle
        checks ran before this; a refused query (400) is never kept."""
        key = "api:missions:" + hashlib.sha256(
            f"{selectors.data_vintage()}:{request.get_full_path()}".encode()).hexdigest()
        data = cache.get(key)
        if data is None:
            data = super().list(request, *args, **kwargs).data
            cache.set(key, dict(data), KEPT_SECONDS)
        return Response(data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "mexicans_now": selectors.with_mexicans_now()}

    def get_queryset(self):
        params = query(s.MissionQuery, self.request)
        qs = Mission.objects.select_related("host_country").prefetch_related("functions").order_by("acronym")
        if params.get("active") is not None:
            qs = qs.filter(is_active=params["active"])
        if params.get("region"):
            qs = qs.filter(host_country__region=params["region"])
        if params.get("host"):
            qs = qs.filter(host_country__iso3=params["host"].upper())
        if params.get("function"):
            qs = qs.filter(functions=params["function"])
        return qs


class MissionDetail(ThrottleFirst, JSONErrors, generics.RetrieveAPIView):
    required_perm = "missions.view_mission"
    serializer_class = s.MissionSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "mexicans_now": selectors.with_mexicans_now()}

    lookup_field = "acronym"
    queryset = Mission.objects.select_related("host_country").prefetch_related("functions")


class Deployments(ThrottleFirst, JSONErrors, APIView):
    """Uniformed personnel summed by the `group_by` keys. Not paginated: one row per group, at most
    DEPLOYMENTS_MAX_ROWS (20,000) of them; a grouping that would give more answers 400.

    `GET /api/deployments/?country=MEX&group_by=month` -> `[{"month": "YYYY-MM", "total": N,
    "male": n, "female": n}, ...]`; `male`/`female` are null where the source has no split.
    """

    required_perm = "missions.view_deployment"
    renderer_classes = JSON_AND_CSV

    @extend_schema(parameters=[s.DeploymentQuery], responses=s.DeploymentRowSerializer(many=True))
    def get(self, request, format=None):  # noqa: A002 - DRF's name
        q = query(s.DeploymentQuery, request)
        cap = settings.DEPLOYMENTS_MAX_ROWS
        try:
            with statement_timeout(settings.API_STATEMENT_TIMEOUT_MS):
                frame = selectors.deployments(
                    country=q.get("country", "").upper() or None, mission=q.get("mission") or None,
                    personnel_type=q.get("personnel_type"), start=q.get("start"), end=q.get("end"),
                    group_by=q["group_by"], limit=cap + 1,
                ).drop(columns="sexed_total")
        except DatabaseError as exc:
            if not timed_out(exc):
                raise
            return Response({"detail": f"This query took more than {settings.API_STATEMENT_TIMEOUT_MS / 1000:g} s and "
                                       "was stopped: narrow it with country, mission, personnel_type or start/end, "
                                       "or group by fewer keys."}, status=400)
        if len(frame) > cap:
            return Response({"detail": f"group_by={','.join(q['group_by'])} with these filters gives more than "
                                       f"{cap:,} rows, the most one answer holds: narrow it with country, mission, "
                                       "personnel_type or start/end, or group by fewer keys."}, status=400)
        if "month" in frame:
            frame["month"] = frame["month"].dt.strftime("%Y-%m")
        rows = frame.to_dict(orient="records")
        for row in rows:
            for key in ("total", "male", "female"):
                value = row[key]
                row[key] = None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)
        if request.accepted_renderer.format == "csv":  # row by row, not one string of the whole table
            return StreamingHttpResponse(stream_csv(rows, [*q["group_by"], "total", "male", "female"]),
                                         content_type="text/csv; charset=utf-8")
        return Response(rows)


@extend_schema(parameters=[s.FatalityQuery])
class FatalityList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    """Peacekeeper fatalities (UN psdata), one row each."""

    required_perm = "missions.view_fatality"
    serializer_class = s.FatalitySerializer
    pagination_class = Pages
    renderer_classes = JSON_AND_CSV

    def get_queryset(self):
        p = query(s.FatalityQuery, self.request)
        qs = Fatality.objects.select_related("mission", "nationality").order_by("incident_date", "source_id")
        if p.get("mission"):
            qs = qs.filter(mission__acronym=p["mission"])
        if p.get("nationality"):
            qs = qs.filter(nationality__iso3=p["nationality"].upper())
        if p.get("incident_type"):
            qs = qs.filter(incident_type=p["incident_type"])
        if p.get("year_from"):
            qs = qs.filter(incident_date__year__gte=p["year_from"])
        if p.get("year_to"):
            qs = qs.filter(incident_date__year__lte=p["year_to"])
        return qs


class ModeList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    required_perm = "risks.view_contributionmode"
    serializer_class = s.ModeSerializer
    renderer_classes = JSON_AND_CSV
    queryset = ContributionMode.objects.order_by("order")


@extend_schema(parameters=[s.FactorQuery])
class FactorList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    required_perm = "risks.view_factor"
    serializer_class = s.FactorSerializer
    renderer_classes = JSON_AND_CSV

    def get_queryset(self):
        p = query(s.FactorQuery, self.request)
        qs = Factor.objects.order_by("kind", "code")
        return qs.filter(**{k: v for k, v in p.items() if v})


class ScenarioList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    required_perm = "risks.view_scenario"
    serializer_class = s.ScenarioSerializer
    pagination_class = Pages
    queryset = (Scenario.objects.select_related("owner", "mode").prefetch_related("missions", "functions")
                .order_by("-updated_at"))


class ScenarioDetail(ThrottleFirst, JSONErrors, generics.RetrieveAPIView):
    required_perm = "risks.view_scenario"
    serializer_class = s.ScenarioSerializer
    queryset = Scenario.objects.select_related("owner", "mode").prefetch_related("missions", "functions")


class WeightSetList(ThrottleFirst, JSONErrors, generics.ListAPIView):
    """Weight sets (swing, rank order, AHP, workshops, presets), newest first."""

    required_perm = "weights.view_weightset"
    serializer_class = s.WeightSetSerializer
    pagination_class = Pages
    queryset = WeightSet.objects.select_related("owner").prefetch_related("participants").order_by("-updated_at",
                                                                                                   "-pk")


class WeightSetDetail(ThrottleFirst, JSONErrors, generics.RetrieveAPIView):
    required_perm = "weights.view_weightset"
    serializer_class = s.WeightSetSerializer
    queryset = WeightSet.objects.select_related("owner").prefetch_related("participants")


class ScenarioResultDetail(ThrottleFirst, JSONErrors, generics.RetrieveAPIView):
    """A scenario's latest result; `is_stale` says whether a recomputation is pending."""

    required_perm = "risks.view_scenarioresult"
    serializer_class = s.ResultSerializer
    queryset = ScenarioResult.objects.all()
    lookup_field = "scenario_id"
    lookup_url_kwarg = "pk"


class OptionGrid(ThrottleFirst, JSONErrors, APIView):
    """Every option (mission x mode x function set) with its scores under default weights."""

    required_perm = "risks.view_scenarioresult"
    renderer_classes = JSON_AND_CSV

    @extend_schema(parameters=[s.GridQuery, OpenApiParameter("page", OpenApiTypes.INT),
                               OpenApiParameter("page_size", OpenApiTypes.INT)],
                   responses=s.GridPage)
    def get(self, request, format=None):  # noqa: A002 - DRF's name
        p = query(s.GridQuery, request)
        frame, _inputs = explorer.explorer_grid()
        whole = frame
        for key in ("mode", "feasibility", "mission"):
            if p.get(key):
                frame = frame[frame[key] == p[key]]
        anchor = explorer.grid_anchor(whole)
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        for row in rows:
            row["rank"] = None if row["rank"] in (None, "") else int(row["rank"])
            row["index"] = None if row.get("excluded_by") else scale.index(row["net"], anchor)
        paginator = Pages()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)


def error_responses(result, generator, request, public):
    """Document the error answers every operation can give (400, 401, 403, 404, 429)."""
    error = {"type": "object", "properties": {"detail": {"type": "string"}}, "additionalProperties": True}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, text in (("400", "Bad parameters, with the reason"), ("401", "Not authenticated"),
                               ("403", "No role that may read this"), ("404", "Not found"),
                               ("429", "Rate limit exceeded")):
                responses.setdefault(code, {"description": text, "content": {
                    "application/json": {"schema": error}}})
    return result

