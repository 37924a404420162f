"""The table of the shared cache (settings.CACHES["shared"]) when no CACHE_URL names a Redis:
the API's rate-limit counters live there, so `migrate` must create it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
