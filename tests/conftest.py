import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real shipped data once per test session; tests run in transactions over it."""
    with django_db_blocker.unblock():
        call_command("import_un_data", path=settings.PKO_DATA_DIR, verbosity=0)
        from missions.roles import ensure_roles
        from risks.catalogue import load_catalogue

        ensure_roles()
        load_catalogue()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Figure caches, the in-process memo of inputs and rate-limit counters start empty in every test."""
    from risks.inputs import forget_memo

    for alias in ("default", "shared"):
        caches[alias].clear()
    forget_memo()
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
        from risks.catalogue import load_catalogue

        call_command("import_un_data", path=settings.PKO_DATA_DIR, verbosity=0)
        ensure_roles()
        load_catalogue()
