"""Spanish notes of the shipped bibliography with numbers as written in Mexico (1,332 not 1.332,
13,000 not 13 000, 25% not 25 %), in databases loaded before (the loader fills only empty notes).
A note a curator already changed is left alone."""

from django.db import migrations

PARTS = [
    ("unga-tcc-rate-2018", "1.332 dólares desde el 1 de julio de 2014, 1.365 desde 2016 y 1.410 desde 2017",
     "1,332 dólares desde el 1 de julio de 2014, 1,365 desde 2016 y 1,410 desde 2017"),
    ("un-liquidity-cuts-2025", "(13 000 a 14 000)", "(13,000 a 14,000)"),
    ("un-liquidity-cuts-2025", "25 %", "25%"),
    ("un-liquidity-cuts-2025", "15 %", "15%"),
]


def forwards(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    for key, before, after in PARTS:
        for source in Source.objects.filter(key=key, note_es__contains=before):
            source.note_es = source.note_es.replace(before, after)
            source.save(update_fields=["note_es"])


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
