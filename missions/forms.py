from django import forms
from django.utils.translation import gettext_lazy as _

from missions.listing import DEFAULT_SORT, SORT_KEYS


class MissionFilterForm(forms.Form):
    """Querystring state of the mission list: every filter, sort and page is a shareable URL.
    With no `kind` the list shows peacekeeping operations, or every kind when searching or filtering
    by Mexican personnel; `kind=all` shows every kind."""

    KINDS = [("pko", _("Peacekeeping operations")), ("spm", _("Special political missions")),
             ("other", _("Other UN presences")), ("all", _("All kinds"))]
    STATUS = [("", _("Open and closed")), ("active", _("Open")), ("closed", _("Closed"))]
    MEXICO = [("", _("With or without")), ("now", _("Mexicans there now")),
              ("ever", _("Mexicans there at some time since 2015")), ("never", _("No Mexicans since 2015"))]
    SORTS = [(key, key) for key in SORT_KEYS] + [(f"-{key}", f"-{key}") for key in SORT_KEYS]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    region = forms.ChoiceField(label=_("Host region"), required=False)
    mexico = forms.ChoiceField(label=_("Mexican personnel"), choices=MEXICO, required=False)
    sort = forms.ChoiceField(choices=SORTS, required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [(r, r) for r in regions]

    def state(self) -> dict:
        """The cleaned filters with defaults filled in (invalid input falls back to them)."""
        data = {}
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the fields that are valid
            data = self.cleaned_data
        # A search, or asking where Mexicans serve, looks across every kind unless a kind is chosen:
        # UNVMC (a special political mission) holds half of Mexico's personnel.
        kind = data.get("kind") or ("all" if data.get("q") or data.get("mexico") else "pko")
        return {"q": data.get("q", ""), "kind": "" if kind == "all" else kind, "status": data.get("status", ""),
                "region": data.get("region", ""), "mexico": data.get("mexico", ""),
                "sort": data.get("sort") or DEFAULT_SORT, "page": data.get("page") or 1}
