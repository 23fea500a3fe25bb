"""Write operations on accounts and organisations (keyword-only, transactional)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Academie, Establishment, User
from .scoping import scope_for
from .security import normalise_email
from .tokens import CONFIRMATION_SECONDS
from .uai import normalise_uai, validate_uai


def academie_for_email(email: str) -> Academie | None:
    """The académie whose staff domain is exactly the address's domain (an explicit list, never a pattern)."""
    domain = (email or "").rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    for academie in Academie.objects.all():
        if domain in academie.domains:
            return academie
    return None


class SignupOutcome(Enum):
    NEW = "new"  # a new unconfirmed account: send the confirmation link
    PENDING = "pending"  # an unconfirmed account for this address was replaced by this sign-up: send a new link
    ACTIVE = "active"  # the address already has an account: tell its owner (by e-mail only) how to log in
    INACTIVE = "inactive"  # an account deactivated by an administrator: nothing is sent


def unconfirmed_accounts() -> QuerySet[User]:
    """Sign-ups whose address was never confirmed (never active, never logged in)."""
    return User.objects.filter(is_active=False, email_confirmed_at__isnull=True, last_login__isnull=True)


def expired_unconfirmed_accounts(*, now: datetime | None = None) -> QuerySet[User]:
    cutoff = (now or timezone.now()) - timedelta(seconds=CONFIRMATION_SECONDS)
    return unconfirmed_accounts().filter(date_joined__lt=cutoff)


@transaction.atomic
def register(*, email: str, first_name: str, last_name: str, language: str) -> tuple[SignupOutcome, User]:
    """A sign-up. The address's owner can always claim it: the latest sign-up replaces an unconfirmed one.

    No password is taken here: whoever confirms from the mailbox chooses it (see `confirm_signup`), so a password
    chosen by someone who typed another person's address never protects that person's account.
    """
    email = normalise_email(email)
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is None:
        user = User(email=email, is_active=False)
        try:
            with transaction.atomic():
                _fill_signup(user, first_name=first_name, last_name=last_name, language=language)
            return SignupOutcome.NEW, user
        except IntegrityError:  # the same address signed up at the same instant: replace that one instead
            existing = User.objects.select_for_update().get(email=email)
    if existing.is_active:
        return SignupOutcome.ACTIVE, existing
    if not unconfirmed_accounts().filter(pk=existing.pk).exists():
        return SignupOutcome.INACTIVE, existing
    _fill_signup(existing, first_name=first_name, last_name=last_name, language=language)
    return SignupOutcome.PENDING, existing


def _fill_signup(user: User, *, first_name: str, last_name: str, language: str) -> None:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = language
    user.date_joined = timezone.now()  # the 48 hours count from the latest sign-up
    user.set_unusable_password()  # a new random marker: the earlier sign-up's links stop working
    user.save()


@transaction.atomic
def confirm_signup(*, user: User, password: str, first_name: str, last_name: str) -> User:
    """The mailbox owner confirms an unconfirmed sign-up and chooses the password (and their name)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or user.email_confirmed_at is not None:
        raise PermissionDenied(_("This account is already active."))
    user.first_name = first_name
    user.last_name = last_name
    user.set_password(password)
    return confirm_email(user=user)


@transaction.atomic
def purge_unconfirmed_accounts(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete sign-ups not confirmed within 48 hours; their address is free again."""
    expired = expired_unconfirmed_accounts(now=now)
    count = expired.count()
    if not dry_run and count:
        expired.delete()
    return count


@transaction.atomic
def confirm_email(*, user: User) -> User:
    """Record that the user proved they own their address; a professional address sets the académie."""
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    if user.academie_source != User.AcademieSource.MANAGER:
        academie = academie_for_email(user.email)
        if academie is not None:
            user.academie = academie
            user.academie_source = User.AcademieSource.EMAIL
    user.save()
    return user


EMAIL_CHANGE_SALT = "lms.email-change"


def request_email_change(*, user: User, new_email: str) -> bool:
    """Send a confirmation link to the new address; nothing changes until it is opened. False: nothing to do."""
    new_email = normalise_email(new_email)
    if not new_email or new_email == user.email:
        return False
    token = signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)
    link = settings.PLATFORM_BASE_URL + reverse("confirm_email_change", args=[token])
    with override(user.preferred_language):
        body = render_to_string("registration/email_change.txt", {"user": user, "link": link, "new_email": new_email})
        subject = _("Confirm your new e-mail address")
    send_mail(subject, body, None, [new_email])  # nothing is written: the link carries the request
    return True


