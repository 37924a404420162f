"""Who may do what: every URL of the project, asked as every role, gets the answer this table says.

The URLs come from walking the URL configuration, so a new page cannot slip past: a pattern with
no row in the table fails `test_every_url_pattern_has_an_expected_answer`. Admin pages are
generated from `admin.site._registry`: every registered model's changelist, add, change,
history and delete pages are asked too.
"""

import importlib
import uuid
from functools import cached_property

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from missions.models import Mission
from tests.conftest import make_user

ANON, ANALYST, CONSULTANT, CURATOR, SUPERUSER, NO_ROLE = ROLES = (
    "anonymous", "analyst", "consultant", "curator", "superuser", "no role")
LOGIN = "login page"  # a redirect to /accounts/login/?next=...
ADMIN_LOGIN = "admin login"  # a redirect to /admin/login/?next=...
GET, POST = "GET", "POST"


def answers(anonymous, analyst, consultant, curator, superuser, no_role=403) -> dict:
    """An account with no role (signed in, in no group) is refused with 403 unless said otherwise."""
    return dict(zip(ROLES, (anonymous, analyst, consultant, curator, superuser, no_role), strict=True))


def everyone(answer) -> dict:
    return answers(answer, answer, answer, answer, answer, answer)


def signed_in(answer, anonymous=LOGIN, no_role=403) -> dict:
    return answers(anonymous, answer, answer, answer, answer, no_role)


def staff(answer, anonymous=ADMIN_LOGIN) -> dict:
    return answers(anonymous, ADMIN_LOGIN, ADMIN_LOGIN, answer, answer, ADMIN_LOGIN)


# URL name (the route, for unnamed patterns) -> (method, answer per role). Read one row as:
# "asked this way, each role gets this". A POST row is asked with the form the page would send.
EXPECTED = {
    # Pages: every role reads; anonymous visitors are sent to log in.
    "home": (GET, signed_in(200)),
    "validation": (GET, signed_in(200)),
    "missions:list": (GET, signed_in(200)),
    "missions:detail": (GET, signed_in(200)),
    "risks:list": (GET, signed_in(200)),
    "risks:compare": (GET, signed_in(200)),
    "risks:explorer": (GET, signed_in(200)),
    "risks:scenario": (GET, signed_in(200)),
    # Analysts (and curators, who hold every data permission) build scenarios; consultants read.
    "risks:new": (GET, answers(LOGIN, 200, 403, 200, 200)),
    # The builder's live checks answer whoever may build a scenario.
    "risks:builder-checks": (GET, answers(LOGIN, 200, 403, 200, 200)),
    "risks:duplicate": (POST, answers(LOGIN, 302, 403, 302, 302)),
    # Only the owner, a curator or a superuser changes a scenario; this one belongs to another analyst.
    "risks:edit": (GET, answers(LOGIN, 403, 403, 200, 200)),
    # Recomputing changes no input: whoever reads a result may refresh it.
    "risks:recompute": (POST, signed_in(302)),
    # Client briefings: consultants and administrators only; a briefing is its creator's (this one
    # another account's), so a consultant finds none there.
    "briefings:create": (POST, answers(LOGIN, 403, 302, 403, 302)),
    "briefings:download": (GET, answers(LOGIN, 403, 404, 403, 200)),
    "briefings:progress": (GET, answers(LOGIN, 403, 404, 403, 200)),
    "task-progress": (GET, signed_in(200, anonymous=401)),
    # Plans mirror scenarios: analysts (and curators) make them, everyone reads them.
    "plans:list": (GET, signed_in(200)),
    "plans:detail": (GET, signed_in(200)),
    "plans:progress": (GET, signed_in(200)),
    "plans:new": (GET, answers(LOGIN, 200, 403, 200, 200)),
    "plans:edit": (GET, answers(LOGIN, 403, 403, 200, 200)),  # this one belongs to another analyst
    "plans:recompute": (POST, signed_in(302)),
    # Weight sets: everyone reads; analysts (and curators) make them; a workshop page is read by all,
    # a participant's judgments are changed by the participant's own account or the scenario's owner.
    "weights:list": (GET, signed_in(200)),
    "weights:new": (GET, answers(LOGIN, 200, 403, 200, 200)),
    "weights:detail": (GET, signed_in(200)),
    "weights:workshop": (GET, signed_in(200)),
    "weights:participant": (GET, answers(LOGIN, 403, 403, 200, 200)),
    "weights:participant-remove": (POST, answers(LOGIN, 403, 403, 302, 302)),
    # The API answers in JSON: 401 without credentials, never a redirect.
    **{name: (GET, signed_in(200, anonymous=401)) for name in (
        "api-missions", "api-mission-detail", "api-deployments", "api-fatalities", "api-modes", "api-factors",
        "api-scenarios", "api-scenario-detail", "api-scenario-result", "api-grid", "api-schema",
        "api-plans", "api-plan-detail", "api-plan-result", "api-weight-sets", "api-weight-set-detail")},
    # Each role posts its own password. A token is no key to anything without a role (403 everywhere).
    "api-token": (POST, signed_in(200, anonymous=400, no_role=200)),
    "api-docs": (GET, signed_in(200, anonymous=401)),
    "api-redoc": (GET, signed_in(200, anonymous=401)),
    "api/^.*$": (GET, everyone(404)),
    "healthz": (GET, everyone(200)),
    "set_language": (POST, everyone(302)),
    # Accounts.
    "login": (GET, everyone(200)),
    "logout": (POST, everyone(LOGIN)),
    # An account with no role may still change its password (and log out, pick a language).
    "password_change": (GET, signed_in(200, no_role=200)),
    "password_change_done": (GET, signed_in(200, no_role=200)),
    # The admin: staff only (curators and superusers).
    "admin:index": (GET, staff(200)),
    "admin:login": (GET, answers(200, 200, 200, 302, 302, no_role=200)),
    "admin:logout": (POST, answers(ADMIN_LOGIN, 302, 302, LOGIN, LOGIN, no_role=302)),  # non-staff: back to the index
    "admin:password_change": (GET, staff(200)),
    "admin:password_change_done": (GET, staff(200)),
    "admin:jsi18n": (GET, staff(200)),
    "admin:autocomplete": (GET, staff(403)),  # asked without a field to complete
    "admin:app_list": (GET, staff(200)),  # the missions app
    "admin:view_on_site": (GET, staff(302)),
    "admin/(?P<url>.*)$": (GET, staff(404)),
    # Curators' uploads of UN releases: the admin's own pages (above) plus these actions, and the
    # attention list: curators and superusers only (analysts and consultants are not staff).
    **{f"missions.datarelease <int:pk>/{action}/": (POST, answers(LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 302, 302,
                                                                   no_role=ADMIN_LOGIN))
       for action in ("apply", "rollback", "map", "preview")},
    "missions.mission attention/": (GET, answers(LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200, no_role=ADMIN_LOGIN)),
}

