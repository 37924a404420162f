from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "missions"
    verbose_name = _("Missions and deployments")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from missions.context_processors import forget_data_age
        from missions.models import DataFile
        from pkoanalysis import backends

        backends.connect()  # the permissions kept per account are forgotten when a role changes

        post_save.connect(forget_data_age, sender=DataFile, dispatch_uid="missions-data-age")
        post_delete.connect(forget_data_age, sender=DataFile, dispatch_uid="missions-data-age-deleted")
