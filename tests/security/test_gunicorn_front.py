"""gunicorn behind nginx (issue 25 F10, F13): workers recycle at spread-out times from a preloaded
app; gunicorn listens on loopback only, believes X-Real-IP only from nginx (which proves itself
with PROXY_SECRET), refuses no request line that nginx passes, and has its own control socket."""

import re
import runpy
from pathlib import Path

import pytest
from django.test import RequestFactory

from deploy import front
from pkoanalysis.clients import client_address

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def gunicorn_config(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_CONTROL_SOCKET", "RUNTIME_DIRECTORY", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_recycle_at_widely_spread_times_from_a_preloaded_app(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config["preload_app"] is True
    assert config["max_requests"] >= 1000
    # Four workers drawing limits in [max, max + jitter]: on average 1/5 of the range apart.
    assert config["max_requests_jitter"] >= config["max_requests"] // 2


def test_a_recycled_worker_ends_at_once_instead_of_finalising_its_interpreter(monkeypatch):
    # gunicorn starts the replacement only when the old process is gone; a Python process holding
    # pandas and plotly took seconds to finalise, which is what stalled /healthz/ at each recycle.
    config = gunicorn_config(monkeypatch)
    ended = []

    class EndedError(Exception):
        pass

    def fake_exit(code):
        ended.append(code)
        raise EndedError
    monkeypatch.setattr(config["os"], "_exit", fake_exit)
    with pytest.raises(EndedError):
        config["worker_exit"](None, None)
    assert ended == [0]


def test_gunicorn_listens_on_loopback_only(monkeypatch):
    assert gunicorn_config(monkeypatch)["bind"] == "127.0.0.1:8000"
    with pytest.raises(SystemExit, match="loopback only"):
        gunicorn_config(monkeypatch, GUNICORN_BIND="0.0.0.0:8000")


def test_each_gunicorn_has_its_own_control_socket(monkeypatch, tmp_path):
    import gunicorn.config

    first = gunicorn_config(monkeypatch, GUNICORN_BIND="127.0.0.1:8000")["control_socket"]
    second = gunicorn_config(monkeypatch, GUNICORN_BIND="127.0.0.1:8001")["control_socket"]
    assert first != second and "8000" in first
    assert first != gunicorn.config.ControlSocket.default  # not the account-wide default
    in_runtime = gunicorn_config(monkeypatch, RUNTIME_DIRECTORY=str(tmp_path))["control_socket"]
    assert in_runtime.startswith(str(tmp_path))
    assert len(in_runtime) < 100  # a Unix socket path holds at most 107 bytes


def test_gunicorn_takes_every_request_line_nginx_passes(monkeypatch):
    config = gunicorn_config(monkeypatch)
    buffers = re.search(r"large_client_header_buffers\s+\d+\s+(\d+)k;", front.render("80", "127.0.0.1:8000"))
    nginx_line = int(buffers.group(1)) * 1024
    assert config["limit_request_line"] >= nginx_line - 2  # the line nginx passes, without its CRLF
    assert config["limit_request_field_size"] >= nginx_line - 2


def test_nginx_sends_the_proxy_secret_with_every_proxied_request():
    conf = front.render("80", "127.0.0.1:8000", proxy_secret="s3cret-from-the-environment")
    assert conf.count('proxy_set_header X-Pko-Proxy "s3cret-from-the-environment";') == 1
    assert "@" not in re.sub(r"#.*", "", conf)


@pytest.mark.parametrize("sent, believed", [
    ({}, False),                                    # another local process, no secret
    ({"HTTP_X_PKO_PROXY": "guessed"}, False),       # a wrong one
    ({"HTTP_X_PKO_PROXY": "nginx-only-knows"}, True),
])
def test_x_real_ip_is_believed_only_from_nginx(settings, sent, believed):
    settings.PROXY_SECRET = "nginx-only-knows"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7", **sent)
    assert client_address(request) == ("198.51.100.7" if believed else "127.0.0.1")


def test_a_forged_address_from_a_local_process_does_not_escape_the_login_lockout(client, settings, django_user_model):
    settings.PROXY_SECRET = "nginx-only-knows"
    settings.AXES_FAILURE_LIMIT = 2
    django_user_model.objects.create_user("victim", password="a-long-test-password")
    codes = [client.post("/accounts/login/", {"username": "victim", "password": "wrong"}, REMOTE_ADDR="127.0.0.1",
                         HTTP_X_REAL_IP=f"198.51.100.{n}").status_code for n in range(3)]
    assert codes[-1] == 429  # one address (127.0.0.1) for all three: locked out
