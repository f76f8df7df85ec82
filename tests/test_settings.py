"""Configuration comes from the environment, with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_django(env_overrides, code="import django; django.setup(); print('started')"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_without_debug_and_without_a_secret_key_the_site_refuses_to_start():
    result = run_django({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_with_a_secret_key_it_starts_with_debug_off():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = run_django({"DJANGO_SECRET_KEY": "x" * 50}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_hosts_database_and_admin_path_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.DATABASES['default']['NAME'], s.ADMIN_PATH)"
    )
    result = run_django(
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "films.example, www.films.example",
            "DATABASE_URL": "sqlite:////tmp/other.sqlite3",
            "DJANGO_ADMIN_PATH": "/staff-only/",
        },
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['films.example', 'www.films.example'] /tmp/other.sqlite3 staff-only/"
    )


def test_no_secret_key_is_committed():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    assert 'SECRET_KEY = env("DJANGO_SECRET_KEY")' in settings_text
    assert (
        not (ROOT / ".local-secret-key").exists()
        or ".local-secret-key" in (ROOT / ".gitignore").read_text()
    )
