"""Reports read from a replica (DATABASE_REPLICA_URL → alias `replica`, lms/db_router.py); writes and every other
read stay on the primary; without a replica, reports read the primary.

A second PostgreSQL database stands in for the replica: a copy of the test database (CREATE DATABASE … TEMPLATE),
then changed, so that the page shows which database it read.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, router
from django.urls import reverse

import psycopg
import pytest

from courses.models import Enrolment
from lms.audit import AuditEntry
from lms.db_router import REPLICA, reads_from_replica
from lms.models import User

ROOT = Path(__file__).resolve().parents[2]


def _admin_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def replica(django_db_serialized_rollback, transactional_db):
    """Adds a `replica` alias pointing at a copy of the test database, made when the fixture is called."""
    primary = connection.settings_dict["NAME"]
    name = f"{primary}_replica"

    def make() -> str:
        connections.close_all()  # a template database must have no other session
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary}"')
        settings.DATABASES[REPLICA] = {**connection.settings_dict, "NAME": name}
        # Django's test case refuses to open connections to aliases it was not told about at set-up; the replica
        # did not exist then. Opened here, the connection stays open (CONN_MAX_AGE) for the test's requests.
        connections[REPLICA].connect()
        return name

    yield make
    if REPLICA in settings.DATABASES:
        connections[REPLICA].close()
        del connections[REPLICA]
        del settings.DATABASES[REPLICA]
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _report(client) -> str:
    response = client.get(reverse("reports_admin:completions"))
    assert response.status_code == 200
    return response.content.decode()


def _export(client) -> str:
    response = client.get(reverse("reports_admin:completions_export"), {"fmt": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.postgres
def test_reports_read_the_replica_and_write_the_primary(client, populated, replica):
    manager = populated.users["manager_toulouse"]
    replica()
    # The replica lags: a learner renamed there only, a learner enrolled on the primary only.
    User.objects.using(REPLICA).filter(email="t1-0@ac-toulouse.fr").update(last_name="Réplique")
    late = populated.learner("primaire-seul@ac-toulouse.fr", populated.etabs["t1"], last_name="PrimaireSeul")
    populated.enrol(late, populated.course, etab=populated.etabs["t1"])
    audits_before = AuditEntry.objects.using(REPLICA).count()
    cache.clear()

    client.force_login(manager)
    html = _report(client)
    assert "Réplique" in html and "Toulousain0" not in html  # read from the replica
    assert "PrimaireSeul" not in html
    csv = _export(client)  # streamed after the view returned: still the replica
    assert "Réplique" in csv and "Toulousain0" not in csv and "PrimaireSeul" not in csv

    # The audit entries of the view and the export were written to the primary, not the replica.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_VIEW, actor=manager).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REPORT_EXPORT, actor=manager).count() == 1
    assert AuditEntry.objects.using(REPLICA).count() == audits_before
    # Everything outside the reports reads the primary.
    assert Enrolment.objects.filter(user=late).exists()
    assert router.db_for_read(Enrolment) is None or router.db_for_read(Enrolment) == "default"
    with reads_from_replica():
        assert router.db_for_read(Enrolment) == REPLICA
        assert router.db_for_write(Enrolment) == "default"
    assert not router.allow_migrate(REPLICA, "courses")


@pytest.mark.postgres
def test_without_a_replica_reports_read_the_primary(client, populated):
    assert REPLICA not in settings.DATABASES
    late = populated.learner("primaire-seul@ac-toulouse.fr", populated.etabs["t1"], last_name="PrimaireSeul")
    populated.enrol(late, populated.course, etab=populated.etabs["t1"])
    client.force_login(populated.users["manager_toulouse"])
    html = _report(client)
    assert "Toulousain0" in html and "PrimaireSeul" in html
    with reads_from_replica():
        assert router.db_for_read(Enrolment) in (None, "default")


def test_database_replica_url_adds_the_replica_alias():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.DATABASES.get('replica', {}).get('NAME'), settings.DATABASE_ROUTERS]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    with_replica = {**env, "DATABASE_REPLICA_URL": "postgres://reader@replica.example.org:5432/lms"}
    without = {k: v for k, v in env.items() if k != "DATABASE_REPLICA_URL"}
    run = [sys.executable, "-c", code]
    name, routers = json.loads(subprocess.check_output(run, env=with_replica, cwd=ROOT, text=True))
    assert name == "lms" and routers == ["lms.db_router.ReplicaRouter"]
    name, _routers = json.loads(subprocess.check_output(run, env=without, cwd=ROOT, text=True))
    assert name is None
