"""The table of the shared cache (settings.CACHES["shared"], when no CACHE_URL names a Redis):
the API's rate-limit counters live there, so `migrate` must create it. Created whatever the
cache settings say, so that switching from Redis to the database needs no extra step."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "pko_shared_cache"  # settings.CACHES["shared"]["LOCATION"]


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_table, drop_table)]
