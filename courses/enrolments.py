"""The learner's enrolment in a course, read once per learner's page with what the page and its tracking need."""

import datetime as dt
from uuid import UUID

from django.db import connections, router
from django.db.models import DateTimeField
from django.utils import timezone

from xapi.models import XapiPseudonym

from .models import CoursePage, Enrolment

# The learner's enrolment with what a learner's page needs next, in one statement. Written in SQL because it runs on
# every tracked page and the ORM spent more time compiling its four subqueries than the database spent answering
# (docs/performance.md, "Third pass"). Only the string aggregate differs between the two supported databases.
_DONE_KEYS = {
    "postgresql": "string_agg(CAST(a.activity_key AS text), ',')",
    "sqlite": "group_concat(a.activity_key, ',')",
}
_ENROLMENT_SQL = """
SELECT e.*,
  (SELECT {done_keys} FROM courses_activityprogress a
    WHERE a.enrolment_id = e.id AND a.completed_at IS NOT NULL) AS done_keys,
  s.id AS open_session_pk, s.session_id AS open_session_uuid, s.last_activity_at AS open_session_last,
  p.id AS pseudonym_pk, p.pseudonym AS pseudonym_name, p.created_at AS pseudonym_created_at
FROM courses_enrolment e
LEFT JOIN courses_learningsession s ON s.id = (
  SELECT s2.id FROM courses_learningsession s2
  WHERE s2.enrolment_id = e.id AND s2.ended_at IS NULL ORDER BY s2.started_at DESC LIMIT 1)
LEFT JOIN xapi_xapipseudonym p ON p.user_id = e.user_id
WHERE e.user_id = %s AND e.course_key = %s
"""


def _aware(value) -> dt.datetime | None:
    """A datetime read by raw SQL: PostgreSQL gives it aware, SQLite as text in UTC."""
    value = DateTimeField().to_python(value)
    return value if value is None or timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    """The learner's enrolment in the course, read in one query with what a learner's page needs next: the xAPI
    pseudonym (kept on `user`, so that the statements of the request cost no other read), the keys of the
    activities done (`progress_for`) and the open learning session (`tracking.record_lesson_view` extends it with
    one UPDATE)."""
    if not user.is_authenticated:
        return None
    connection = connections[router.db_for_read(Enrolment)]
    sql = _ENROLMENT_SQL.format(done_keys=_DONE_KEYS[connection.vendor])
    course_key = Enrolment._meta.get_field("course_key").get_db_prep_value(course.translation_key, connection)
    rows = list(Enrolment.objects.raw(sql, [user.pk, course_key]))
    if not rows:
        return None
    enrolment = rows[0]
    uuid = enrolment.open_session_uuid
    enrolment.open_session_uuid = uuid if uuid is None or isinstance(uuid, UUID) else UUID(str(uuid))
    enrolment.open_session_last = _aware(enrolment.open_session_last)
    if enrolment.pseudonym_pk is not None:  # (else created on first use: xapi.actors.pseudonym_for)
        user.xapi_pseudonym = XapiPseudonym(
            pk=enrolment.pseudonym_pk,
            user=user,
            pseudonym=enrolment.pseudonym_name,
            created_at=_aware(enrolment.pseudonym_created_at),
        )
    enrolment.user = user
    return enrolment
