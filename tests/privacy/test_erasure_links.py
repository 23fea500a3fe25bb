"""After erasure nothing ties the anonymous shell to what left the platform: fresh xAPI registrations, no pseudonym,
and (on SQLite) the erased values overwritten in the database file rather than left in its free pages."""

import json
from pathlib import Path

from django.db import connection
from django.urls import reverse

import pytest

from courses.models import Enrolment
from lms.models import User
from privacy.erasure import erase_user
from xapi.models import OutboxStatement

from .test_rights import _everything_as_text, active_learner  # noqa: F401


def test_erasure_gives_the_shell_fresh_registrations(active_learner):  # noqa: F811
    old = {str(r) for r in Enrolment.objects.filter(user=active_learner).values_list("registration", flat=True)}
    sent = {
        json.loads(bytes(p))["context"]["registration"]
        for p in OutboxStatement.objects.values_list("payload", flat=True)
    }
    assert old and sent == old  # the statements carry the enrolment's registration
    result = erase_user(user=active_learner)
    new = {str(r) for r in Enrolment.objects.filter(user=active_learner).values_list("registration", flat=True)}
    assert len(new) == len(old) and not new & old
    assert not Enrolment.objects.filter(registration__in=old).exists()
    everything = _everything_as_text()
    assert not [r for r in old if r in everything]
    assert result.deleted["courses.Enrolment (xAPI registration replaced)"] == len(old)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite pragma; PostgreSQL has no free-page leftovers")
def test_sqlite_overwrites_deleted_values(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the SQLite database file")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # (the migrations' data, after another test's flush)
def test_an_erased_e_mail_is_not_left_in_the_database_file(client):
    email = "zorglub.unique-7c1e@ac-toulouse.fr"
    user = User.objects.create_user(email=email, password="correct-horse-battery", first_name="Zorglub")
    client.force_login(user)
    client.get(reverse("privacy:my_data"))
    erase_user(user=user)  # commits (autocommit), then checkpoints the write-ahead log
    path = Path(connection.settings_dict["NAME"])
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert email.encode() not in raw
    assert b"Zorglub" not in raw
