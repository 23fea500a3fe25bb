"""Lean learner pages (issue #16): query ceilings, the cached course structure and its invalidation, the router.

Counts are of SQL statements sent by one request, after a first request warmed the per-process memos (the test
settings use Django's in-memory cache; production's database cache adds one read of the content generation per
request: bench/bench_pages.py counts with it). `django_assert_max_num_queries` counts the savepoints of the
test's own transaction too; `statements()` leaves them out (they do not exist outside a test).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from courses.models import ActivityProgress, CoursePage, Enrolment, LessonPage, ModulePage

from .helpers import enrolled_and_started, outbox_statements


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.fixture
def enrolled(client, build_course, teacher):
    return enrolled_and_started(client, build_course(n_modules=2, n_lessons=3, translate=False), teacher)


def test_anonymous_lesson_costs_the_router_and_the_page(client, build_course, django_assert_max_num_queries):
    c = build_course(n_modules=2, n_lessons=3, translate=False)
    lesson = c["lessons"][4]
    client.get(lesson.url)  # warms the memos (site, menu, footer, structure)
    with django_assert_max_num_queries(3), CaptureQueriesContext(connection) as captured:
        response = client.get(lesson.url)
    assert response.status_code == 200 and "Leçon 2.2" in response.content.decode()
    # The pages on the way and the lesson itself: no query per level of the tree.
    assert len(statements(captured)) <= 3, statements(captured)


def test_tracked_lesson_is_6_statements_on_postgresql_9_on_sqlite_whatever_the_course_size(
    client, build_course, teacher, django_assert_max_num_queries
):
    counts = []
    ceiling = 6 if connection.vendor == "postgresql" else 9
    for n_lessons in (3, 60):
        CoursePage.objects.all().delete()
        c = build_course(n_modules=1, n_lessons=n_lessons, translate=False)
        client.force_login(teacher)
        client.post(reverse("courses:enrol", args=[c["course"].pk]))
        client.get(c["lessons"][0].url)
        client.get(c["lessons"][2].url)  # this page's memos warm (its competencies, its translations), as in use
        before = len(outbox_statements("experienced"))
        with django_assert_max_num_queries(ceiling + 2), CaptureQueriesContext(connection) as captured:
            response = client.get(c["lessons"][2].url)
        assert response.status_code == 200 and "Leçon 1.3" in response.content.decode()
        # Still recorded: the view, for "continue", and the statement.
        assert len(outbox_statements("experienced")) == before + 1
        enrolment = Enrolment.objects.get(user=teacher, course_key=c["course"].translation_key)
        assert enrolment.last_activity_key == c["lessons"][2].translation_key
        assert ActivityProgress.objects.filter(
            enrolment=enrolment, activity_key=c["lessons"][2].translation_key
        ).exists()
        counts.append(len(statements(captured)))
    # The route (2), the session and the user, the enrolment with the learning session and the activities done
    # (1), then the tracking (courses.tracking): on PostgreSQL one statement, on SQLite one transaction of four
    # writes (the learning session extended, the progress, the enrolment, the statement). Neither the session nor
    # the menu's "Administration" link costs a query between refreshes (lms/sessions.py).
    assert counts[0] == counts[1] and counts[0] <= ceiling, (counts, statements(captured))


def test_a_second_view_of_the_same_lesson_keeps_one_progress_row(client, enrolled, teacher):
    lesson = enrolled["lessons"][1]
    client.get(lesson.url)
    client.get(lesson.url)
    assert ActivityProgress.objects.filter(activity_key=lesson.translation_key).count() == 1
    assert len(outbox_statements("experienced")) == 3  # the first lesson, then this one twice


def test_course_page_and_my_learning_ceilings(client, enrolled, django_assert_max_num_queries):
    course = enrolled["course"]
    client.get(course.url)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as captured:
        response = client.get(course.url)
    assert response.status_code == 200 and "Leçon 2.3" in response.content.decode()
    assert len(statements(captured)) <= 8, statements(captured)
    client.get(reverse("courses:my_learning"))
    # One more than before training sessions: one query tells the learner's sessions and whether they follow one as
    # a trainer (cohorts.selectors.learner_sessions).
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 200 and "Cours test" in response.content.decode()
    assert len(statements(captured)) <= 15, statements(captured)


def test_a_published_change_reaches_the_learner(client, enrolled, add_lesson):
    course, lesson = enrolled["course"], enrolled["lessons"][0]
    client.get(course.url)  # the structure is cached
    # A new lesson, published: listed on the course page at once.
    new = add_lesson(enrolled["modules"][1], title="Leçon ajoutée", slug="lecon-ajoutee")
    assert "Leçon ajoutée" in client.get(course.url).content.decode()
    # A title changed and published.
    page = LessonPage.objects.get(pk=lesson.pk)
    page.title = "Leçon renommée"
    page.save_revision().publish()
    assert "Leçon renommée" in client.get(course.url).content.decode()
    # Unpublished: gone from the course page, and its URL answers 404.
    new.unpublish()
    assert "Leçon ajoutée" not in client.get(course.url).content.decode()
    assert client.get(new.url).status_code == 404
    # Moved to the other module: listed there, at its new address.
    moved = LessonPage.objects.get(pk=enrolled["lessons"][1].pk)
    moved.move(enrolled["modules"][1], pos="last-child")
    moved = LessonPage.objects.get(pk=moved.pk)
    assert "/module-2/" in moved.url
    html = client.get(course.url).content.decode()
    assert html.index("Module 2") < html.index(moved.title)
    assert client.get(moved.url).status_code == 200


def test_a_module_unpublished_leaves_the_structure(client, enrolled):
    course = enrolled["course"]
    client.get(course.url)
    ModulePage.objects.get(pk=enrolled["modules"][1].pk).unpublish()
    assert "Leçon 2.1" not in client.get(course.url).content.decode()


def test_a_view_restriction_added_later_applies_at_once(client, build_course):
    c = build_course(n_modules=1, n_lessons=2, translate=False)
    lesson = c["lessons"][1]
    assert client.get(lesson.url).status_code == 200  # no restriction yet: memorised as such
    PageViewRestriction.objects.create(page=c["course"], restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lesson.url)
    assert response.status_code == 302 and "next=" in response.url  # to the log-in page


def test_the_router_answers_404_for_a_missing_page_and_serves_english(client, build_course):
    c = build_course(n_modules=1, n_lessons=1)
    assert client.get(c["lessons"][0].url + "nope/").status_code == 404
    assert client.get("/catalogue/inconnu/").status_code == 404
    en = c["en"]["lessons"][0]
    response = client.get(en.url)
    assert en.url.startswith("/en/") and response.status_code == 200 and "Lesson 1.1" in response.content.decode()
