"""Fill locale/es from a translations module: python locale/fill_es.py TRANSLATIONS.py

Keeps existing translations, reports untranslated strings. (Dev tool.)
"""
import runpy
import sys

import polib

table = runpy.run_path(sys.argv[1])
po = polib.pofile("locale/es/LC_MESSAGES/django.po")
missing = []
for entry in po:
    if entry.msgid_plural:
        if entry.msgid in table.get("PLURAL", {}):
            one, many = table["PLURAL"][entry.msgid]
            entry.msgstr_plural = {0: one, 1: many}
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        elif not entry.msgstr_plural.get(0):
            missing.append(entry.msgid)
    elif entry.msgid in table["T"]:
        entry.msgstr = table["T"][entry.msgid]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    elif not entry.msgstr:
        missing.append(entry.msgid)
po.save()
print("untranslated:", missing)
