"""The account's own personal data (`lms.personal_data`): the account, its single sign-on links, the audit log, and
what the platform's third-party apps keep about the person (django-axes' log-in records, Wagtail's admin profile)."""

import datetime as dt
import secrets

from django.utils.translation import gettext as _

from wagtail.users.models import UserProfile

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from .audit import AuditEntry
from .models import SsoIdentity
from .personal_data import ACCOUNT, ErasureStep, Expiry, PersonalData, Titles, human_date, register

LOGIN_RECORDS = (AccessAttempt, AccessLog, AccessFailureLog)


def readable_account(user, *, language: str):
    def build(titles: Titles) -> list[tuple[str, str]]:
        return [
            (_("Name"), user.get_full_name() or "—"),
            (_("E-mail"), user.email),
            (_("Académie"), user.academie.name if user.academie_id else "—"),
            (_("Establishment"), user.establishment.name if user.establishment_id else "—"),
            (_("Language"), _("French") if (user.preferred_language or "fr") == "fr" else _("English")),
            (_("Account created on"), human_date(user.date_joined)),
            (_("Last log-in"), human_date(user.last_login, with_time=True)),
        ]

    return set(), build


def erase_login_records(user) -> dict[str, int]:
    return {model._meta.label: model.objects.filter(username__iexact=user.email).delete()[0] for model in LOGIN_RECORDS}


def erase_admin_profile(user) -> dict[str, int]:
    return {"wagtailusers.UserProfile": UserProfile.objects.filter(user=user).delete()[0]}


def erase_sso_identities(user) -> dict[str, int]:
    # The link to the identity provider: a later log-in there creates a new, unrelated account.
    return {"lms.SsoIdentity": SsoIdentity.objects.filter(user=user).delete()[0]}


def anonymise_account(user) -> dict[str, int]:
    """The account stays as an anonymous row so that figures ("completions in March") stay right."""
    user.email = f"efface-{secrets.token_hex(8)}@invalid"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.email_confirmed_at = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return {}


def old_login_records(cutoff: dt.datetime):
    return [model.objects.filter(attempt_time__lt=cutoff) for model in (AccessAttempt, AccessFailureLog, AccessLog)]


def old_audit_entries(cutoff: dt.datetime):
    return [AuditEntry.objects.filter(at__lt=cutoff)]


register(
    PersonalData(
        app_label="lms",
        tables=("lms.User", "lms.SsoIdentity", "lms.AuditEntry"),
        readable={"account": readable_account},
        erasure=[
            ErasureStep(30, erase_login_records),  # before the account: they are found by its e-mail address
            ErasureStep(60, erase_admin_profile),
            ErasureStep(70, erase_sso_identities),
            ErasureStep(ACCOUNT, anonymise_account),
        ],
        expiries=[
            Expiry("login_records_deleted", "LOGIN_RECORDS_DAYS", old_login_records),
            Expiry("audit_entries_deleted", "AUDIT_DAYS", old_audit_entries),
        ],
    )
)
