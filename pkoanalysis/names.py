"""Names people type or upload (missions, countries, scenarios, plans, weight sets): what may not be
in them, and when one looks like another (issue 25 F8, F9).

* Invisible characters that change how the text around them reads: the bidirectional embeddings,
  overrides and isolates (U+202A-202E, U+2066-2069; "Trojan Source", CVE-2021-42574), the
  directional marks, and the zero-width characters. A name holding one can show as another.
* Look-alike acronyms: `skeleton` folds an acronym to the form it is read as, after Unicode's
  confusables (UTS #39) restricted to what an acronym may hold: Cyrillic and Greek capitals
  drawn like Latin ones, lower-case L and the digit 1 for capital I, the digit 0 for O, case.
  Two acronyms with the same skeleton are one mission to a reader.

Names are refused on the way in (`validate_visible` on form fields, `VisibleNames` on models, which
checks every CharField in full_clean); pages show them inside <bdi>, so a name from before (or a
free-text note, where right-to-left marks are legitimate) cannot reorder the text around it.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = BIDI_CONTROLS + "\u200b\u200c\u200d\u200e\u200f\u2060\u061c\ufeff\u00ad\u180e"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

# Capitals of other scripts drawn like Latin ones (a subset of Unicode's confusables.txt).
LATIN_LOOKALIKES = str.maketrans({
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
    "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
    # Within ASCII: read as the capital they resemble
    "l": "I", "1": "I", "|": "I", "0": "O",
})


def invisible_characters(text: str) -> list[str]:
    """The invisible or direction-changing characters in `text`, as 'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    return [f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})" for c in dict.fromkeys(INVISIBLE_RE.findall(text))]


def shown(text: str) -> str:
    """`text` with each invisible character written out (⟨U+202E⟩), for a page that must show a
    name exactly as uploaded without letting it reorder the text around it."""
    return INVISIBLE_RE.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)


def skeleton(acronym: str) -> str:
    """What an acronym is read as: NFKC, look-alikes folded to Latin capitals, spaces and dots
    dropped, upper case. skeleton('МINUSCA') == skeleton('MlNUSCA') == skeleton('MINUSCA')."""
    folded = unicodedata.normalize("NFKC", acronym).translate(LATIN_LOOKALIKES)
    return re.sub(r"[\s.]", "", INVISIBLE_RE.sub("", folded)).upper()


def readings(acronym: str) -> set[str]:
    """The ways an acronym may be read: its skeleton, and (for 'Unifil', whose lower-case l reads as
    L once the case is ignored) the same without folding l and 1 to I."""
    plain = unicodedata.normalize("NFKC", acronym).translate(LATIN_LOOKALIKES | {ord("l"): "l", ord("1"): "1"})
    return {skeleton(acronym), re.sub(r"[\s.]", "", INVISIBLE_RE.sub("", plain)).upper()}


def lookalike(acronym: str, known) -> str | None:
    """The acronym among `known` that `acronym` would be taken for (other than itself), if any."""
    target = readings(acronym)
    for other in known:
        if other != acronym and readings(other) & target:
            return other
    return None


def foreign_characters(acronym: str, allowed: str = r"[A-Za-z0-9 .-]") -> list[str]:
    """The characters of `acronym` outside `allowed`, named: 'М' (CYRILLIC CAPITAL LETTER EM)."""
    return [f"{c!r} ({unicodedata.name(c, f'U+{ord(c):04X}')})" for c in dict.fromkeys(acronym)
            if not re.fullmatch(allowed, c)]


def validate_visible(value: str) -> None:
    """A form or model field validator: no invisible or direction-changing character in a name."""
    hidden = invisible_characters(value) if isinstance(value, str) else []
    if hidden:
        raise ValidationError(_("A name cannot hold invisible or direction-changing characters: %(chars)s."),
                              code="invisible", params={"chars": ", ".join(hidden)})


class VisibleNames:
    """Model mixin: full_clean (every ModelForm, the admin) refuses invisible or direction-changing
    characters in each CharField (names, labels, codes, sources), with the other field errors."""

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField) and field.name not in (exclude or ()) and field.name not in errors:
                try:
                    validate_visible(getattr(self, field.attname))
                except ValidationError as exc:
                    errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)
