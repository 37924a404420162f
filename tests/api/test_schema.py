"""Schemathesis against our own OpenAPI schema: no 5xx, and every answer matches the schema.

Driven by hand (operation by operation, each a hypothesis test) rather than through
schemathesis' pytest plugin, which does not run under this pytest version.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

EXAMPLES = 25


@pytest.fixture
def api(db, django_user_model, monkeypatch):
    from django.core.wsgi import get_wsgi_application
    from knox.models import AuthToken
    from rest_framework.settings import api_settings

    # Schemathesis also probes every operation without credentials, hundreds of times: those
    # count against the anonymous rate limit (tests/security/test_rate_limits.py checks it).
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "100000/hour")

    user = django_user_model.objects.create_user("fuzzer", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    headers = {"Authorization": f"Token {AuthToken.objects.create(user=user)[1]}"}
    # A bare WSGI app closes "old" connections around each request, which on PostgreSQL closes
    # the test's own transaction; Django's test client unhooks the same two receivers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=headers)
        yield schema, headers
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_api_never_fails_and_answers_as_its_schema_says(api):
    schema, headers = api
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            # Cross-parameter rules (end before start) cannot be said in OpenAPI, so a
            # schema-valid request may still earn a 400 with its reason: that check is left out.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
        checked.append(operation.label)
    assert "GET /api/deployments/" in checked and len(checked) >= 10
