from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api import views
from api.throttles import ThrottleFirst
from api.tokens import obtain_token
from plans import api as plan_api

# The API answers 401/403 in JSON itself: it must not be redirected to the login page.
public = login_not_required


# The schema and its documentation: any role may read them, counted by the rate limits too.
class Schema(ThrottleFirst, SpectacularAPIView):
    pass


class Docs(ThrottleFirst, SpectacularSwaggerSplitView):
    pass


class Redoc(ThrottleFirst, SpectacularRedocView):
    pass


urlpatterns = [
    path("missions/", public(views.MissionList.as_view()), name="api-missions"),
    path("missions/<str:acronym>/", public(views.MissionDetail.as_view()), name="api-mission-detail"),
    path("deployments/", public(views.Deployments.as_view()), name="api-deployments"),
    path("fatalities/", public(views.FatalityList.as_view()), name="api-fatalities"),
    path("modes/", public(views.ModeList.as_view()), name="api-modes"),
    path("factors/", public(views.FactorList.as_view()), name="api-factors"),
    path("scenarios/", public(views.ScenarioList.as_view()), name="api-scenarios"),
    path("scenarios/<id:pk>/", public(views.ScenarioDetail.as_view()), name="api-scenario-detail"),
    path("scenarios/<id:pk>/result/", public(views.ScenarioResultDetail.as_view()), name="api-scenario-result"),
    path("weight-sets/", public(views.WeightSetList.as_view()), name="api-weight-sets"),
    path("weight-sets/<id:pk>/", public(views.WeightSetDetail.as_view()), name="api-weight-set-detail"),
    path("grid/", public(views.OptionGrid.as_view()), name="api-grid"),
    path("plans/", public(plan_api.PlanList.as_view()), name="api-plans"),
    path("plans/<id:pk>/", public(plan_api.PlanDetail.as_view()), name="api-plan-detail"),
    path("plans/<id:pk>/result/", public(plan_api.PlanResultDetail.as_view()), name="api-plan-result"),
    path("token/", public(obtain_token), name="api-token"),
    path("schema/", public(Schema.as_view()), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL: no inline script (CSP).
    path("docs/", Docs.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", Redoc.as_view(url_name="api-schema"), name="api-redoc"),
    # Anything else under /api/ (including ids that are not numbers) is a JSON 404, not a page.
    re_path(r"^.*$", public(lambda request, *args, **kwargs: JsonResponse({"detail": "Not found."}, status=404))),
]
