import io
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


def worker_number() -> int:
    """0 in a serial run, n in pytest-xdist's worker gw<n>: what each worker keeps to itself is
    numbered by it (the test database is pytest-django's: test_<name>_gw<n>)."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


# TEST_REDIS_URL's database (15) and the three below it are the tests' (bin/test runs at most 4
# workers); .ci/run empties them. Below them, on a shared machine, are other processes' caches.
LOWEST_TEST_REDIS_DB = 12


def per_worker_redis_url(url: str, worker: int) -> str:
    """redis://host:port/15 for gw0, .../14 for gw1 ...: each worker's queue, results and control
    messages (kombu prefixes those with the database) apart from the others'."""
    base, _, db = url.rstrip("/").rpartition("/")
    number = int(db) - worker
    if number < LOWEST_TEST_REDIS_DB:
        raise pytest.UsageError(f"worker gw{worker} would publish to Redis database {number}; at most "
                                f"{int(db) - LOWEST_TEST_REDIS_DB + 1} workers (-n) share TEST_REDIS_URL={url}")
    return f"{base}/{number}"


# Before tests.workers reads it; each xdist worker imports this module once, in its own process.
if "PYTEST_XDIST_WORKER" in os.environ:
    os.environ["TEST_REDIS_URL"] = per_worker_redis_url(
        os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"), worker_number())


RELIABILITY = "tests/reliability/"


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's: bin/test --serial runs without it
def pytest_xdist_make_scheduler(config, log):
    """bin/test's --dist loadgroup, with tests/reliability as one group: one worker runs those tests
    (nginx, gunicorn and PostgreSQL clusters on ports they probe for, a dead broker, recoveries
    timed) in turn while the others share out the rest. A scheduler of our own because pytest 9.2
    no longer lets pytest-xdist 3.8 add a group to a test's id, so xdist_group marks are ignored."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ReliabilityInOneGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):  # an xdist_group, should xdist add it again
                return nodeid.split("@")[-1]
            return RELIABILITY if nodeid.startswith(RELIABILITY) else nodeid

    return ReliabilityInOneGroup(config, log)


def pytest_unconfigure(config):
    """The media directory tests/settings.py made for this process."""
    made = Path(os.environ.get("MEDIA_ROOT", ""))
    if (os.environ.get("PKO_TEST_MEDIA_FOR") == os.environ.get("PYTEST_XDIST_WORKER", "")
            and made.name.startswith("pko-test-media-")):
        shutil.rmtree(made, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test's database is emptied when it ends (pytest-django's flush): put the
    shipped data back at once, so whatever test runs next finds it. Serially pytest-django runs
    the transactional tests last; an xdist worker may be handed ordinary tests after one (the
    tests/reliability group runs whole), and those would find no data."""
    result = yield
    marker = item.get_closest_marker("django_db")
    # After the session's last test the session's fixtures (the test database) are already gone.
    if nextitem is not None and marker is not None and marker.kwargs.get("transaction") and REAL_DATA.tables:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reload_real_data()
    return result


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real shipped data once per test session; tests run in transactions over it."""
    with django_db_blocker.unblock():
        call_command("import_un_data", path=settings.PKO_DATA_DIR, verbosity=0)
        from missions.roles import ensure_roles
        from risks.catalogue import load_catalogue

        ensure_roles()
        load_catalogue()
        from risks import inputs, services

        # The option grid of the shipped data, stored as bin/run stores it: the overview, mission
        # pages, explorer and API find it instead of scoring 17,000 options in each test.
        services.current_grid()
        REAL_DATA.take()

        key = inputs.record_key()  # the tables the grid's read of the inputs just built, not built again
        RECORD_TABLES[key] = inputs.memoised(key, inputs.record_tables)
    yield
    REAL_DATA.discard()


class RealDataCopy:
    """A copy of the tables the session's import filled, to put back after a transactional test
    emptied them: copying rows back takes about a second, importing the files again 10-30 s.

    Not copied: what `flush` recreates itself (content types, permissions, and the preset weight
    sets through its post_migrate signal) or `ensure_roles` rebuilds from them (the groups), and
    the migrations' record, which `flush` keeps."""

    KEPT_BY_FLUSH = ("django_migrations", "django_content_type", "auth_permission", "auth_group",
                     "auth_group_permissions")

    def __init__(self) -> None:
        self.tables: list[str] = []
        self.copies: dict[str, bytes] = {}  # PostgreSQL: each table in COPY's text format
        self.sqlite_file: Path | None = None  # SQLite: the whole database, attached to copy from

    def take(self) -> None:
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                if table not in self.KEPT_BY_FLUSH:
                    cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - a table name from the schema
                    if cursor.fetchone():
                        self.tables.append(table)
            if connection.vendor == "postgresql":
                for table in self.tables:
                    buffer = io.BytesIO()
                    cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
                    self.copies[table] = buffer.getvalue()
                return
        self.sqlite_file = Path(tempfile.mkdtemp(prefix="pko-test-data-")) / "copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(self.sqlite_file)
        connection.connection.backup(target)
        target.close()

    def put_back(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            empty = []  # not what flush's post_migrate signal filled again (the preset weight sets)
            for table in self.tables:
                cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - from the schema
                if not cursor.fetchone():
                    empty.append(table)
            if connection.vendor == "postgresql":
                with transaction.atomic():  # foreign keys are checked at commit: any table order
                    for table in empty:
                        cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(self.copies[table]))
                    for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                        cursor.execute(statement)
                return
            cursor.execute("ATTACH DATABASE %s AS copied", [str(self.sqlite_file)])
            # SQLite's count of deferred violations does not always fall back to zero when the
            # parent rows come after their children: unchecked, a consistent copy of consistent rows.
            try:
                with connection.constraint_checks_disabled(), transaction.atomic():
                    for table in empty:
                        cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM copied.{quote(table)}")  # noqa: S608
            finally:
                cursor.execute("DETACH DATABASE copied")

    def discard(self) -> None:
        if self.sqlite_file:
            shutil.rmtree(self.sqlite_file.parent, ignore_errors=True)


REAL_DATA = RealDataCopy()
# risks.inputs.record_tables() of the shipped data (the UN record's aggregations: hazards,
# composition, partners; about a second to build), under its vintage key: every test starts
# with it kept, as a running server keeps it, instead of building it again. A test that changes
# the record the way the app does (an import, a release, an admin edit) changes the vintage and
# so builds its own; the data put back after a transactional test has the same vintage again.
RECORD_TABLES: dict[str, tuple] = {}


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium (Debian's, through Playwright) for every browser test of the session;
    each test opens its own context in it (tests.browser.test_home.browser_page)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (bin/setup installs it as root)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop shares the test thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Figure caches, the in-process memo of inputs and rate-limit counters start empty in every test,
    and every test starts in the site's language (a request in Spanish leaves the thread's
    language activated by the locale middleware)."""
    from django.utils import translation

    from risks.inputs import forget_memo, memoised

    translation.activate(settings.LANGUAGE_CODE)

    for alias in ("default", "shared"):
        caches[alias].clear()
    forget_memo()
    for key, tables in RECORD_TABLES.items():
        memoised(key, lambda tables=tables: tables)
    yield
    for alias in ("default", "shared"):
        caches[alias].clear()
    forget_memo()


def make_user(django_user_model, role: str):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username=f"{role}-user", password="pw-for-tests-only")
    if role == "superuser":
        user.is_staff = user.is_superuser = True
        user.save()
    elif role:
        user.groups.add(Group.objects.get(name=role))
        user.is_staff = role == "curator"
        user.save()
    return user


@pytest.fixture
def analyst(django_user_model):
    return make_user(django_user_model, "analyst")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def reload_real_data() -> None:
    """Transactional tests empty the tables afterwards; put the shipped data back first."""
    from missions.models import Mission

    if not Mission.objects.exists():
        from missions.roles import ensure_roles

        REAL_DATA.put_back()
        ensure_roles()
