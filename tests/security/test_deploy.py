"""Production settings pass Django's deployment checklist, and no secret is committed."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    """The environment of a production web process; none of the test settings' relaxations."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "STATICFILES_"))}
    env.update(DJANGO_SETTINGS_MODULE="pkoanalysis.settings", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(60),
               ALLOWED_HOSTS="pko.example.org")
    return env


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=production_env(), capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_reports_nothing_with_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_cookies_are_secure_and_https_is_enforced():
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
            "getattr(s, k) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
            "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'DEBUG')}))")
    values = json.loads(run("-c", code).stdout.strip().splitlines()[-1])
    assert values == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
                      "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000, "DEBUG": False}


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


# The development and test placeholders the code and README name on purpose.
PLACEHOLDERS = {"insecure-dev-key-only-for-debug", "test-only-not-a-secret", "bench-only", "change-me"}
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}", re.I),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Django generated key": re.compile(r"django-insecure-[^\s'\"]{20,}"),
}
SECRET_KEY_VALUE = re.compile(r"""SECRET_KEY["']?[ \t]*[=:,][ \t]*(["']?)([^\s"'`,)]{6,})""")
CODE = re.compile(r"^[A-Za-z_]\w*(\.\w+)*(\(|\.)")  # os.getenv(...), settings.X: unquoted code, not a value


def secrets_in(text: str) -> list[str]:
    found = [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    found += [f"SECRET_KEY {value[:4]}..." for quote, value in SECRET_KEY_VALUE.findall(text)
              if value not in PLACEHOLDERS and (quote or not CODE.match(value))]
    return found


def test_no_secret_is_committed():
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    paths = [ROOT / p for p in files.decode().split("\0") if p]
    assert len(paths) > 50, "git ls-files listed too little: not a checkout?"
    leaks = {}
    for path in paths:
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data[:8000]:  # binary (images, gzip)
            continue
        found = secrets_in(data.decode("utf-8", errors="replace"))
        if found:
            leaks[str(path.relative_to(ROOT))] = found
    assert leaks == {}


def test_the_scanner_recognises_secrets_and_lets_placeholders_through():
    begin = "-----BEGIN " + "RSA PRIVATE KEY-----"
    assert secrets_in(begin + "\nMIIEow...") == ["private key"]
    assert secrets_in("key = '" + "AKIA" + "Z" * 16 + "'") == ["AWS access key id"]
    assert secrets_in('SECRET_KEY = "' + "k3y" * 12 + '"') == ["SECRET_KEY k3yk..."]
    assert secrets_in("export SECRET_" + "KEY=s3cr3t-value-here") == ["SECRET_KEY s3cr..."]
    assert secrets_in('os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")') == []
    assert secrets_in('SECRET_KEY = os.getenv("SECRET_KEY", "")') == []
    assert secrets_in("env.update(SECRET_KEY=secrets.token_urlsafe(60))") == []
