from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WeightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "weights"
    verbose_name = _("Weight sets and workshops")

    def ready(self):
        from weights.presets import ensure_preset_sets

        post_migrate.connect(ensure_preset_sets, sender=self, dispatch_uid="weights-presets")
