from django.db import transaction
from django.urls import reverse

import pytest

from xapi import outbox
from xapi.actors import actor_for
from xapi.models import OutboxState, OutboxStatement, SenderStatus

from .factories import experienced, many

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(email="admin@ac-lyon.fr", is_superuser=True, is_staff=True))
    return client


def enqueue(statements):
    with transaction.atomic():
        return outbox.enqueue(statements)


def test_without_an_lrs_the_admin_says_statements_accumulate(admin_client):
    enqueue(many(3))
    page = admin_client.get(reverse("xapi_outbox")).content.decode()
    assert "Aucun LRS n’est configuré" in page  # the admin speaks French by default (English source strings)
    assert '<td data-state="pending">3</td>' in page


def test_dead_statement_visible_with_the_lrs_answer_and_retriable(admin_client, settings):
    settings.LRS_ENDPOINT = "http://127.0.0.1:9/xAPI"
    rows = enqueue(many(2))
    claimed = outbox.claim_batch(owner="w", limit=10, lease_seconds=60)
    outbox.mark_dead(owner="w", pk=claimed[0].pk, status=422, error='HTTP 422: {"detail":"verb.id is not an IRI"}')
    outbox.record_error("HTTP 503: maintenance")
    page = admin_client.get(reverse("xapi_outbox"), {"state": "dead"}).content.decode()
    assert "Aucun LRS" not in page and "http://127.0.0.1:9/xAPI" in page
    assert str(rows[0].statement_id) in page and str(rows[1].statement_id) not in page
    assert "verb.id is not an IRI" in page and "HTTP 503: maintenance" in page
    assert '<td data-state="dead">1</td>' in page

    response = admin_client.post(reverse("xapi_outbox_retry"), {"pk": [claimed[0].pk]})
    assert response.status_code == 302
    assert OutboxStatement.objects.get(pk=claimed[0].pk).state == OutboxState.PENDING


def test_configuration_error_is_shown(admin_client):
    outbox.record_error("the LRS refused the credentials (HTTP 401)", configuration=True)
    page = admin_client.get(reverse("xapi_outbox")).content.decode()
    assert "refuse les identifiants" in page and "HTTP 401" in page
    assert SenderStatus.objects.get().configuration_error


def test_one_learners_statements_by_pseudonym(admin_client, make_user):
    learner = make_user(email="claire@ac-lyon.fr")
    name = actor_for(learner)["account"]["name"]
    mine = enqueue([experienced(1, learner=name), experienced(2, learner=name)])
    others = enqueue(many(3))
    page = admin_client.get(reverse("xapi_outbox"), {"learner": name}).content.decode()
    assert all(str(r.statement_id) in page for r in mine)
    assert not any(str(r.statement_id) in page for r in others)
    assert "claire@ac-lyon.fr" not in page.split('id="xapi-list-title"')[-1]  # the listing shows pseudonyms only


def test_listing_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    enqueue(many(5))
    with django_assert_max_num_queries(25) as few:
        admin_client.get(reverse("xapi_outbox"))
    enqueue(many(60))
    with django_assert_max_num_queries(len(few)):
        admin_client.get(reverse("xapi_outbox"))


def test_editors_without_the_permission_cannot_see_or_retry(client, make_user):
    from django.contrib.auth.models import Permission

    editor = make_user(email="editor@ac-lyon.fr")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # they do reach the admin
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    response = client.get(reverse("xapi_outbox"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    enqueue(many(1))
    claimed = outbox.claim_batch(owner="w", limit=1, lease_seconds=60)
    outbox.mark_dead(owner="w", pk=claimed[0].pk, status=400, error="bad")
    response = client.post(reverse("xapi_outbox_retry"), {"pk": [claimed[0].pk]})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert OutboxStatement.objects.get(pk=claimed[0].pk).state == OutboxState.DEAD
