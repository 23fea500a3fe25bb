"""French by default, English complete: the catalogue is full and compiled; pages speak both languages."""

import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation

import reports

PO = Path(reports.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_string_is_translated_and_compiled():
    text = PO.read_text()
    entries = re.findall(r'\nmsgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', text)
    assert len(entries) > 100
    untranslated = [i for i, s in entries if not "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s)) and i != '""\n']
    assert untranslated == []
    assert "#, fuzzy" not in text
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime - 1


def test_verification_page_in_both_languages(client, db):
    assert "Vérifier une attestation" in client.get(reverse("reports:verify")).content.decode()
    with translation.override("en"):  # English URL patterns under /en/
        url = reverse("reports:verify")
    assert url == "/en/attestations/verify/"
    assert "Check an attestation" in client.get(url).content.decode()


def test_admin_report_in_french(client, populated):
    client.force_login(populated.users["manager_toulouse"])
    html = client.get(reverse("reports_admin:completions")).content.decode()
    assert "Suivi des formations" in html and "Progression (%)" in html and "Meilleur score aux quiz (%)" in html
    html = client.get(reverse("reports_admin:dashboard")).content.decode()
    assert (
        "Taux d’achèvement par établissement" in html or "Taux d&#x27;achèvement" in html or "Taux d’achèvement" in html
    )
