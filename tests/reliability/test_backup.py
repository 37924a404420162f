"""Backup and restore, as docs/security.md documents them: a restored copy holds the same rows in
every table and the same scores."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from missions.models import MandateFunction, Mission
from risks import services
from risks.models import ContributionMode, Scenario
from tests.conftest import make_user, reload_real_data
from tests.reliability.postgres import postgres_bin
from tests.workers import ROOT

pytestmark = pytest.mark.django_db(transaction=True)
SCORES = ("SELECT scenario_id, fingerprint, feasibility, risk, opportunity, net, p10, p50, p90, p_positive, "
          "CAST(options AS text) FROM risks_scenarioresult ORDER BY scenario_id")


def scored_data(django_user_model) -> None:
    """The shipped data, two computed scenarios and the option grid, all committed."""
    reload_real_data()
    owner = make_user(django_user_model, "analyst")
    for acronyms in (["MINURSO", "UNMOGIP"], ["UNIFIL", "UNMISS"]):
        scenario = Scenario.objects.create(name=" ".join(acronyms), owner=owner,
                                           mode=ContributionMode.objects.get(code="individual"))
        scenario.missions.set(Mission.objects.filter(acronym__in=acronyms))
        scenario.functions.set(MandateFunction.objects.all())
        services.recompute_scenario(scenario.pk)
    services.current_grid()


def tool(name: str) -> str:
    found = shutil.which(name) or (postgres_bin() and str(postgres_bin() / name))
    if not found or not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"


def snapshot(cursor, tables_query: str) -> tuple[list[str], dict[str, int], list[tuple]]:
    """A database's tables, each one's row count, and the stored scores, for comparing two copies."""
    cursor.execute(tables_query)
    tables = [row[0] for row in cursor.fetchall()]
    counts = row_counts(cursor, tables)
    cursor.execute(SCORES)
    return tables, counts, cursor.fetchall()


def test_pg_dump_and_pg_restore_give_a_database_with_the_same_rows_and_scores(django_user_model, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore: run with DATABASE_URL (PostgreSQL)")
    pg_dump, pg_restore = tool("pg_dump"), tool("pg_restore")
    scored_data(django_user_model)
    db = connection.settings_dict
    where = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    restored = f"{db['NAME']}_restored"
    dump = tmp_path / "pkoanalysis.dump"

    subprocess.run([pg_dump, "-Fc", *where, "-f", str(dump), db["NAME"]], check=True, timeout=120)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run([pg_restore, "--no-owner", "-j", "2", *where, "-d", restored, str(dump)], check=True,
                       timeout=120)
        with connection.cursor() as cursor:
            original = snapshot(cursor, PG_TABLES)
        copy = psycopg2.connect(host=where[1], port=where[3], user=db["USER"], password=db["PASSWORD"] or None,
                                dbname=restored)
        try:
            with copy.cursor() as cursor:
                assert snapshot(cursor, PG_TABLES) == original
        finally:
            copy.close()
        _tables, counts, scores = original
        assert counts["missions_deployment"] > 100_000 and len(scores) == 2

        # The grid export, the operators' view of the scores, is the same from either database.
        original, from_copy = tmp_path / "original.csv", tmp_path / "restored.csv"
        call_command("export_scores", output=original)
        subprocess.run([sys.executable, "manage.py", "export_scores", "--output", str(from_copy)], cwd=ROOT,
                       check=True, capture_output=True, timeout=120,
                       env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
                            "DATABASE_URL": f"postgres://{db['USER']}@{where[1]}:{where[3]}/{restored}"})
        assert from_copy.read_text() == original.read_text()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


def test_an_sqlite_online_backup_holds_the_same_rows_and_scores(django_user_model, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup path: run without DATABASE_URL")
    scored_data(django_user_model)
    backup = tmp_path / "backup.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(backup) as target:
        connection.connection.backup(target)  # what `sqlite3 db.sqlite3 ".backup backup.sqlite3"` does
    copy = sqlite3.connect(backup)
    try:
        with connection.cursor() as cursor:
            original = snapshot(cursor, SQLITE_TABLES)
        assert snapshot(copy.cursor(), SQLITE_TABLES) == original
        _tables, counts, scores = original
        assert counts["missions_deployment"] > 100_000 and len(scores) == 2
    finally:
        copy.close()