# Admin pages of each registered model, by the route under admin/<app>/<model>/.
# Curators keep the data of these apps; every other app is for superusers only.
CURATED_APPS = {"missions", "risks", "sources", "weights"}
# Models whose admin has no add page for anybody (rows come from imports, computations or logins).
NO_ADD = {"missions.datafile", "risks.scenarioresult", "weights.weightset", "axes.accessattempt", "axes.accesslog",
          "axes.accessfailurelog"}
ADMIN_MODEL_PAGES = {
    "": "changelist", "add/": "add", "<path:object_id>/change/": "change",
    "<path:object_id>/history/": "history", "<path:object_id>/delete/": "delete",
    "^([^/]+)/history/([^/]+)/$": "simple_history", "<path:object_id>/": "redirect",
    "<id>/password/": "password",  # a user's password form
}


def admin_model_answers(model, page: str) -> tuple[str, dict]:
    label = model._meta.label_lower
    curated = model._meta.app_label in CURATED_APPS
    # The site's login middleware meets anonymous visitors first, before the admin's own check.
    if page == "add" and label in NO_ADD:
        return GET, staff(403, anonymous=LOGIN)
    if page == "redirect":  # /admin/<app>/<model>/<id>/ forwards staff to the change page
        return GET, staff(302, anonymous=LOGIN)
    return GET, answers(LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200 if curated else 403, 200, no_role=ADMIN_LOGIN)


