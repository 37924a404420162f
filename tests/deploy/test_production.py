"""What an operator installs from deploy/: the systemd units, nginx's configuration with this site's
own file (TLS) kept apart and gzip on, and the command that makes the roles and the first admin."""

import configparser
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from deploy.front import nginx_binary, render
from missions.roles import ROLES

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


@pytest.mark.parametrize("name", ["pkoanalysis-web.service", "pkoanalysis-worker.service", "pkoanalysis-beat.service"])
def test_each_unit_runs_a_program_of_the_checkout_with_the_settings_file(name):
    service = unit(name)["Service"]
    program, *args = service["ExecStart"].split()
    assert program.startswith(service["WorkingDirectory"] + "/.venv/bin/")
    assert service["EnvironmentFile"] == "/etc/pkoanalysis/env" and service["User"] == "pkoanalysis"
    for arg in args:  # files the command names exist in the checkout
        if arg.startswith("deploy/"):
            assert (ROOT / arg).is_file(), arg
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_worker_takes_the_recomputations_and_the_documents_queues():
    command = unit("pkoanalysis-worker.service")["Service"]["ExecStart"].split()
    assert command[command.index("-Q") + 1].split(",") == ["celery", "documents"]


def test_nginx_gets_its_runtime_directory_from_systemd_at_every_start():
    dropin = unit("nginx.service.d/pkoanalysis.conf")["Service"]
    assert dropin["RuntimeDirectory"] == "pkoanalysis"
    assert "/run/pkoanalysis" in render("80", "127.0.0.1:8000")  # what the rendered file writes there


def test_the_rendered_front_compresses_pages_json_and_csv_and_includes_the_site_directory():
    text = render("80", "127.0.0.1:8000")
    assert "gzip on;" in text and "gzip_proxied any;" in text
    types = next(line for line in text.splitlines() if line.strip().startswith("gzip_types")).split()
    assert {"application/json", "text/csv"} <= set(types)  # text/html: nginx always compresses it
    assert "include /etc/nginx/pkoanalysis.d/*.conf;" in text


@pytest.mark.skipif(nginx_binary() is None or not shutil.which("openssl"), reason="needs nginx and openssl")
def test_a_tls_site_file_survives_rendering_again_and_nginx_accepts_it(tmp_path):
    site = tmp_path / "site.d"
    site.mkdir()
    tls = (ROOT / "deploy" / "tls.conf.example").read_text()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=pko.test",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    (site / "tls.conf").write_text(tls.replace("/etc/letsencrypt/live/pko.example.org/fullchain.pem",
                                               str(tmp_path / "cert.pem"))
                                   .replace("/etc/letsencrypt/live/pko.example.org/privkey.pem",
                                            str(tmp_path / "key.pem"))
                                   .replace("listen 443 ssl;", "listen 127.0.0.1:23443 ssl;")
                                   .replace("listen [::]:443 ssl;", ""))
    options = {"runtime": str(tmp_path), "pid": str(tmp_path / "nginx.pid"), "logs": str(tmp_path),
               "site_dir": str(site), "user": "root"}
    for _ in range(2):  # rendered twice: the site's file is untouched and still included
        (tmp_path / "nginx.conf").write_text(render("127.0.0.1:23080", "127.0.0.1:23081", **options))
    done = subprocess.run([nginx_binary(), "-T", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "listen 127.0.0.1:23443 ssl;" in done.stdout and "server_name pko.example.org;" in done.stdout


@pytest.mark.django_db
def test_create_roles_makes_the_groups_and_the_first_admin_without_demo_data(monkeypatch, settings):
    settings.DEBUG = False
    Group.objects.all().delete()
    monkeypatch.setenv("PKO_ADMIN_PASSWORD", "a-long-admin-password-2026")
    call_command("create_roles", admin="chief", email="chief@example.org", stdout=StringIO())
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)
    assert Group.objects.get(name="curator").permissions.count() > Group.objects.get(name="analyst").permissions.count()
    chief = User.objects.get(username="chief")
    assert chief.is_superuser and chief.is_staff and chief.check_password("a-long-admin-password-2026")
    assert not User.objects.filter(username__in=["analyst", "consultant", "curator", "admin"]).exists()
    # Again: nothing changes, the administrator's password included.
    monkeypatch.setenv("PKO_ADMIN_PASSWORD", "another-long-password-2026")
    call_command("create_roles", admin="chief", stdout=StringIO())
    assert User.objects.get(username="chief").check_password("a-long-admin-password-2026")


@pytest.mark.django_db
def test_create_roles_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("PKO_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="refused"):
        call_command("create_roles", admin="weak")
    assert not User.objects.filter(username="weak").exists()
