import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_real_secret_key():
    code = "import django; django.setup()"
    result = _run(code, DJANGO_SETTINGS_MODULE="lms.settings.production")
    assert result.returncode != 0 and "SECRET_KEY must be set to a long random value" in result.stderr
    result = _run(code, DJANGO_SETTINGS_MODULE="lms.settings.production", SECRET_KEY="dev-" + "x" * 60)
    assert result.returncode != 0 and "SECRET_KEY must be set to a long random value" in result.stderr


def test_production_check_deploy_has_no_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "k3Jx9-vQ2rT8wLz5mN1pB7cF4hG6yD0sA9eU2iO5tR8wQ1zX3cV6bN9mK2jH5gF8",
            "ALLOWED_HOSTS": "formation.example.org",
            "VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "k3Jx9-vQ2rT8wLz5mN1pB7cF4hG6yD0sA9eU2iO5tR8wQ1zX3cV6bN9mK2jH5gF8",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "VAR_DIR": str(tmp_path),
    }
    code = """
import django; django.setup()
from django.core.management import call_command
call_command("collectstatic", "--no-input", verbosity=0)
from django.templatetags.static import static
from django.test import Client
url = static("css/site.css")
assert ".css" in url and url != "/static/css/site.css", url
response = Client().get(url, headers={"accept-encoding": "gzip, br"}, secure=True)
print(response.status_code, response.headers.get("Cache-Control"), response.headers.get("Content-Encoding"), sep="|")
"""
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    status, cache, encoding = result.stdout.strip().splitlines()[-1].split("|")
    assert status == "200"
    assert "max-age=31536000" in cache and "immutable" in cache
    assert encoding in {"gzip", "br"}


@pytest.mark.parametrize(("path", "lang", "title"), [("/", "fr", "se former"), ("/en/", "en", "training")])
def test_home_page_in_both_languages(client, db, path, lang, title):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html  # skip link to the main landmark
    assert "<script" not in html  # the public pages need no JavaScript


def test_language_switch_links_to_the_translation(client, db):
    html = client.get("/").content.decode()
    assert 'href="/en/" hreflang="en"' in html
    html = client.get("/en/").content.decode()
    assert 'href="/" hreflang="fr"' in html
    # Non-page views switch by URL prefix too.
    html = client.get("/en/account/login/").content.decode()
    assert '<html lang="en">' in html and "Log in" in html
    assert 'href="/compte/connexion/" hreflang="fr"' in html
    html = client.get("/compte/connexion/").content.decode()
    assert "Se connecter" in html and "Mot de passe oublié" in html


def test_french_is_the_default_even_for_english_browsers(client, db):
    html = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).content.decode()
    assert '<html lang="fr">' in html


def test_content_security_policy_is_sent(client, db):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp


def test_admin_login_is_branded_and_served(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert (
        "training administration" in response.content.decode()
        or "administration des formations" in response.content.decode()
    )
