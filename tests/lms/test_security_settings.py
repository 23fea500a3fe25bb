"""Item 4 of issue 12: unsafe defaults — the entry points default to production, weak secret keys are refused."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

import pytest

from lms.settings.secret_key import secret_key_problem

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Jx9-vQ2rT8wLz5mN1pB7cF4hG6yD0sA9eU2iO5tR8wQ1zX3cV6bN9mK2jH5gF8"


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("a" * 25 + "b" * 25 + "cdefg", "distinct characters"),
        ("a" * 60 + "bcdefghijklmnopqrs", "estimated entropy"),
        ("x" * 49, "at least 50"),
        ("django-insecure-" + secrets.token_urlsafe(64), "development or placeholder"),
    ],
)
def test_production_settings_refuse_a_weak_secret_key(tmp_path, key, reason):
    result = _run(
        "import django; django.setup()", tmp_path, DJANGO_SETTINGS_MODULE="lms.settings.production", SECRET_KEY=key
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY must be set to a long random value" in result.stderr
    assert reason in result.stderr


def test_generated_keys_are_accepted():
    for _ in range(200):
        assert secret_key_problem(get_random_secret_key()) is None
        assert secret_key_problem(secrets.token_urlsafe(64)) is None
        assert secret_key_problem(secrets.token_hex(32)) is None


@pytest.mark.parametrize("entry_point", ["lms.wsgi", "lms.asgi"])
def test_entry_points_without_settings_module_run_production_and_refuse_a_missing_key(tmp_path, entry_point):
    result = _run(f"import {entry_point}", tmp_path)
    assert result.returncode != 0 and "SECRET_KEY must be set to a long random value" in result.stderr
    code = f"import {entry_point}; from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
    result = _run(code, tmp_path, SECRET_KEY=STRONG_KEY, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["lms.settings.production", "False"]
