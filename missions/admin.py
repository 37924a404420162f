from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from missions import decisions
from missions.editing import VersionedAdmin
from missions.models import (
    Country,
    DataFile,
    DataRelease,
    Deployment,
    Fatality,
    MandateDecision,
    MandateFunction,
    Mission,
    MissionCut,
    MissionStrength,
)
from missions.release_admin import DataReleaseAdmin

# The admin is the curators' workbench: name it so, and link back to the dashboard.
admin.site.site_header = _("pkoanalysis: curate the data and the risk model")
admin.site.site_title = _("pkoanalysis curation")
admin.site.index_title = _("What curators keep")
admin.site.site_url = "/"


@admin.register(Country)
class CountryAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["iso3", "name_en", "name_es", "region", "subregion"]
    list_editable = ["name_es", "region"]
    list_filter = ["region"]
    search_fields = ["iso3", "name_en", "name_es", "aliases"]


@admin.register(MandateFunction)
class MandateFunctionAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_es", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_en", "name_es"]


class DecisionInline(admin.TabularInline):
    """The mission's Security Council decisions, to read; each is edited on its own page, whose
    save applies it to the mission."""

    model = MandateDecision
    fields = ["adopted", "symbol", "kind", "mandate_end", "verified"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-adopted"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mission)
class MissionAdmin(VersionedAdmin, SimpleHistoryAdmin):
    inlines = [DecisionInline]
    list_display = ["acronym", "name", "kind", "host_country", "start_date", "end_date", "is_active",
                    "chapter_vii"]
    list_filter = ["is_active", "kind", "chapter_vii", "lead_department", "host_country__region", "functions"]
    search_fields = ["acronym", "name", "name_es", "host_country__name_en", "hq_location"]
    autocomplete_fields = ["host_country"]
    filter_horizontal = ["functions"]
    fieldsets = [
        (None, {"fields": ["acronym", "name", "name_es", "kind", "lead_department", "is_active", "chapter_vii"]}),
        (_("Place"), {"fields": ["host_country", "hq_location", "hq_latitude", "hq_longitude"]}),
        (_("Dates"), {"fields": ["start_date", "end_date"]}),
        (_("Mandate"), {"fields": ["functions"]}),
        (_("Facts the safeguard gates read"), {"fields": [
            ("mandate_end", "mandate_final"), "mandate_source", "host_consent", "ceasefire_agreement",
            "impartiality_concern", "formed_units", "facts_note", "facts_note_es", "facts_source"],
            "description": _("Each fact needs its source. A formed-units override replaces what the latest UN "
                             "report shows and must say why.")}),
        (_("Provenance"), {"fields": ["source", "notes", "notes_es"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Where the Council's decisions are curated, they decide these fields (missions.decisions).
        if obj is not None and obj.decisions.exists():
            return [*super().get_readonly_fields(request, obj), *decisions.FIELDS, "functions"]
        return super().get_readonly_fields(request, obj)


@admin.register(MandateDecision)
class MandateDecisionAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["mission", "symbol", "adopted", "kind", "mandate_end", "verified"]
    list_filter = ["kind", "verified", "mission__kind"]
    search_fields = ["mission__acronym", "symbol", "summary", "note"]
    autocomplete_fields = ["mission"]
    filter_horizontal = ["tasks_added", "tasks_removed"]
    date_hierarchy = "adopted"
    list_select_related = ["mission"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["mission", "symbol", "adopted", "kind", "mandate_end"]}),
        (_("Tasks"), {"fields": ["tasks_added", "tasks_removed"]}),
        (_("Authorised ceilings"), {"fields": [("troops", "police", "observers")]}),
        (_("What it decided, and the source"), {
            "fields": ["summary", "summary_es", "source", "source_url", "verified", "note"],
            "description": _("A decision left unverified makes its mission's horizon unknown: the model treats "
                             "options there as conditional until it is verified.")}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the tasks are saved by now
        decisions.apply_decisions(Mission.objects.filter(pk=form.instance.mission_id))

    def delete_model(self, request, obj):
        mission = obj.mission_id
        super().delete_model(request, obj)
        decisions.apply_decisions(Mission.objects.filter(pk=mission))


@admin.register(MissionCut)
class MissionCutAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "announced", "uniformed_share", "budget_share", "sheds_formed_units",
                    "reimbursement_delay_months", "verified"]
    list_filter = ["verified", "sheds_formed_units"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["mission__acronym", "summary", "source"]
    autocomplete_fields = ["mission"]
    fieldsets = [
        (None, {"fields": ["mission", "announced"]}),
        (_("The cut"), {"fields": [("uniformed_share", "uniformed_low", "uniformed_high"), "budget_share",
                                   "sheds_formed_units", "reimbursement_delay_months"]}),
        (_("What was decided, and the source"), {"fields": ["summary", "source", "source_url", "verified", "note"]}),
    ]


@admin.register(Deployment)
class DeploymentAdmin(SimpleHistoryAdmin):
    list_display = ["month", "country", "mission", "personnel_type", "male", "female", "total", "source"]
    list_filter = ["source", "personnel_type", "mission__is_active"]
    search_fields = ["country__iso3", "country__name_en", "mission__acronym"]
    autocomplete_fields = ["country", "mission"]
    date_hierarchy = "month"
    list_select_related = ["country", "mission"]
    show_full_result_count = False


@admin.register(MissionStrength)
class MissionStrengthAdmin(SimpleHistoryAdmin):
    list_display = ["mission", "month", "authorised_troops", "troops", "authorised_police", "police",
                    "authorised_observers", "observers"]
    search_fields = ["mission__acronym"]
    autocomplete_fields = ["mission"]
    date_hierarchy = "month"
    list_select_related = ["mission"]


@admin.register(Fatality)
class FatalityAdmin(SimpleHistoryAdmin):
    list_display = ["incident_date", "mission", "nationality", "personnel_type", "incident_type", "gender"]
    list_filter = ["incident_type", "personnel_type", "gender"]
    search_fields = ["mission__acronym", "nationality__name_en", "nationality_name", "casualty_id"]
    autocomplete_fields = ["mission", "nationality"]
    date_hierarchy = "incident_date"
    list_select_related = ["mission", "nationality"]


@admin.register(DataFile)
class DataFileAdmin(admin.ModelAdmin):
    list_display = ["dataset", "filename", "rows", "first_month", "last_month", "imported_at"]
    readonly_fields = ["dataset", "filename", "sha256", "rows", "first_month", "last_month", "imported_at"]
    filter_horizontal = ["sources"]  # what a briefing cites for the data set

    def has_add_permission(self, request):
        return False


admin.site.register(DataRelease, DataReleaseAdmin)