def read_email_change(*, token: str, user: User) -> str | None:
    """The new address a valid link (48 hours, this user, address unchanged since) confirms, or None."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=CONFIRMATION_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk or data.get("old") != user.email:
        return None
    return data.get("new") or None


@transaction.atomic
def apply_email_change(*, user: User, new_email: str) -> User:
    """The owner of the new address opened the link: it becomes the log-in address, confirmed now."""
    new_email = normalise_email(new_email)
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise ValidationError(_("This address cannot be used. Choose another one."))
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = timezone.now()
    if user.academie_source != User.AcademieSource.MANAGER:
        academie = academie_for_email(new_email)
        user.academie = academie
        user.academie_source = User.AcademieSource.EMAIL if academie else User.AcademieSource.NONE
        if user.establishment_id and (academie is None or user.establishment.academie_id != academie.pk):
            user.establishment = None
    user.save()
    with override(user.preferred_language):
        body = render_to_string("registration/email_changed.txt", {"user": user, "new_email": new_email})
        subject = _("Your log-in e-mail address has changed")
    transaction.on_commit(lambda: send_mail(subject, body, None, [old_email]))
    return user


@transaction.atomic
def set_user_academie(*, user: User, academie: Academie | None, by: User) -> User:
    """An académie manager (for their own académie) or a national administrator sets someone's académie."""
    scope = scope_for(by)
    allowed = scope.everything or (
        academie is not None and scope.allows_academie(academie.pk) and user.academie_id in (None, academie.pk)
    )
    if not allowed:
        raise PermissionDenied(_("You may only assign people to your own académie."))
    user.academie = academie
    user.academie_source = User.AcademieSource.MANAGER if academie else User.AcademieSource.NONE
    if user.establishment_id and (academie is None or user.establishment.academie_id != academie.pk):
        user.establishment = None
    user.save()
    return user


# --- Import of the ministry's establishment directory (data set fr-en-annuaire-education) ---

DIRECTORY_COLUMNS = {
    "uai": ("identifiant_de_l_etablissement", "uai", "numero_uai"),
    "name": ("nom_etablissement", "appellation_officielle", "nom"),
    "academie": ("code_academie",),
    "kind": ("type_etablissement", "nature_uai_libe"),
    "sector": ("statut_public_prive", "secteur_public_prive_libe"),
    "commune": ("nom_commune", "libelle_commune"),
    "postcode": ("code_postal",),
    "priority_education": ("appartenance_education_prioritaire",),
}
REQUIRED_COLUMNS = ("uai", "name", "academie")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_text(raw: bytes) -> str:
    """An uploaded text file: UTF-8 (with or without a byte-order mark), else Windows-1252 (a spreadsheet's "CSV" on
    Windows). Used by every import of people (establishments here, session participants in cohorts)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor Windows-1252 text."))


def import_establishments(*, raw: bytes, dry_run: bool = False) -> ImportResult:
    """Validate every row first, then write all of them in one transaction, or none.

    Columns are found by name (the ministry's header), with `;` or `,` as separator.
    """
    text = decode_text(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    result = ImportResult()
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        result.errors.append(_("The file is empty."))
        return result
    index: dict[str, int] = {}
    for key, names in DIRECTORY_COLUMNS.items():
        for name in names:
            if name in header:
                index[key] = header.index(name)
                break
    missing = [DIRECTORY_COLUMNS[k][0] for k in REQUIRED_COLUMNS if k not in index]
    if missing:
        result.errors.append(_("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)})
        return result

    academies = {a.code: a for a in Academie.objects.all()}
    rows: dict[str, dict] = {}
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row=row) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        uai = normalise_uai(cell("uai"))
        try:
            validate_uai(uai)
        except ValidationError as exc:
            result.errors.append(
                _("Line %(line)d, column %(col)s: %(msg)s")
                % {"line": line_no, "col": DIRECTORY_COLUMNS["uai"][0], "msg": " ".join(exc.messages)}
            )
            continue
        code = cell("academie").zfill(2)
        if code not in academies:
            result.errors.append(
                _("Line %(line)d, column code_academie: unknown académie code “%(code)s”.")
                % {"line": line_no, "code": cell("academie")}
            )
            continue
        if not cell("name"):
            result.errors.append(_("Line %(line)d, column nom_etablissement: the name is empty.") % {"line": line_no})
            continue
        if uai in rows:
            result.errors.append(
                _("Line %(line)d, column %(col)s: UAI %(uai)s appears twice in the file.")
                % {"line": line_no, "col": DIRECTORY_COLUMNS["uai"][0], "uai": uai}
            )
            continue
        rows[uai] = {
            "name": cell("name")[:200],
            "academie": academies[code],
            "kind": cell("kind")[:100],
            "sector": cell("sector")[:20],
            "commune": cell("commune")[:100],
            "postcode": cell("postcode")[:10],
            "priority_education": cell("priority_education")[:10],
        }
    if result.errors:
        return result

    existing = set(Establishment.objects.filter(uai__in=rows).values_list("uai", flat=True))
    result.created = len(rows) - len(existing)
    result.updated = len(existing)
    if dry_run:
        return result
    with transaction.atomic():
        Establishment.objects.bulk_create(
            [Establishment(uai=uai, **values) for uai, values in rows.items()],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["uai"],
            update_fields=["name", "academie", "kind", "sector", "commune", "postcode", "priority_education"],
        )
    return result
