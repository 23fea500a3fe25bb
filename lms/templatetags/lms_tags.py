import datetime as dt

from django import template
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms import sessions

register = template.Library()


@register.simple_tag(takes_context=True)
def can_access_admin(context) -> bool:
    """`perms.wagtailadmin.access_admin` for the menu's link: one query (the permission through the user's own
    permissions or a group), remembered in the session until its next refresh (lms/sessions.py: at most 5 minutes),
    so a learner's pages do not ask again. The admin itself checks permissions on every request as always."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_perm_cache", None)  # (ModelBackend's, when something has read it already)
    if cached is not None:
        return "wagtailadmin.access_admin" in cached
    return sessions.admin_link(
        context.get("request"),
        lambda: (
            Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        ),
    )


@register.simple_tag
def local_login_enabled() -> bool:
    """False on an SSO-only platform: no sign-up, password or reset links (lms.sso_views.local_accounts_only)."""
    return settings.LOCAL_LOGIN_ENABLED


@register.filter
def percent(value) -> str:
    """A whole percentage as each language writes it: "95 %" in French (no-break space), "95%" in English."""
    if value is None or value == "":
        return ""
    return _("%(value)s%%") % {"value": value}


@register.filter
def long_date(value) -> str:
    """A date in words: "1er décembre 2026" in French (ordinal first day), "1 December 2026" in English."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    day = value.day
    if (get_language() or settings.LANGUAGE_CODE)[:2] == "fr" and day == 1:
        return f"1er {date_format(value, 'F Y')}"
    return date_format(value, "j F Y")


@register.filter
def label_colon(value) -> str:
    """A label followed by a colon, as each language writes it, without doubling a final full stop."""
    text = str(value).rstrip().rstrip(".").rstrip()
    return _("%(label)s:") % {"label": text}
