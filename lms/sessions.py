"""Sessions with an inactivity timeout that do not cost a database write on every request.

Django's `SESSION_SAVE_EVERY_REQUEST` moves the expiry forward on each request by saving the session: with the
database backend, a transaction (BEGIN, UPDATE, COMMIT) on every page a learner opens. Instead the session is saved
when it changes, and otherwise at most once every `SESSION_REFRESH_SECONDS` (5 minutes by default): a learner is
logged out after between `SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS` and `SESSION_COOKIE_AGE` of inactivity.

Values derived from the database and kept in the session for the menu (whether the user may open the
administration) are dropped at each refresh, so they are never older than the refresh interval.
"""

import time

from django.conf import settings

REFRESHED_AT = "_lms_refreshed_at"
ADMIN_LINK = "_lms_admin_link"


def refresh_seconds() -> int:
    return int(getattr(settings, "SESSION_REFRESH_SECONDS", 300))


class SessionRefreshMiddleware:
    """Placed after `SessionMiddleware`: before the view, marks a session modified when its last refresh is older
    than the interval (and forgets what was remembered in it), so that `SessionMiddleware` saves it after the view
    (new expiry, new cookie). A visitor without a session cookie costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= refresh_seconds() and not session.is_empty():
                session[REFRESHED_AT] = now
                session.pop(ADMIN_LINK, None)
        return self.get_response(request)


def admin_link(request, compute) -> bool:
    """Whether the user may open the administration: `compute()` once per refresh interval of the session (the
    middleware forgets it at each refresh); every time when there is no session."""
    session = getattr(request, "session", None)
    if session is None:
        return compute()
    if ADMIN_LINK not in session:
        session[ADMIN_LINK] = compute()
    return session[ADMIN_LINK]
