"""Write operations on training sessions: bulk enrolment, attendance, reminders (keyword-only, transactional)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from courses.models import Enrolment
from lms.models import Establishment, User
from lms.security import normalise_email
from lms.services import decode_text
from lms.uai import normalise_uai, validate_uai

from . import selectors
from .models import Attendance, InPersonDate, Membership, Reminder, TrainingSession

MAX_LINES = 5000
REMINDER_INTERVAL = dt.timedelta(hours=24)
FIELD_LABELS = {
    "email": gettext_lazy("e-mail"),
    "last_name": gettext_lazy("last name"),
    "first_name": gettext_lazy("first name"),
    "uai": gettext_lazy("UAI"),
}
# Header names accepted (lower case, accents kept); without a header the order is e-mail; last name; first name; UAI.
HEADER_NAMES = {
    "email": ("e-mail", "email", "courriel", "mail", "adresse électronique", "adresse e-mail", "adresse mail"),
    "last_name": ("nom", "last name", "nom de famille", "nom d'usage", "lastname"),
    "first_name": ("prénom", "prenom", "first name", "firstname"),
    "uai": ("uai", "rne", "code uai", "uai établissement", "uai etablissement"),
}
ORDER = ("email", "last_name", "first_name", "uai")


@dataclass
class Participant:
    line: int
    email: str
    last_name: str
    first_name: str
    uai: str
    establishment: Establishment | None = None
    user: User | None = None  # an existing account (matched), or None (to create)
    already_member: bool = False


@dataclass
class Refusal:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return _("Line %(line)d, %(field)s: %(reason)s") % {
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
        }


@dataclass
class EnrolmentPlan:
    """What a file would do: accounts created, accounts matched, lines refused (one refusal imports nothing)."""

    created: list[Participant] = field(default_factory=list)
    matched: list[Participant] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused and bool(self.created or self.matched)


def _columns(first_row: list[str]) -> dict[str, int] | None:
    """The columns named by a header row, or None when the first row is data."""
    cells = [c.strip().lower() for c in first_row]
    found = {}
    for key, names in HEADER_NAMES.items():
        for i, cell in enumerate(cells):
            if cell in names:
                found[key] = i
                break
    if "@" in "".join(cells) or not found:
        return None
    return found


def read_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[Refusal]]:
    """(line number, cells by field) for every non-empty line, and refusals about the file's shape."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return [], [Refusal(1, "-", _("the file is empty."))]
    header = _columns(rows[0])
    start = 1
    if header is None:
        header, start = {key: i for i, key in enumerate(ORDER)}, 0
    else:
        missing = [str(FIELD_LABELS[k]) for k in ORDER if k not in header]
        if missing:
            return [], [Refusal(1, ", ".join(missing), _("column missing from the header."))]
    result = []
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        result.append((number, {key: (row[i].strip() if i < len(row) else "") for key, i in header.items()}))
    if len(result) > MAX_LINES:
        return [], [Refusal(MAX_LINES + 1, "-", _("more than %(n)d lines: split the file.") % {"n": MAX_LINES})]
    return result, []


def plan_enrolment(*, session: TrainingSession, raw: bytes) -> EnrolmentPlan:
    """Check every line of the file against the session's académie; write nothing."""
    plan = EnrolmentPlan()
    try:
        text = decode_text(raw)
    except ValidationError as exc:
        plan.refused.append(Refusal(1, "-", " ".join(exc.messages)))
        return plan
    rows, problems = read_rows(text)
    plan.refused.extend(problems)
    if problems:
        return plan
    if not rows:
        plan.refused.append(Refusal(1, "-", _("the file has no participant line.")))
        return plan
    emails = [normalise_email(cells["email"]) for _, cells in rows]
    uais = [normalise_uai(cells["uai"]) for _, cells in rows]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    establishments = {e.uai: e for e in Establishment.objects.filter(uai__in=uais)}
    members = set(session.memberships.values_list("user_id", flat=True))
    seen: dict[str, int] = {}
    for number, cells in rows:
        refusals = _check_line(number, cells, session=session, users=users, establishments=establishments, seen=seen)
        if refusals:
            plan.refused.extend(refusals)
            continue
        email = normalise_email(cells["email"])
        participant = Participant(
            line=number,
            email=email,
            last_name=cells["last_name"][:150],
            first_name=cells["first_name"][:150],
            uai=normalise_uai(cells["uai"]),
            establishment=establishments[normalise_uai(cells["uai"])],
            user=users.get(email),
        )
        if participant.user is None:
            plan.created.append(participant)
        else:
            participant.already_member = participant.user.pk in members
            plan.matched.append(participant)
    return plan


def _check_line(number, cells, *, session, users, establishments, seen) -> list[Refusal]:
    refusals = []

    def refuse(key: str, reason: str) -> None:
        refusals.append(Refusal(number, str(FIELD_LABELS[key]), reason))

    email = normalise_email(cells["email"])
    try:
        validate_email(email)
    except ValidationError:
        refuse("email", _("“%(value)s” is not an e-mail address.") % {"value": cells["email"]})
    else:
        if email in seen:
            refuse("email", _("this address is already on line %(line)d.") % {"line": seen[email]})
        seen.setdefault(email, number)
        user = users.get(email)
        if user is not None and not user.is_active:
            refuse("email", _("this account is deactivated or awaits confirmation; it cannot be enrolled."))
        elif user is not None and user.academie_id not in (None, session.academie_id):
            refuse("email", _("this person belongs to another académie."))
    for key in ("last_name", "first_name"):
        if not cells[key]:
            refuse(key, _("empty."))
    uai = normalise_uai(cells["uai"])
    try:
        validate_uai(uai)
    except ValidationError as exc:
        refuse("uai", " ".join(exc.messages))
    else:
        establishment = establishments.get(uai)
        if establishment is None:
            refuse("uai", _("no establishment %(uai)s in the directory.") % {"uai": uai})
        elif establishment.academie_id != session.academie_id:
            refuse(
                "uai",
                _("%(establishment)s is in the académie of %(other)s, not %(academie)s.")
                % {"establishment": establishment, "other": establishment.academie, "academie": session.academie},
            )
    return refusals


