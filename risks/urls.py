from django.urls import path

from risks import views

app_name = "risks"
urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("new/", views.scenario_new, name="new"),
    path("new/checks.json", views.builder_checks, name="builder-checks"),
    path("compare/", views.compare, name="compare"),
    path("explorer/", views.explorer, name="explorer"),
    path("<id:pk>/", views.scenario_detail, name="scenario"),
    path("<id:pk>/edit/", views.scenario_edit, name="edit"),
    path("<id:pk>/recompute/", views.scenario_recompute, name="recompute"),
    path("<id:pk>/duplicate/", views.scenario_duplicate, name="duplicate"),
]
