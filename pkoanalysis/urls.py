from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from missions import views as mission_views
from pkoanalysis.converters import IdConverter
from pkoanalysis.sessions import SignOut
from risks import views as risk_views

register_converter(IdConverter, "id")

urlpatterns = [
    path("", mission_views.home, name="home"),
    path("missions/", include("missions.urls")),
    path("scenarios/", include("risks.urls")),
    path("plans/", include("plans.urls")),
    path("scenarios/", include("briefings.urls")),
    path("weights/", include("weights.urls")),
    path("validation/", risk_views.validation, name="validation"),
    path("api/", include("api.urls")),
    path("healthz/", mission_views.healthz, name="healthz"),
    path("tasks/<uuid:task_id>/", risk_views.task_progress, name="task-progress"),
    # No password reset by e-mail (no mail server is assumed): an administrator sets a new one.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", SignOut.as_view(), name="logout"),  # revokes the API tokens too
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 with a plain message (pkoanalysis/errors.py), other failures 500.
handler500 = "pkoanalysis.errors.server_error"
