from django import forms
from django.utils.translation import gettext_lazy as _

from pkoanalysis.names import validate_visible


class BriefingForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("pptx", _("PPTX (slides)")),
                                                          ("xlsx", _("XLSX (Excel)")), ("csv", "CSV")])
    language = forms.ChoiceField(label=_("Language"), choices=[("en", _("English")), ("es", _("Spanish"))])
    paper = forms.ChoiceField(label=_("Paper"), choices=[("a4", "A4"), ("letter", _("Letter"))])
    client = forms.CharField(label=_("Client"), max_length=150, required=False, validators=[validate_visible])
    firm = forms.CharField(label=_("Prepared by"), max_length=150, required=False, validators=[validate_visible])
