from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from weights.models import Participant, WeightSet


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = ["label", "user", "weights", "consistency_ratio"]
    readonly_fields = ["weights", "consistency_ratio"]
    extra = 0
    can_delete = False


@admin.register(WeightSet)
class WeightSetAdmin(SimpleHistoryAdmin):
    """Curators rename, describe or delete weight sets. The judgments and the weights derived from
    them are read-only here: the elicitation pages validate them (weights/forms.py)."""

    list_display = ["name", "method", "owner", "consistency_ratio", "preset", "updated_at"]
    list_filter = ["method"]
    search_fields = ["name", "name_es"]
    readonly_fields = ["method", "judgments", "weights", "factor_weights", "consistency_ratio", "preset", "owner"]
    fields = ["name", "name_es", "description", "description_es", *readonly_fields]
    inlines = [ParticipantInline]

    def has_add_permission(self, request):
        return False  # made by the pages, from judgments
