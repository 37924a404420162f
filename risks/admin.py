from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from missions.admin import MissionAdmin
from missions.editing import VersionedAdmin
from missions.models import DataRelease, Mission
from missions.release_admin import DataReleaseAdmin
from risks import attention, services
from risks.forms import FactorCorrelationForm, ScenarioAdminForm
from risks.models import (
    ContributionMode,
    Factor,
    FactorCorrelation,
    FactorFunctionEffect,
    FactorModeEffect,
    SafeguardGate,
    Scenario,
    ScenarioResult,
)


class RecomputeOnSave:
    """Saving or deleting an input marks the results stale and queues their recomputation,
    after the transaction commits. save_related runs after the object and its inlines. The
    change form and the list (its editable columns save too) say so before anyone saves."""

    recompute_note = _("Saving recomputes what depends on this: every scenario's result and the option grid are "
                       "marked stale at once and recomputed in the background (each scenario page shows the "
                       "progress, and the old result with a warning until then).")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "recompute_note": self.recompute_note}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "recompute_note": self.recompute_note}
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            return  # saved as it was: nothing to recompute
        self.inputs_changed(form.instance, edited=change)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.inputs_changed(obj, edited=False)

    def inputs_changed(self, obj, edited: bool) -> None:
        services.inputs_changed()


# Missions are inputs of the scores: the risks app extends the missions app's admin.
admin.site.unregister(Mission)


@admin.register(Mission)
class ScoredMissionAdmin(RecomputeOnSave, MissionAdmin):
    recompute_note = _("Saving recomputes what depends on this mission: its options in the option grid, and the "
                       "scenarios and plans that include it, marked stale at once and recomputed in the background "
                       "(each page shows the old result with a warning until then).")

    def inputs_changed(self, obj, edited: bool) -> None:
        # An edit changes this mission's facts only; a new or deleted mission changes every table.
        services.inputs_changed(missions=[obj.pk] if edited else None)

    def get_urls(self):
        return [path("attention/", self.admin_site.admin_view(self.attention_view), name="missions_attention"),
                *super().get_urls()]

    def attention_view(self, request):
        """The curators' list of what needs attention (risks.attention)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        sections = attention.attention()
        return TemplateResponse(request, "admin/attention.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "sections": sections,
            "title": _("What needs a curator's attention"), "total": sum(len(items) for _t, items in sections)})


# A release that is applied or rolled back changes hazards, composition and every result.
admin.site.unregister(DataRelease)


@admin.register(DataRelease)
class RecomputingDataReleaseAdmin(DataReleaseAdmin):
    recompute_note = RecomputeOnSave.recompute_note

    def data_changed(self, request) -> None:
        services.inputs_changed()


@admin.register(ContributionMode)
class ContributionModeAdmin(RecomputeOnSave, VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "command_accountability", "legal_precedent", "readiness",
                    "cost_per_person_month_usd", "un_reimbursement_usd"]
    list_editable = ["command_accountability", "legal_precedent", "readiness", "cost_per_person_month_usd"]
    search_fields = ["code", "name_en", "name_es"]
    filter_horizontal = ["functions", "sources"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_es", "order", "description", "description_es", "source",
                           "sources"]}),
        (_("Size and tasks"), {"fields": ["default_size", "hazard_group", "functions"]}),
        (_("Cost per person per month (US$)"), {"fields": [
            ("cost_low_usd", "cost_per_person_month_usd", "cost_high_usd"), ("reimbursed", "un_reimbursement_usd")]}),
        (_("Judgements"), {"fields": ["command_accountability", "legal_precedent", "readiness"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["cost_per_person_month_usd"].label = _("most likely")
        return form


class ModeEffectInline(admin.TabularInline):
    model = FactorModeEffect
    extra = 0


class FunctionEffectInline(admin.TabularInline):
    model = FactorFunctionEffect
    extra = 0


@admin.register(Factor)
class FactorAdmin(RecomputeOnSave, VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "kind", "category", "likelihood_mode", "impact_mode", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    list_editable = ["likelihood_mode", "impact_mode", "is_active"]
    search_fields = ["code", "name_en", "name_es", "description", "source"]
    inlines = [ModeEffectInline, FunctionEffectInline]
    filter_horizontal = ["sources"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_es", "kind", "category", "is_active", "description",
                           "description_es", "mitigation", "mitigation_es", "source", "sources"]}),
        (_("How it is measured"), {"fields": ["quantity", "size_scaled"],
                                   "description": _("Data factors (fatalities, net cost) ignore likelihood and "
                                                    "impact: the UN record and the cost model give them.")}),
        ("Likelihood (low / most likely / high)", {"fields": [("likelihood_low", "likelihood_mode", "likelihood_high")]}),
        ("Impact (low / most likely / high)", {"fields": [("impact_low", "impact_mode", "impact_high")]}),
        ("Mission features (multipliers at full strength)", {"fields": [
            "hostility_effect", "chapter_vii_effect", "spanish_host_effect", "latam_presence_effect",
            "duration_effect"]}),
    ]


@admin.register(FactorCorrelation)
class FactorCorrelationAdmin(RecomputeOnSave, SimpleHistoryAdmin):
    list_display = ["factor_a", "factor_b", "rho", "source"]
    list_editable = ["rho"]
    autocomplete_fields = ["factor_a", "factor_b"]
    form = FactorCorrelationForm


@admin.register(SafeguardGate)
class SafeguardGateAdmin(RecomputeOnSave, VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "is_active"]
    filter_horizontal = ["sources"]
    list_editable = ["is_active"]
    search_fields = ["code", "name_en", "description"]


@admin.register(Scenario)
class ScenarioAdmin(RecomputeOnSave, VersionedAdmin, SimpleHistoryAdmin):
    form = ScenarioAdminForm
    list_display = ["name", "owner", "mode", "size", "duration_months", "aggregation", "updated_at",
                    "computation_error"]
    list_filter = ["mode", "aggregation"]
    search_fields = ["name", "name_es", "notes", "owner__username"]
    filter_horizontal = ["missions", "functions"]
    autocomplete_fields = ["owner"]

    recompute_note = _("Saving recomputes this scenario's result in the background; its page shows the progress.")

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser gives a scenario to someone else; a curator's new scenario is their own.
        readonly = [*super().get_readonly_fields(request, obj), "computation_error"]
        return readonly if request.user.is_superuser else [*readonly, "owner"]

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def inputs_changed(self, obj, edited: bool) -> None:
        services.inputs_changed([obj.pk])


@admin.register(ScenarioResult)
class ScenarioResultAdmin(admin.ModelAdmin):
    list_display = ["scenario", "feasibility", "net", "p10", "p50", "p90", "p_positive", "is_stale", "computed_at"]
    list_filter = ["feasibility", "is_stale"]
    readonly_fields = [f.name for f in ScenarioResult._meta.fields]

    def has_add_permission(self, request):
        return False

