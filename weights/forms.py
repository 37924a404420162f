"""The elicitation forms: server-validated, working without JavaScript. Each form's
`derived` (weights, CR, the judgment to repair) is set once it is valid."""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pkoanalysis.names import validate_visible
from risks.engine import elicitation as el
from risks.models import Category
from weights import methods
from weights.models import Method

LABELS = dict(Category.choices)
MAX_MATRIX_CHARS = 4000


def judgment_value(text: str) -> float:
    """'3', '1/3', '0.333' -> a number on Saaty's range, or ValidationError saying why not."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        raise forms.ValidationError(_("This comparison is missing."), code="required")
    try:
        value = float(Fraction(text)) if "/" in text else float(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise forms.ValidationError(_("%(text)s is not a number: write 3, 1/3 or 0.33.") % {"text": text[:20]},
                                    code="invalid") from None
    if not value > 0:
        raise forms.ValidationError(_("A comparison is above zero: 1 means equally important."), code="zero")
    if not 1 / 9 - 1e-3 <= value <= 9 + 1e-9:
        raise forms.ValidationError(_("Saaty's scale runs from 1/9 to 9, not %(text)s.") % {"text": text[:20]},
                                    code="range")
    return value


def show(value: float) -> str:
    """A judgment as the form shows it: 3, 1/3 or 2.5."""
    if value >= 1 - 1e-9:
        return f"{value:g}" if abs(value - round(value)) > 1e-9 else str(round(value))
    inverse = 1 / value
    return f"1/{round(inverse)}" if abs(inverse - round(inverse)) < 1e-6 else f"{value:.3g}"


class Head(forms.Form):
    """What names the judgments: a weight set's name, or a workshop participant's label and account."""

    def __init__(self, *args, participant: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if participant:
            self.fields["label"] = forms.CharField(label=_("Participant"), max_length=80, validators=[validate_visible],
                                                   help_text=_("e.g. SRE, SEDENA, SEMAR, Senate committee"))
            self.fields["user"] = forms.ModelChoiceField(
                label=_("Their account (optional)"), required=False,
                queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
                help_text=_("The participant may then sign in and change their own judgments."))
        else:
            self.fields["name"] = forms.CharField(label=_("Name"), max_length=150, validators=[validate_visible])
            self.fields["name_es"] = forms.CharField(
                label=_("Name in Spanish"), max_length=150, required=False, validators=[validate_visible],
                help_text=_("Shown on Spanish pages and briefings; blank: the name above."))


class SwingForm(Head):
    method = Method.SWING

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in methods.CRITERIA:
            self.fields[f"r_{code}"] = forms.IntegerField(
                label=LABELS[code], min_value=0, max_value=100,
                error_messages={"required": _("Rate every category (0 if its swing does not matter).")})

    def judgment_fields(self):
        return [self[f"r_{code}"] for code in methods.CRITERIA]

    def judgments(self) -> dict:
        return {"ratings": {c: self.cleaned_data[f"r_{c}"] for c in methods.CRITERIA}}

    def clean(self):
        data = super().clean()
        ratings = [data.get(f"r_{c}") for c in methods.CRITERIA]
        if None not in ratings:
            if max(ratings) != 100:
                raise forms.ValidationError(_("Give the category whose swing from worst to best matters most 100, "
                                              "and rate the others against it (the highest now is %(top)s).")
                                            % {"top": max(ratings)})
            self.derived = methods.derive(self.method, self.judgments())
        return data


class RankForm(Head):
    method = Method.RANK

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        n = len(methods.CRITERIA)
        for code in methods.CRITERIA:
            self.fields[f"k_{code}"] = forms.IntegerField(
                label=LABELS[code], min_value=1, max_value=n,
                error_messages={"required": _("Give every category a place from 1 to %(n)s.") % {"n": n}})

    def judgment_fields(self):
        return [self[f"k_{code}"] for code in methods.CRITERIA]

    def judgments(self) -> dict:
        return {"ranks": {c: self.cleaned_data[f"k_{c}"] for c in methods.CRITERIA}}

    def clean(self):
        data = super().clean()
        if all(data.get(f"k_{c}") is not None for c in methods.CRITERIA):
            self.derived = methods.derive(self.method, self.judgments())
        return data


class AHPForm(Head):
    """Each pair once (the upper triangle), or a whole matrix pasted in: then every judgment
    below the diagonal must be the reciprocal of its mirror."""

    method = Method.AHP
    matrix = forms.CharField(
        label=gettext_lazy("Or paste the whole matrix"), required=False, max_length=MAX_MATRIX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=gettext_lazy("Nine rows of nine numbers in the categories' order, separated by spaces or tabs "
                               "(as copied from a spreadsheet). It replaces the comparisons above."))
    accept_inconsistent = forms.BooleanField(
        label=gettext_lazy("Save even though the consistency ratio is above 0.10"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = {c: k for k, c in enumerate(methods.CRITERIA)}
        for a, b in methods.PAIRS:
            self.fields[self.pair_name(a, b)] = forms.CharField(
                label=_("%(a)s against %(b)s") % {"a": LABELS[a], "b": LABELS[b]}, required=False, max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5, "autocomplete": "off",
                                              "class": "judgment", "data-i": index[a], "data-j": index[b]}))
        last = ("matrix", "accept_inconsistent")
        self.order_fields([*(name for name in self.fields if name not in last), *last])
        self.repair, self.repairs = None, []

    # For the page's live check (static/js/elicit.js): Saaty's random index for this many
    # categories, and the categories' names in the matrix's order.
    random_index = el.RANDOM_INDEX[len(methods.CRITERIA)]
    category_labels = [LABELS[c] for c in methods.CRITERIA]

    @staticmethod
    def pair_name(a: str, b: str) -> str:
        return f"p_{a}__{b}"

    def judgment_fields(self):
        return [(self[self.pair_name(a, b)], LABELS[a], LABELS[b]) for a, b in methods.PAIRS]

    def judgments(self) -> dict:
        return {"pairs": self.pairs}

    def clean(self):
        data = super().clean()
        if (data.get("matrix") or "").strip():
            self.pairs = self.pasted(data["matrix"])
        else:
            self.pairs = {}
            for a, b in methods.PAIRS:
                name = self.pair_name(a, b)
                try:
                    self.pairs[methods.pair_key(a, b)] = judgment_value(self.data.get(self.add_prefix(name), ""))
                except forms.ValidationError as error:
                    self.add_error(name, error)
        if self.errors:
            return data
        self.derived = methods.derive(self.method, self.judgments())
        if self.derived.cr > el.CR_LIMIT and not data.get("accept_inconsistent"):
            message = _("These judgments are inconsistent: the consistency ratio is %(cr).2f, above 0.10.") % {
                "cr": self.derived.cr}
            self.repairs = [self.repair_of(step) for step in methods.repair_path(self.judgments())]
            if self.repairs:
                self.repair = first = self.repairs[0]
                message += " " + _("The judgment that most breaks consistency is %(a)s against %(b)s = %(current)s; "
                                   "the other judgments imply %(suggested)s, which would bring the ratio to "
                                   "%(cr).2f.") % {**first, "cr": first["cr_after"]}
            if len(self.repairs) > 1:
                message += " " + _("Changing these %(n)s judgments together brings it to %(cr).2f: %(list)s.") % {
                    "n": len(self.repairs), "cr": self.repairs[-1]["cr_after"],
                    "list": "; ".join(_("%(a)s against %(b)s from %(current)s to %(suggested)s") % r
                                      for r in self.repairs)}
            for r in self.repairs:
                self.add_error(r["field"], _("The other judgments imply %(suggested)s.") % r)
            self.add_error(None, message)
        return data

    def repair_of(self, step) -> dict:
        """A suggested change as the page shows it: the field (its name and id), the two
        categories, the judgment as given and as suggested, and the CR once it is made."""
        a, b = methods.CRITERIA[step.i], methods.CRITERIA[step.j]
        field = self.pair_name(a, b)
        return {"field": field, "id": self[field].id_for_label, "a": LABELS[a], "b": LABELS[b],
                "current": show(step.current), "suggested": show(step.suggested), "cr_after": step.cr_after}

    def pasted(self, text: str) -> dict:
        n = len(methods.CRITERIA)
        rows = [line.replace(",", " ").replace(";", " ").split() for line in text.strip().splitlines() if line.strip()]
        if len(rows) != n or any(len(r) != n for r in rows):
            raise forms.ValidationError({"matrix": _("The matrix has %(n)s rows of %(n)s numbers.") % {"n": n}})
        values = [[0.0] * n for _r in range(n)]
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                try:
                    values[i][j] = judgment_value(cell)
                except forms.ValidationError as error:
                    raise forms.ValidationError({"matrix": _("Row %(i)s, column %(j)s: %(error)s") % {
                        "i": i + 1, "j": j + 1, "error": " ".join(error.messages)}}) from None
        try:
            matrix = el.check_matrix(values)
        except el.ElicitationError:
            bad = next((i, j) for i in range(n) for j in range(n)
                       if abs(values[i][j] * values[j][i] - 1) > el.RECIPROCAL_TOLERANCE)
            raise forms.ValidationError({"matrix": _(
                "Row %(i)s, column %(j)s (%(a)s against %(b)s) is %(v)s, which is not the reciprocal of row %(j)s, "
                "column %(i)s (%(w)s).") % {"i": bad[0] + 1, "j": bad[1] + 1, "a": LABELS[methods.CRITERIA[bad[0]]],
                                             "b": LABELS[methods.CRITERIA[bad[1]]], "v": show(values[bad[0]][bad[1]]),
                                             "w": show(values[bad[1]][bad[0]])}}) from None
        return {methods.pair_key(a, b): float(matrix[i, j]) for (a, b), (i, j)
                in zip(methods.PAIRS, ((i, j) for i in range(n) for j in range(i + 1, n)), strict=True)}


FORMS = {Method.SWING: SwingForm, Method.RANK: RankForm, Method.AHP: AHPForm}


def initial_for(method: str, judgments: dict) -> dict:
    """A form's initial values from stored judgments (to revisit or edit them)."""
    if method == Method.SWING:
        return {f"r_{c}": v for c, v in judgments.get("ratings", {}).items()}
    if method == Method.RANK:
        return {f"k_{c}": v for c, v in judgments.get("ranks", {}).items()}
    if method == Method.AHP:
        return {AHPForm.pair_name(*key.split("|")): show(v) for key, v in judgments.get("pairs", {}).items()}
    return {}
