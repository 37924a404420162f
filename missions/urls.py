from django.urls import path

from missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("<str:acronym>/", views.mission_detail, name="detail"),
]
