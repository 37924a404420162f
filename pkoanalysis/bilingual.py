"""Objects people name in two languages (scenarios, plans, weight sets): the name (and the notes or
description) as typed, and an optional Spanish twin (`name_es`, `notes_es`, `description_es`)
shown when the page is in Spanish. Either falls back to the other, so a name typed in one
language only shows in both.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import get_language


def spanish() -> bool:
    """Is the active language Spanish?"""
    return (get_language() or "en").startswith("es")


def in_language(obj: object, field: str) -> str:
    """`field` of `obj` in the active language: its `<field>_es` twin on Spanish pages when it has
    one, else the field itself (and the Spanish one when the field is empty)."""
    original, twin = getattr(obj, field, "") or "", getattr(obj, f"{field}_es", "") or ""
    return (twin or original) if spanish() else (original or twin)


def both(text) -> tuple[str, str]:
    """A translatable text (gettext_lazy) in English and in Spanish, for a row that stores both
    (the shipped presets and demo data)."""
    with translation.override("en"):
        english = str(text)
    with translation.override("es"):
        spanish_text = str(text)
    return english, spanish_text


class TwoLanguageName:
    """Model mixin: `display_name` in the active language; `__str__` shows it."""

    @property
    def display_name(self) -> str:
        return in_language(self, "name")

    def __str__(self) -> str:
        return self.display_name
