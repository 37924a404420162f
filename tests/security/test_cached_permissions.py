"""Each account's permissions are kept in the shared cache (pkoanalysis.backends), and a change of
role takes effect on the next request, in every process."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_user


@pytest.mark.django_db
def test_permissions_are_read_once_then_kept(client, django_user_model):
    client.force_login(make_user(django_user_model, "analyst"))
    client.get("/scenarios/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/scenarios/").status_code == 200
    assert not any("auth_permission" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_losing_a_role_takes_effect_on_the_next_request(client, django_user_model):
    user = make_user(django_user_model, "analyst")
    client.force_login(user)
    assert client.get("/scenarios/").status_code == 200
    user.groups.clear()
    assert client.get("/scenarios/").status_code == 403


@pytest.mark.django_db
def test_a_group_losing_a_permission_takes_effect_on_the_next_request(client, django_user_model):
    user = make_user(django_user_model, "analyst")
    client.force_login(user)
    assert client.get("/scenarios/new/").status_code == 200
    group = user.groups.get()
    group.permissions.remove(Permission.objects.get(codename="add_scenario"))
    assert client.get("/scenarios/new/").status_code == 403
    group.permissions.add(Permission.objects.get(codename="add_scenario"))
    assert client.get("/scenarios/new/").status_code == 200


@pytest.mark.django_db
def test_a_deleted_group_and_a_deactivated_account_take_effect_at_once(client, django_user_model):
    user = make_user(django_user_model, "analyst")
    client.force_login(user)
    assert client.get("/scenarios/").status_code == 200
    Group.objects.filter(pk__in=user.groups.all()).delete()
    assert client.get("/scenarios/").status_code == 403
    other = make_user(django_user_model, "consultant")
    client.force_login(other)
    assert client.get("/scenarios/").status_code == 200
    other.is_active = False
    other.save()
    assert client.get("/scenarios/").status_code in (302, 403)  # signed out
