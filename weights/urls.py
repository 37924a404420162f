from django.urls import path

from weights import views

app_name = "weights"
urlpatterns = [
    path("", views.weight_list, name="list"),
    path("new/<slug:method>/", views.weight_new, name="new"),
    path("<id:pk>/", views.weight_detail, name="detail"),
    path("workshop/<id:pk>/", views.workshop, name="workshop"),
    path("participants/<id:pk>/", views.participant_edit, name="participant"),
    path("participants/<id:pk>/remove/", views.participant_remove, name="participant-remove"),
]
