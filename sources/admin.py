from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Source


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["key", "kind", "authors", "year", "title", "identifier"]
    list_filter = ["kind", "language"]
    search_fields = ["key", "authors", "title", "identifier", "note_en", "note_es"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "authors", "title", "container", ("year", "date")]}),
        (_("Publication"), {"fields": ["publisher", "place", "identifier", "url", "accessed", "language"]}),
        (_("Notes"), {"fields": ["note_en", "note_es"]}),
    ]
