from django import forms
from django.utils.translation import gettext_lazy as _


class MissionFilterForm(forms.Form):
    """Querystring filters of the mission list; every state is a shareable URL."""

    STATUS = [("", _("All")), ("active", _("Active")), ("closed", _("Closed"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    region = forms.ChoiceField(label=_("Host region"), required=False)
    mexico = forms.BooleanField(label=_("With Mexican personnel"), required=False)

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [(r, r) for r in regions]
