from django.urls import path

from briefings import views

app_name = "briefings"
urlpatterns = [
    path("<id:pk>/briefings/", views.create, name="create"),
    path("briefings/<id:pk>/progress/", views.progress, name="progress"),
    path("briefings/<id:pk>/download/", views.download, name="download"),
]
