"""Time the full UN data import into a fresh PostgreSQL database against a raw COPY of the
same rows into the same tables, in the same run. Prints both times and the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_import.py

A scratch database (pko_bench_import) is created and dropped; the server in DATABASE_URL is
only used to create it.
"""

import io
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = "pko_bench_import"
TABLES = ["missions_deployment", "missions_missionstrength", "missions_fatality"]


def main() -> None:
    server = urlparse(os.getenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    admin = psycopg2.connect(urlunparse(server._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE DATABASE {SCRATCH}")
    os.environ["DATABASE_URL"] = urlunparse(server._replace(path=f"/{SCRATCH}"))
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkoanalysis.settings")
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")


def run() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from missions.services import load_un_data

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    report = load_un_data(settings.PKO_DATA_DIR)
    import_seconds = time.perf_counter() - started

    # The same rows, as COPY text, loaded again into the same (emptied) tables.
    raw = connection.connection
    buffers = {}
    with raw.cursor() as cursor:
        for table in TABLES:
            buffers[table] = io.StringIO()
            cursor.copy_expert(f"COPY {table} TO STDOUT", buffers[table])
        cursor.execute(f"TRUNCATE {', '.join(TABLES)}")
    raw.commit()
    rows = sum(buffer.getvalue().count("\n") for buffer in buffers.values())
    started = time.perf_counter()
    with raw.cursor() as cursor:
        for table, buffer in buffers.items():
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} FROM STDIN", buffer)
    raw.commit()
    copy_seconds = time.perf_counter() - started

    print("\n".join(report.lines))
    print(f"rows in the large tables:        {rows}")
    print(f"full import (parse + validate + COPY): {import_seconds:.2f} s")
    print(f"raw COPY of the same rows:             {copy_seconds:.2f} s")
    print(f"ratio import / raw COPY:               {import_seconds / copy_seconds:.2f}x")


if __name__ == "__main__":
    main()
