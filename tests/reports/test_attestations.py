"""Attestations: only for a completed course of one's own, PDF content, verification code, public page."""

import base64
import re
import zlib

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

import pytest

from reports import services
from reports.models import Attestation


def pdf_text(data: bytes) -> str:
    """The text drawn in a ReportLab PDF (its page streams are Flate-compressed)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):  # ASCII85, then Flate
            raw = base64.a85decode(raw[:-2])
        try:
            out.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            out.append(raw.decode("latin-1"))
    return "\n".join(out)


@pytest.fixture
def learner(populated):
    from courses.models import Enrolment

    enrolment = Enrolment.objects.select_related("user").get(user__email="t1-0@ac-toulouse.fr")
    user = enrolment.user
    user.first_name, user.last_name = "Ada", "Lovelace"
    user.save()
    return enrolment


def test_code_has_at_least_80_random_bits():
    codes = {services.new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    raw = code.replace("-", "")
    assert len(raw) * 5 >= 80 and services.CODE_BYTES * 8 >= 80
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4})+", code)
    assert services.normalise_code(raw.lower()) == code


def test_learner_downloads_pdf_of_completed_course(client, learner):
    client.force_login(learner.user)
    response = client.get(reverse("reports:attestation", args=[learner.course_key]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    attestation = Attestation.objects.get(enrolment=learner)
    text = pdf_text(data)
    assert "Ada Lovelace" in text
    assert attestation.code in text
    assert "6 heures" in text and "6,0" not in text  # whole hours without a decimal
    assert "1.1 Usage" in text  # competency developed
    assert "octobre 2026" in text  # 5 octobre 2026, in French date format
    # issued once: downloading again gives the same code
    client.get(reverse("reports:attestation", args=[learner.course_key]))
    assert Attestation.objects.get(enrolment=learner).code == attestation.code


def test_english_attestation(client, learner):
    client.force_login(learner.user)
    with translation.override("en"):  # English URL patterns under /en/
        url = reverse("reports:attestation", args=[learner.course_key])
    assert url.startswith("/en/attestations/course/")
    response = client.get(url)
    text = pdf_text(response.content)
    assert "Training attestation" in text and "Generative AI: the basics" in text
    assert "6 hours" in text


def test_no_attestation_for_unfinished_or_someone_elses_course(client, populated, learner):
    from courses.models import Enrolment

    unfinished = Enrolment.objects.get(user__email="t1-7@ac-toulouse.fr")
    client.force_login(unfinished.user)
    assert client.get(reverse("reports:attestation", args=[unfinished.course_key])).status_code == 404
    # the course learner completed, asked by someone else enrolled in it but not done
    assert client.get(reverse("reports:attestation", args=[learner.course_key])).status_code == 404
    assert not Attestation.objects.exists()
    client.logout()
    assert client.get(reverse("reports:attestation", args=[learner.course_key])).status_code == 302


def test_verification_page_shows_only_what_the_attestation_shows(client, learner):
    cache.clear()
    attestation = services.issue_attestation(enrolment=learner)
    response = client.get(reverse("reports:verify"), {"code": attestation.code.lower().replace("-", " ")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html and "IA générative : les bases" in html and attestation.code in html
    assert "t1-0@ac-toulouse.fr" not in html  # no e-mail
    assert "Jaurès" not in html and "Toulouse" not in html  # no establishment or académie
    assert "50" not in re.sub(r"<[^>]+>", "", html.split("<dl>")[1])  # no score
    response = client.get(reverse("reports:verify_code", args=[attestation.code]))
    assert response.status_code == 200


def test_unknown_code(client, db):
    cache.clear()
    response = client.get(reverse("reports:verify"), {"code": "AAAA-BBBB"})
    assert response.status_code == 404
    assert response.context["attestation"] is None


def test_verification_is_rate_limited(client, db, settings):
    cache.clear()
    settings.REPORTS_VERIFY_LIMIT = 5
    statuses = [client.get(reverse("reports:verify"), {"code": f"CODE{i}"}).status_code for i in range(7)]
    assert statuses[:5] == [404] * 5
    assert statuses[5:] == [429, 429]
    # the empty form is never limited
    assert client.get(reverse("reports:verify")).status_code == 200
    cache.clear()
