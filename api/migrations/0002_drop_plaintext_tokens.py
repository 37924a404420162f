"""API tokens moved to django-rest-knox, which keeps only a digest (issue 25 F13). DRF's authtoken
table held every token in plain text: it is dropped, so no copy of the database lets anyone call
the API. Holders of an old token ask /api/token/ for a new one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_shared_cache_table"), ("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
