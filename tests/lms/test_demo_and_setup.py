"""load_demo is quiet (on an empty database, as on a first `make run`), links follow PORT, and console e-mails are
readable. The demo population itself: tests/lms/test_demo_population.py."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.core.management import call_command

import pytest

from lms.mail import ReadableConsoleBackend

ROOT = Path(__file__).resolve().parents[2]


def test_load_demo_prints_only_the_summary(db, caplog):
    out = io.StringIO()
    with caplog.at_level(logging.INFO):
        call_command("load_demo", force=True, stdout=out)
    text = out.getvalue()
    assert [r.getMessage() for r in caplog.records if r.levelno <= logging.INFO] == []
    assert "admin@formation-ia.example" in text and "Demo-Admin-2026" in text
    assert "generated learners" in text
    assert len(text.splitlines()) < 20


def test_console_emails_are_decoded_so_a_copied_link_works(settings):
    settings.MAILERS = {"default": {"BACKEND": "lms.mail.ReadableConsoleBackend"}}
    link = "http://127.0.0.1:8170/compte/confirmer/Mg/cu4x2j-0123456789abcdef0123456789abcdef/?suivant=%2Fapprendre%2F"
    stream = io.StringIO()
    backend = ReadableConsoleBackend(stream=stream)
    message = mail.EmailMultiAlternatives(
        "Confirmez votre adresse électronique",
        f"Bonjour Élodie,\n\nPour confirmer votre adresse, ouvrez ce lien :\n{link}\n\nÀ bientôt !",
        "ne-pas-repondre@localhost",
        ["elodie@ac-nantes.fr"],
    )
    message.attach_alternative(f'<p><a href="{link}">Confirmer</a></p>', "text/html")
    backend.send_messages([message])
    text = stream.getvalue()
    assert link in text.splitlines()  # whole, on its own line
    assert "Bonjour Élodie," in text and "À bientôt !" in text
    assert "=3D" not in text and "=\n" not in text and "Content-Transfer-Encoding" not in text
    assert "Subject: Confirmez votre adresse électronique" in text and "To: elodie@ac-nantes.fr" in text
    assert "text/html" in text  # the other part is named


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8170"}, "http://127.0.0.1:8170 http://127.0.0.1:8170"),
        ({}, "http://127.0.0.1:8000 http://127.0.0.1:8000"),
        ({"PORT": "8170", "PLATFORM_BASE_URL": "https://ia.example.fr"}, "https://ia.example.fr https://ia.example.fr"),
    ],
)
def test_links_follow_the_port_in_development(env, expected):
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "PLATFORM_BASE_URL", "DJANGO_SETTINGS_MODULE"}}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.PLATFORM_BASE_URL, settings.WAGTAILADMIN_BASE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == expected


def test_make_run_exports_the_base_url_from_the_port():
    script = (ROOT / "scripts" / "run.sh").read_text()
    # Evaluate the two export lines as make run does, with PORT=8170.
    lines = [line for line in script.splitlines() if line.startswith("export P")]
    result = subprocess.run(
        ["bash", "-c", "\n".join([*lines, 'echo "$PLATFORM_BASE_URL"'])],
        env={"PATH": os.environ["PATH"], "PORT": "8170"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8170"
