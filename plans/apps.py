from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plans import signals  # noqa: F401 - connects to risks' inputs-changed signal
