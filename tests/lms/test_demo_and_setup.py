"""The demo gives managers something to look at (several hundred learners over months, real figures on the
dashboard), load_demo is quiet, links follow PORT, and console e-mails are readable."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

import pytest

from assessments import demo as assessments_demo
from assessments.models import Attempt
from competencies.models import Evidence
from courses import demo as courses_demo
from courses.models import ActivityProgress, Enrolment
from lms import demo as lms_demo
from lms import demo_population
from lms.mail import ReadableConsoleBackend
from lms.models import User

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def population(db):
    lms_demo.load()
    courses_demo.load()
    assessments_demo.load()
    return demo_population.load()


def test_the_demo_population_is_large_spread_and_deterministic(population):
    enrolments = Enrolment.objects.filter(user__email__contains=".demo@")
    assert population == enrolments.count() >= 300
    per_academie = dict(enrolments.values_list("academie__code").annotate(n=Count("pk")))
    assert set(per_academie) == {"16", "11", "17"} and min(per_academie.values()) >= 100
    assert enrolments.values("establishment").distinct().count() >= 12
    months = {e.enrolled_at.strftime("%Y-%m") for e in enrolments}
    assert len(months) >= 8  # spread over the months
    completed = enrolments.filter(completed_at__isnull=False).count()
    assert 0.25 * population < completed < 0.75 * population
    assert ActivityProgress.objects.filter(enrolment__in=enrolments, kind="quiz", score__isnull=False).exists()
    assert Attempt.objects.filter(enrolment__in=enrolments, passed=False).exists()  # some failed a first attempt
    assert Evidence.objects.filter(user__email__contains=".demo@").count() > 1000
    assert not any(u.has_usable_password() for u in User.objects.filter(email__contains=".demo@")[:20])
    # Reloading gives the same people and the same history (seeded), without duplicates.
    before = sorted(enrolments.values_list("user__email", "completed_at__date"))
    assert demo_population.load(now=None) == population
    assert sorted(Enrolment.objects.filter(user__email__contains=".demo@").values_list("user__email")) == sorted(
        (e,) for e, _d in before
    )
    assert Enrolment.objects.filter(user__email__contains=".demo@").count() == population


def test_the_dashboard_shows_figures_not_small_numbers(client, population):
    manager = User.objects.get(email="gestion.demo@ac-toulouse.fr")
    client.force_login(manager)
    response = client.get(reverse("reports_admin:dashboard"))
    board = response.context["board"]
    assert int(str(board.total.enrolled)) >= 100 and not board.total.completed.suppressed
    assert not board.total.rate.suppressed
    shown_months = [m for m in board.months if not m.enrolled.suppressed]
    assert len(shown_months) >= 5  # bars on the chart
    assert response.context["months_chart"].count("<rect") >= 10
    assert board.most_secured  # the competency table has rows


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