def _check_manager(session: TrainingSession, by: User | None) -> None:
    if by is not None and not selectors.managed_sessions(by).filter(pk=session.pk).exists():
        raise PermissionDenied(_("You may only manage your own académie's training sessions."))


def enrol_participants(
    *, session: TrainingSession, raw: bytes, by: User | None = None, dry_run: bool = False, invite: bool = True
) -> EnrolmentPlan:
    """Create the missing accounts and enrol everyone in the session's course, or, if one line is refused, nothing.

    Created accounts are pre-created for the académie (set by a manager): no usable password, never logged in, address
    not confirmed. With ``COHORTS_INVITE_BY_EMAIL`` each new participant is sent a link to choose a password.
    """
    _check_manager(session, by)
    plan = plan_enrolment(session=session, raw=raw)
    if dry_run or not plan.ok:
        return plan
    with transaction.atomic():
        created_users = []
        for p in plan.created:
            user = User(
                email=p.email,
                first_name=p.first_name,
                last_name=p.last_name,
                academie_id=session.academie_id,
                academie_source=User.AcademieSource.MANAGER,
                establishment=p.establishment,
                is_active=True,
            )
            user.set_unusable_password()
            user.save()
            p.user = user
            created_users.append(user)
        for p in plan.created + plan.matched:
            _enrol(session=session, user=p.user, by=by)
        plan.applied = True
        if invite and getattr(settings, "COHORTS_INVITE_BY_EMAIL", True):
            transaction.on_commit(lambda: [send_invitation(user=u, session=session) for u in created_users])
    return plan


def _enrol(*, session: TrainingSession, user: User, by: User | None) -> Membership:
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user,
        course_key=session.course.translation_key,
        defaults={"academie_id": user.academie_id or session.academie_id, "establishment_id": user.establishment_id},
    )
    membership, _created = Membership.objects.get_or_create(
        session=session, user=user, defaults={"enrolment": enrolment, "added_by": by}
    )
    return membership


def send_invitation(*, user: User, session: TrainingSession) -> None:
    """A link to choose a password (Django's password-reset token: valid until used or PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with override(user.preferred_language):
        link = settings.PLATFORM_BASE_URL + reverse("password_reset_confirm", args=[uid, token])
        body = render_to_string("cohorts/email/invitation.txt", {"user": user, "session": session, "link": link})
        subject = _("You are enrolled in the training session “%(title)s”") % {"title": session.title}
    send_mail(subject, body, None, [user.email])


@dataclass
class ReminderResult:
    sent: list[Membership] = field(default_factory=list)
    skipped: list[Membership] = field(default_factory=list)  # reminded less than 24 hours ago


@transaction.atomic
def send_reminders(*, session: TrainingSession, by: User, now: dt.datetime | None = None) -> ReminderResult:
    """E-mail every participant who has not started, at most once per participant per 24 hours; each one logged."""
    if not selectors.followed_sessions(by).filter(pk=session.pk).exists():
        raise PermissionDenied(_("You may only follow your own training sessions."))
    now = now or timezone.now()
    result = ReminderResult()
    targets = list(
        selectors.not_started(session)
        .select_for_update(of=("self",))
        .select_related("user", "session__course")
        .order_by("pk")
    )
    recent = set(
        Reminder.objects.filter(membership__in=targets, sent_at__gte=now - REMINDER_INTERVAL).values_list(
            "membership_id", flat=True
        )
    )
    for membership in targets:
        if membership.pk in recent:
            result.skipped.append(membership)
            continue
        Reminder.objects.create(membership=membership, sent_by_label=f"#{by.pk}")
        result.sent.append(membership)
    messages = [_reminder_message(m, session) for m in result.sent]
    transaction.on_commit(lambda: [send_mail(*message) for message in messages])
    return result


def _reminder_message(membership: Membership, session: TrainingSession) -> tuple[str, str, None, list[str]]:
    user = membership.user
    with override(user.preferred_language):
        course = selectors.course_in(session, user.preferred_language)
        link = settings.PLATFORM_BASE_URL + course.url if course.url else settings.PLATFORM_BASE_URL
        body = render_to_string(
            "cohorts/email/reminder.txt", {"user": user, "session": session, "course": course, "link": link}
        )
        subject = _("Your training session “%(title)s” has started") % {"title": session.title}
    return subject, body, None, [user.email]


@transaction.atomic
def record_attendance(
    *, session: TrainingSession, in_person_date: InPersonDate, present_ids: set[int], by: User
) -> int:
    """Tick present (the memberships in `present_ids`) or absent (the others) for one in-person date."""
    if not selectors.followed_sessions(by).filter(pk=session.pk).exists():
        raise PermissionDenied(_("You may only follow your own training sessions."))
    if in_person_date.session_id != session.pk:
        raise PermissionDenied
    count = 0
    for membership in session.memberships.all():
        Attendance.objects.update_or_create(
            membership=membership,
            in_person_date=in_person_date,
            defaults={"present": membership.pk in present_ids},
        )
        count += 1
    return count
