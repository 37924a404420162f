"""Content Security Policy (django-csp): every answer carries it, and no page needs an exception
for inline scripts, event-handler attributes or another origin."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.conftest import make_user

PAGES = ["/", "/missions/", "/missions/MINURSO/", "/scenarios/", "/scenarios/new/", "/scenarios/explorer/",
         "/scenarios/compare/", "/admin/", "/admin/missions/mission/", "/admin/missions/mission/add/",
         "/api/docs/", "/api/redoc/", "/accounts/login/"]


def policy(response) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in response["Content-Security-Policy"].split(";"))}


class InlineCode(HTMLParser):
    """Collects what a strict script-src would block: inline scripts and on* attributes."""

    def __init__(self):
        super().__init__()
        self.found, self.in_inline_script = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        self.found += [f"<{tag} href=javascript:...>" for value in attrs.values() if value and
                       value.strip().lower().startswith("javascript:")]
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.in_inline_script = True

    def handle_data(self, data):
        if self.in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_inline_script = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_policy_allows_our_origin_only_and_no_inline_scripts():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    everything = [v for values in directives.values() for v in values]
    assert not [v for v in everything if re.match(r"^(https?:|\*|'unsafe-eval')", v)]


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_no_inline_script(client, django_user_model):
    client.force_login(make_user(django_user_model, "superuser"))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["script-src"] == ["'self'"] and csp["object-src"] == ["'none'"], url
        assert inline_code(response.content.decode()) == [], url
        assert not re.search(r"""(src=|<link[^>]*href=)["']?(https?:)?//""", response.content.decode()), url


@pytest.mark.django_db
def test_json_answers_and_downloads_carry_it_too(client, django_user_model):
    client.force_login(make_user(django_user_model, "analyst"))
    assert policy(client.get("/api/missions/"))["default-src"] == ["'self'"]
    assert "Content-Security-Policy" in client.get("/healthz/")


def test_the_parser_finds_what_the_policy_would_block():
    """The check above can fail: an inline script or a handler attribute is caught."""
    html = ('<script>alert(1)</script><script type="application/json">{"a": 1}</script>'
            '<button onclick="go()">x</button><a href="javascript:go()">y</a><script src="/s.js"></script>')
    assert inline_code(html) == ["<script>alert(1)", "<button onclick=...>", "<a href=javascript:...>"]
