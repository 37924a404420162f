"""The shipped Spanish texts as risks/catalogue now has them, in databases loaded before (the
loader fills only empty texts): the 2018 brief's "non-involvement tradition" is Mexico's habit of
not sending troops abroad, not the constitutional principle of non-intervention (Art. 89-X), and
numbers are written as in Mexico (1,000 and 0.1). A text a curator already changed is left alone.
"""

from django.db import migrations

REPLACED = [
    # (code, field, as shipped before, as shipped now)
    ("domestic_opposition", "name_es", "Oposición interna y tradición de no intervención",
     "Oposición interna y tradición de no enviar tropas al exterior"),
]
PARTS = [
    ("personnel_fatalities", "description_es", "por 1.000 personas-año", "por 1,000 personas-año"),
    ("personnel_fatalities", "description_es", "0,1 muertes esperadas", "0.1 muertes esperadas"),
]


def forwards(apps, schema_editor):
    Factor = apps.get_model("risks", "Factor")
    for code, field, before, after in REPLACED:
        Factor.objects.filter(code=code, **{field: before}).update(**{field: after})
    for code, field, before, after in PARTS:
        for factor in Factor.objects.filter(code=code, **{f"{field}__contains": before}):
            setattr(factor, field, getattr(factor, field).replace(before, after))
            factor.save(update_fields=[field])


def backwards(apps, schema_editor):
    Factor = apps.get_model("risks", "Factor")
    for code, field, before, after in REPLACED:
        Factor.objects.filter(code=code, **{field: after}).update(**{field: before})


class Migration(migrations.Migration):
    dependencies = [("risks", "0011_scenario_spanish_name_and_notes")]
    operations = [migrations.RunPython(forwards, backwards)]
