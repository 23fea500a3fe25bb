"""Item 2 and part of item 4 of issue 12: an account lifecycle without squatting."""

import re
from datetime import datetime, timedelta

from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import pytest

from lms.models import User
from lms.tokens import email_confirmation_token

OWNER = "camille.martin@ac-toulouse.fr"
OWNER_PASSWORD = "le-mot-de-passe-de-camille"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _signup(client, email=OWNER, first_name="Camille", **extra):
    return client.post(reverse("signup"), {"email": email, "first_name": first_name, "last_name": "Martin", **extra})


def _link_path(message) -> str:
    link = re.search(r"https?://\S+/confirmer/\S+", message.body).group(0)
    return link.split("example.org", 1)[1]


def _confirm(client, path, password=OWNER_PASSWORD, first_name="Camille"):
    return client.post(
        path, {"first_name": first_name, "last_name": "Martin", "new_password1": password, "new_password2": password}
    )


def _logged_in_as(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def _page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|csrfmiddlewaretoken\S*", " ", response.content.decode()))


def test_a_squatter_sign_up_sets_no_password_and_the_owner_chooses_it_on_confirmation(client, db):
    # The squatter signs up with the owner's address, even trying to pass a password along.
    squatter = client.__class__()
    _signup(squatter, first_name="Mallory", password1="squatter-secret-1", password2="squatter-secret-1")
    account = User.objects.get(email=OWNER)
    assert not account.is_active and not account.has_usable_password()
    # The owner clicks the (unsolicited) link: opening it changes nothing; confirming asks them for a password.
    path = _link_path(mail.outbox[-1])
    page = client.get(path)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()
    account.refresh_from_db()
    assert not account.is_active
    response = _confirm(client, path)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_active and account.email_confirmed_at and account.first_name == "Camille"
    assert account.check_password(OWNER_PASSWORD)
    assert squatter.post(reverse("login"), {"username": OWNER, "password": "squatter-secret-1"}).status_code == 200
    assert _logged_in_as(squatter) is None
    assert _logged_in_as(client) == account
    # The link works once.
    assert _confirm(client.__class__(), path, password="another-password-9").status_code == 400


def test_the_owner_can_always_claim_an_address_a_squatter_signed_up_with(client, db):
    _signup(client.__class__(), first_name="Mallory")
    squatter_link = _link_path(mail.outbox[-1])
    response = _signup(client)  # the owner, later: same answer as for a new address, no refusal
    text = _page_text(response)
    assert response.status_code == 200 and "Consultez votre messagerie" in text
    assert "Un compte utilise déjà cette adresse" not in text
    assert User.objects.filter(email=OWNER).count() == 1
    # Only the latest sign-up's link works: the squatter's request is replaced.
    assert client.get(squatter_link).status_code == 400
    owner_link = _link_path(mail.outbox[-1])
    assert _confirm(client, owner_link).status_code == 302
    account = User.objects.get(email=OWNER)
    assert account.is_active and account.first_name == "Camille" and account.check_password(OWNER_PASSWORD)


def test_sign_up_never_reveals_that_an_address_has_an_account(client, make_user):
    owner = make_user(email=OWNER, password=OWNER_PASSWORD)
    before = (owner.first_name, owner.password)
    known = _signup(client, email="Camille.Martin@AC-Toulouse.fr")
    unknown = _signup(client.__class__(), email="dominique.durand@ac-toulouse.fr")
    assert known.status_code == unknown.status_code == 200
    assert _page_text(known).replace("camille.martin", "X") == _page_text(unknown).replace("dominique.durand", "X")
    owner.refresh_from_db()
    assert (owner.first_name, owner.password) == before and owner.is_active
    # The owner, and only the owner, is told by e-mail, with a working password-reset link.
    exists_mail = next(m for m in mail.outbox if m.to == [OWNER])
    assert "already have an account" in exists_mail.subject or "déjà un compte" in exists_mail.subject
    assert "/confirmer/" not in exists_mail.body
    reset_path = re.search(r"https?://[^/\s]+(/\S*mot-de-passe/nouveau/\S+)", exists_mail.body).group(1)
    response = client.get(reset_path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "nouveau-secret-42", "new_password2": "nouveau-secret-42"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("nouveau-secret-42")


def test_the_confirmation_link_can_be_sent_again(client, db):
    _signup(client)
    mail.outbox.clear()
    url = reverse("resend_confirmation")
    assert client.get(url).status_code == 200
    pending = client.post(url, {"email": "CAMILLE.MARTIN@ac-toulouse.fr"})
    assert len(mail.outbox) == 1
    assert _confirm(client, _link_path(mail.outbox[0])).status_code == 302
    assert User.objects.get(email=OWNER).is_active
    # An unknown address gets the same answer and no e-mail.
    unknown = client.__class__().post(url, {"email": "personne@ac-toulouse.fr"})
    assert _page_text(unknown).replace("personne", "X") == _page_text(pending).replace("CAMILLE.MARTIN", "X").replace(
        "camille.martin", "X"
    )
    assert len(mail.outbox) == 1


def test_sign_up_e_mails_are_limited_per_address(client, db):
    for _ in range(8):
        _signup(client.__class__())
    assert len(mail.outbox) == 5


def test_confirmation_links_expire_after_48_hours(client, db, monkeypatch):
    _signup(client)
    path = _link_path(mail.outbox[-1])
    later = datetime.now() + timedelta(hours=48, minutes=1)
    monkeypatch.setattr(email_confirmation_token, "_now", lambda: later)
    assert client.get(path).status_code == 400
    assert _confirm(client, path).status_code == 400
    assert not User.objects.get(email=OWNER).is_active


def test_unconfirmed_accounts_are_purged_after_48_hours_and_the_address_is_free_again(client, make_user):
    _signup(client)
    User.objects.filter(email=OWNER).update(date_joined=timezone.now() - timedelta(hours=49))
    _signup(client, email="recent@ac-toulouse.fr")
    active = make_user(email="active@ac-toulouse.fr")
    User.objects.filter(pk=active.pk).update(date_joined=timezone.now() - timedelta(days=400))
    call_command("purge_unconfirmed_accounts", "--dry-run")
    assert User.objects.filter(email=OWNER).exists()
    call_command("purge_unconfirmed_accounts")
    assert not User.objects.filter(email=OWNER).exists()
    assert User.objects.filter(email="recent@ac-toulouse.fr").exists() and User.objects.filter(pk=active.pk).exists()
    _signup(client)
    assert _confirm(client, _link_path(mail.outbox[-1])).status_code == 302
    assert User.objects.get(email=OWNER).is_active


def test_a_confirmation_link_never_logs_in_to_an_active_account(client, make_user):
    """A link forged (or replayed) for an administrator whose address was never confirmed logs nobody in."""
    admin = make_user(email="admin@ac-toulouse.fr", is_staff=True, is_superuser=True)
    assert admin.email_confirmed_at is None
    path = reverse(
        "confirm_email", args=[urlsafe_base64_encode(force_bytes(admin.pk)), email_confirmation_token.make_token(admin)]
    )
    assert client.get(path).status_code == 400
    assert _confirm(client, path, password="attacker-password-1").status_code == 400
    admin.refresh_from_db()
    assert _logged_in_as(client) is None and not admin.check_password("attacker-password-1")
    assert admin.email_confirmed_at is None
