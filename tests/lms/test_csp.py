"""The learner pages keep the strict policy; the administration gets Wagtail's needs; violation reports are logged."""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def _directive(response, name: str) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(d.strip() for d in policy.split(";") if d.strip().startswith(name + " "))


def test_learner_pages_allow_no_inline_script(client):
    response = client.get("/compte/connexion/")
    script_src = _directive(response, "script-src")
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert _directive(response, "report-uri") == "report-uri /csp-report/"


def test_the_administration_allows_wagtails_inline_scripts_and_nothing_else(client, make_user):
    client.force_login(make_user(email="admin@education.gouv.fr", is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    script_src = _directive(response, "script-src")
    assert script_src == "script-src 'self' 'unsafe-inline'"  # no nonce: it would disable 'unsafe-inline'
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert _directive(response, "img-src") == "img-src 'self' data: blob:"  # no gravatar
    assert _directive(response, "object-src") == "object-src 'none'"


def test_a_violation_report_is_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://testserver/admin/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="lms.csp"):
        response = client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    assert "script-src-elem blocked inline on http://testserver/admin/" in caplog.text


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"x" * 20_000])
def test_a_malformed_report_is_refused(client, body):
    assert client.post("/csp-report/", body, content_type="application/csp-report").status_code == 400


def test_reports_are_posted_only(client):
    assert client.get("/csp-report/").status_code == 405
