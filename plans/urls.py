from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<id:pk>/", views.plan_detail, name="detail"),
    path("<id:pk>/edit/", views.plan_edit, name="edit"),
    path("<id:pk>/recompute/", views.plan_recompute, name="recompute"),
    path("<id:pk>/progress/", views.plan_progress, name="progress"),
]
