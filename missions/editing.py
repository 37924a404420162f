"""Two curators editing the same row: the second save is refused, never silently applied.

Optimistic locking on `Versioned` models. A form carries the version its row had when it was
loaded (a hidden field); saving claims the next version with one conditional
`UPDATE ... SET version = version + 1 WHERE id = %s AND version = %s`. The UPDATE locks the
row, so of two concurrent saves exactly one matches; the other raises `EditConflictError` and its
transaction rolls back. `VersionedForm` checks the version while validating, so the usual
case (the other save finished first) is a form error; `save_versioned` closes the race.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class EditConflictError(Exception):
    """The row changed after the form was loaded; str() is the message for the user."""


def conflict_message(obj: models.Model) -> str:
    """Who changed the row last and when, from its history (simple_history)."""
    last = obj.history.model.objects.filter(id=obj.pk).order_by("-history_date").first()
    who = (last.history_user.get_username() if last and last.history_user else _("someone else"))
    when = date_format(timezone.localtime(last.history_date), "Y-m-d H:i") if last else _("a moment ago")
    return _("This %(thing)s was changed by %(user)s at %(time)s while you were editing it; reload to see "
             "their changes.") % {"thing": obj._meta.verbose_name, "user": who, "time": when}


def current_version(obj: models.Model) -> int | None:
    return type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()


def save_versioned(obj: models.Model, loaded_version: int | None) -> None:
    """Save obj (a Versioned model) as the next version of its row.

    loaded_version: the version the editor started from; None saves over whatever is there
    (a path that carries no version, such as the admin's list_editable), still counting the
    change so that open forms notice it. Raises EditConflictError and writes nothing when the row
    moved on since loaded_version.
    """
    with transaction.atomic():
        if obj.pk is None or not type(obj)._base_manager.filter(pk=obj.pk).exists():
            obj.version = 1
            obj.save()
            return
        rows = type(obj)._base_manager.filter(pk=obj.pk)
        if loaded_version is not None:
            rows = rows.filter(version=loaded_version)
        if not rows.update(version=F("version") + 1):
            raise EditConflictError(conflict_message(obj))
        obj.version = current_version(obj)
        obj.save()


class VersionedForm(forms.ModelForm):
    """A ModelForm for a Versioned model that carries the version it was loaded with and
    refuses to validate when the row has changed since. Save through `save_versioned`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The row's version now, not the instance's: a history revert edits an old snapshot.
            self.fields["version"].initial = current_version(self.instance)
            self.fields["version"].required = True

    @property
    def loaded_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk else None

    def clean(self):
        data = super().clean()
        loaded = data.get("version")
        if self.instance.pk and loaded is not None and current_version(self.instance) != loaded:
            raise forms.ValidationError(conflict_message(self.instance), code="edit_conflict")
        return data

    def save(self, commit=True):
        obj = super().save(commit=False)
        if commit:
            save_versioned(obj, self.loaded_version)
            self.save_m2m()
        return obj


class VersionedAdmin:
    """ModelAdmin mixin: the change form carries the version, saves are conditional, and a
    save that lost a race after validating is answered with the form and its error."""

    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("version" in options["fields"] for _name, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # `version` is a form field, not an editable model field: keep it out of the factory's list
        # (the change view passes the fields; the history view lets get_form read the fieldsets).
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = [f for f in kwargs["fields"] if f != "version"]
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        save_versioned(obj, getattr(form, "loaded_version", None) if isinstance(form, VersionedForm) else None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflictError:
            # The admin's transaction rolled back; validating again now shows the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)