def walk(patterns, prefix: str = "", namespace: str = ""):
    """Every URLPattern under `patterns`: (namespaced name or None, full route)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            yield (f"{namespace}{pattern.name}" if pattern.name else None), prefix + str(pattern.pattern)


def admin_model_prefixes() -> dict:
    return {f"admin/{model._meta.app_label}/{model._meta.model_name}/": model for model in admin.site._registry}


def rows():
    """(key, model or None, page) for every URL pattern of the project, in URLconf order."""
    models = admin_model_prefixes()
    for name, route in walk(get_resolver().url_patterns):
        model = next((m for prefix, m in models.items() if route.startswith(prefix)), None)
        if model is not None:
            suffix = route[len(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):]
            yield model._meta.label_lower + " " + ADMIN_MODEL_PAGES.get(suffix, suffix), model, suffix
        else:
            yield name or route, None, None


def expected_for(key: str, model, suffix):
    if model is not None:
        if suffix in ADMIN_MODEL_PAGES:
            return admin_model_answers(model, ADMIN_MODEL_PAGES[suffix])
    return EXPECTED.get(key)


def test_every_url_pattern_has_an_expected_answer():
    missing = [key for key, model, suffix in rows() if expected_for(key, model, suffix) is None]
    assert missing == [], f"URL patterns with no row in the role matrix: {missing}"


def test_the_walk_finds_pages_api_admin_and_downloads():
    keys = {key for key, _, _ in rows()}
    assert {"home", "api-grid", "admin:index", "briefings:download", "task-progress",
            "missions.mission changelist", "risks.scenario add", "auth.user changelist"} <= keys


class Objects:
    """The real objects that fill path parameters, made on first use (inside the test's transaction)."""

    def __init__(self, django_user_model):
        self.users = django_user_model

    @cached_property
    def owner(self):
        user = self.users.objects.create_user("scenario-owner", password="pw-for-tests-only")
        user.groups.add(Group.objects.get(name="analyst"))
        return user

    @cached_property
    def scenario(self):
        from missions.models import MandateFunction, Mission
        from risks import services
        from risks.models import ContributionMode, Scenario

        scenario = Scenario.objects.create(name="Matrix scenario", owner=self.owner,
                                           mode=ContributionMode.objects.get(code="individual"))
        scenario.missions.set(Mission.objects.filter(acronym="MINURSO"))
        scenario.functions.set(MandateFunction.objects.filter(code="ceasefire_monitoring"))
        services.recompute_scenario(scenario.pk)
        return scenario

    @cached_property
    def plan(self):
        from plans import services
        from plans.models import Plan

        plan = Plan.objects.create(name="Matrix plan", owner=self.owner, max_people=50)
        services.recompute_plan(plan.pk)
        return plan

    @cached_property
    def participant(self):
        from weights import methods, services

        weight_set = services.workshop_for(self.scenario, "rank")
        judgments = {"ranks": {c: 1 for c in methods.CRITERIA}}
        services.save_participant(weight_set, None, label="SRE", user=None, judgments=judgments,
                                  derived=methods.derive("rank", judgments))
        return weight_set.participants.get()

    @cached_property
    def briefing(self):
        from risks.models import Briefing

        briefing = Briefing(scenario=self.scenario, format="csv", status=Briefing.Status.DONE, created_by=self.owner)
        briefing.file.save("matrix.csv", ContentFile(b"mission,net\nMINURSO,0.1\n"), save=False)
        briefing.save()
        return briefing

    @cached_property
    def task_id(self) -> str:
        from django_celery_results.models import TaskResult

        return TaskResult.objects.create(task_id=str(uuid.uuid4()), status="SUCCESS").task_id

    def first(self, model):
        """A row of any admin-registered model, made when the shipped data has none."""
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django_celery_results.models import GroupResult, TaskResult
        from knox.models import AuthToken

        from missions.models import DataRelease
        from risks.models import Scenario, ScenarioResult

        makers = {
            get_user_model(): lambda: self.owner,
            Scenario: lambda: self.scenario,
            ScenarioResult: lambda: self.scenario,  # computed with it
            TaskResult: lambda: self.task_id,
            AuthToken: lambda: AuthToken.objects.create(user=self.owner)[0],
            AccessAttempt: lambda: AccessAttempt.objects.create(
                username="someone", ip_address="192.0.2.1", user_agent="x", failures_since_start=1),
            AccessLog: lambda: AccessLog.objects.create(username="someone", ip_address="192.0.2.1"),
            AccessFailureLog: lambda: AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1"),
            GroupResult: lambda: GroupResult.objects.create(group_id=str(uuid.uuid4())),
            DataRelease: lambda: DataRelease.objects.create(
                dataset="un_monthly", filename="x.csv", content=b"", size=0, sha256="0", status="previewed"),
        }
        row = model._default_manager.order_by("pk").first()
        if row is None:
            makers[model]()
            row = model._default_manager.order_by("pk").first()
        return row

    def history_id(self, model, row) -> int:
        if not row.history.exists():
            row.save()  # simple_history records a version
        return row.history.order_by("history_id").first().history_id


def url_of(key: str, model, suffix, objects: Objects) -> str:
    if model is not None:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if suffix in ("", "add/"):
            return base + suffix
        row = objects.first(model)
        if suffix == "^([^/]+)/history/([^/]+)/$":
            return f"{base}{quote(str(row.pk))}/history/{objects.history_id(model, row)}/"
        return base + (suffix.replace("<path:object_id>", quote(str(row.pk))).replace("<id>", str(row.pk))
                       .replace("<int:pk>", str(row.pk)))
    unnamed = {"api/^.*$": "/api/no-such-endpoint/", "admin/(?P<url>.*)$": "/admin/no-such-page/"}
    if key in unnamed:
        return unnamed[key]
    kwargs = {
        "missions:detail": lambda: {"acronym": "MINURSO"},
        "api-mission-detail": lambda: {"acronym": "MINURSO"},
        "briefings:download": lambda: {"pk": objects.briefing.pk},
        "briefings:progress": lambda: {"pk": objects.briefing.pk},
        "task-progress": lambda: {"task_id": objects.task_id},
        "admin:app_list": lambda: {"app_label": "missions"},
        "weights:new": lambda: {"method": "swing"},
        "weights:detail": lambda: {"pk": objects.participant.weight_set_id},
        "api-weight-set-detail": lambda: {"pk": objects.participant.weight_set_id},
        "weights:participant": lambda: {"pk": objects.participant.pk},
        "weights:participant-remove": lambda: {"pk": objects.participant.pk},
        "admin:view_on_site": lambda: {"content_type_id": ContentType.objects.get_for_model(Mission).pk,
                                       "object_id": Mission.objects.get(acronym="MINURSO").pk},
    }.get(key)
    if kwargs is None and (key.startswith("plans:") or key.startswith("api-plan-")) and "<id:pk>" in ROUTES[key]:
        kwargs = lambda: {"pk": objects.plan.pk}  # noqa: E731
    if kwargs is None and "<id:pk>" in ROUTES[key]:  # every other id in a route is a scenario's
        kwargs = lambda: {"pk": objects.scenario.pk}  # noqa: E731
    return reverse(key, kwargs=kwargs() if kwargs else None)


ROUTES = {name: route for name, route in walk(get_resolver().url_patterns) if name}


POST_DATA = {
    "set_language": {"language": "es", "next": "/"},
    "briefings:create": {},  # an empty form: allowed roles are sent back with the reason
}


def ask(client, role: str, method: str, key: str, url: str, user):
    if method == GET:
        return client.get(url)
    if key == "api-token":
        return client.post(url, {"username": user.username, "password": "pw-for-tests-only"} if user else {})
    return client.post(url, POST_DATA.get(key, {}))


def outcome(response) -> object:
    if response.status_code == 302:
        if response.url.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if response.url.startswith(reverse("login")):
            return LOGIN
    return response.status_code


def all_rows():
    return [pytest.param(key, model, suffix, id=key) for key, model, suffix in rows()
            if expected_for(key, model, suffix) is not None]


# Rows whose POST queues a recomputation: the matrix asks who may queue it, and checks it was queued
# once per role allowed, without running it (a plan's recomputation re-solves it 200 times).
QUEUES = {"risks:recompute": ("risks.tasks", "recompute_many"), "plans:recompute": ("plans.tasks", "recompute_plans")}


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "model", "suffix"), all_rows())
def test_each_role_gets_the_expected_answer(key, model, suffix, client, django_user_model, settings, tmp_path,
                                            monkeypatch):
    settings.MEDIA_ROOT = tmp_path  # the briefing file
    objects = Objects(django_user_model)
    method, expected = expected_for(key, model, suffix)
    url = url_of(key, model, suffix, objects)
    queued = []
    if key in QUEUES:
        module, name = QUEUES[key]
        monkeypatch.setattr(getattr(importlib.import_module(module), name), "delay", lambda *a: queued.append(a))
    got = {}
    for role in ROLES:
        client.logout()
        user = None if role == ANON else make_user(django_user_model, "" if role == NO_ROLE else role)
        if user:
            client.force_login(user)
        got[role] = outcome(ask(client, role, method, key, url, user))
    wrong = {role: f"expected {expected[role]}, got {got[role]}" for role in ROLES if got[role] != expected[role]}
    assert wrong == {}, f"{method} {url}"
    if key in QUEUES:
        assert len(queued) == sum(answer == 302 for answer in got.values()), queued
