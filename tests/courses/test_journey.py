"""The learner's journey: enrol, read, mark done, resume, complete — and the statements each step writes."""

from django.urls import reverse

import pytest

from courses.models import ActivityProgress, Enrolment, LearningSession
from xapi import vocabulary as v

from .helpers import outbox_statements


def test_enrol_in_one_click_and_twice_is_once(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    url = reverse("courses:enrol", args=[c["course"].pk])
    response = client.post(url)
    assert response.status_code == 302 and response.url == c["lessons"][0].url
    client.post(url)  # a double click
    enrolment = Enrolment.objects.get()
    assert enrolment.academie == teacher.academie  # organisation recorded at enrolment
    launched = outbox_statements("launched")
    assert len(launched) == 1
    assert launched[0]["context"]["registration"] == str(enrolment.registration)
    assert launched[0]["object"]["id"].endswith(f"/course/{c['course'].translation_key}")
    assert launched[0]["actor"]["account"]["homePage"] == "https://formation-ia.example.org"
    assert "mbox" not in launched[0]["actor"] and teacher.email not in str(launched[0])


def test_enrolment_needs_a_logged_in_post(client, build_course, teacher):
    c = build_course()
    url = reverse("courses:enrol", args=[c["course"].pk])
    assert client.post(url).status_code == 302 and not Enrolment.objects.exists()  # to the log-in page
    client.force_login(teacher)
    assert client.get(url).status_code == 405  # a prefetch or a crawler never enrols
    assert not Enrolment.objects.exists()


def test_anonymous_visitor_reads_but_records_nothing(client, build_course):
    c = build_course()
    response = client.get(c["lessons"][0].url)
    assert response.status_code == 200
    assert "Texte de Leçon 1.1" in response.content.decode()
    assert not ActivityProgress.objects.exists() and outbox_statements() == []


def test_viewing_a_lesson_records_experienced_with_context(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    client.get(c["lessons"][1].url)
    [experienced] = outbox_statements("experienced")
    ctx = experienced["context"]["contextActivities"]
    assert ctx["parent"][0]["id"].endswith(f"/module/{c['modules'][0].translation_key}")
    assert ctx["grouping"][0]["id"].endswith(f"/course/{c['course'].translation_key}")
    assert v.EXT_SESSION_ID in experienced["context"]["extensions"]
    assert not ActivityProgress.objects.filter(completed_at__isnull=False).exists()  # reading is not finishing


def test_marking_done_needs_a_post_and_moves_to_the_next_lesson(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    done_url = reverse("courses:mark_done", args=[c["lessons"][0].pk])
    assert client.get(done_url).status_code == 405
    response = client.post(done_url)
    assert response.url == c["lessons"][1].url
    html = client.get(c["lessons"][0].url).content.decode()
    assert "Vous avez terminé cette leçon" in html
    assert 'value="25"' in html  # course progress bar: 1 of 4 lessons
    [module_progress] = [s for s in outbox_statements("progressed") if "/module/" in s["object"]["id"]]
    assert module_progress["result"]["extensions"][v.EXT_PROGRESS] == 50


def test_progress_is_shared_between_languages(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["en"]["course"].pk]))  # enrol in English
    client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]))  # finish the French lesson
    assert Enrolment.objects.count() == 1
    html = client.get(c["en"]["lessons"][0].url).content.decode()
    assert "You have completed this lesson" in html
    assert 'value="25"' in html
    client.post(reverse("courses:mark_done", args=[c["en"]["lessons"][0].pk]))  # the same activity again
    assert ActivityProgress.objects.filter(kind="lesson", completed_at__isnull=False).count() == 1


def test_course_completion_and_statements(client, build_course, teacher):
    c = build_course(n_modules=2, n_lessons=1)
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    for lesson in c["lessons"]:
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    enrolment = Enrolment.objects.get()
    assert enrolment.completed_at is not None
    completed = outbox_statements("completed")
    kinds = sorted(s["object"]["id"].split("/")[-2] for s in completed)
    assert kinds == ["course", "module", "module"]
    for statement in completed:
        assert statement["result"]["completion"] is True and "duration" in statement["result"]
    course_done = [s for s in completed if "/course/" in s["object"]["id"]][0]
    assert course_done["context"]["registration"] == str(enrolment.registration)
    # Marking again emits nothing more: at most one completed per activity and registration.
    client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]))
    assert len(outbox_statements("completed")) == 3


def test_lesson_added_or_unpublished_after_completion(client, build_course, add_lesson, teacher, make_user):
    c = build_course(n_modules=1, n_lessons=2, translate=False)
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    for lesson in c["lessons"]:
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    completed_at = Enrolment.objects.get(user=teacher).completed_at
    new = add_lesson(c["modules"][0])
    # The learner who had finished stays finished.
    assert Enrolment.objects.get(user=teacher).completed_at == completed_at
    assert 'value="100"' in client.get(c["course"].url).content.decode()
    # A newcomer now needs the new lesson too.
    other = make_user(email="autre@ac-toulouse.fr", academie=teacher.academie)
    client.force_login(other)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    for lesson in c["lessons"]:
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    assert Enrolment.objects.get(user=other).completed_at is None
    # Unpublishing the new lesson removes it from what is required: the next mark completes the course.
    new.unpublish()
    client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]))
    enrolment = Enrolment.objects.get(user=other)
    assert enrolment.completed_at is None  # nothing newly done: no recomputation on a repeat
    third = add_lesson(c["modules"][0], title="Troisième", slug="troisieme")
    third.required_for_completion = False
    third.save_revision().publish()
    last = add_lesson(c["modules"][0], title="Dernière", slug="derniere")
    client.post(reverse("courses:mark_done", args=[last.pk]))
    assert Enrolment.objects.get(user=other).completed_at is not None  # optional lesson not needed


def test_resume_goes_to_the_first_lesson_not_done(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    assert client.get(reverse("courses:resume")).url == reverse("courses:my_learning")
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]))
    client.get(c["lessons"][2].url)  # opened, not finished
    assert client.get(reverse("courses:resume")).url == c["lessons"][2].url
    client.post(reverse("courses:mark_done", args=[c["lessons"][2].pk]))
    assert client.get(reverse("courses:resume")).url == c["lessons"][3].url


def test_my_learning_lists_courses_and_profile(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]))
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "Cours test" in html and 'value="25"' in html
    assert "Mon profil de compétences" in html or "competency profile" in html.lower()
    assert "<svg" in html and "1.1" in html


def test_logout_ends_the_learning_session(client, build_course, teacher):
    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    client.post(reverse("logout"))
    session = LearningSession.objects.get()
    assert session.ended_at is not None
    [terminated] = outbox_statements("terminated")
    assert terminated["context"]["extensions"][v.EXT_SESSION_ID] == str(session.session_id)
    assert "duration" in terminated["result"]


def test_idle_sessions_end_after_thirty_minutes(client, build_course, teacher):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    c = build_course()
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    LearningSession.objects.update(last_activity_at=timezone.now() - dt.timedelta(minutes=31))
    client.get(c["lessons"][0].url)  # a new visit after 31 idle minutes: the old session ends, a new one starts
    assert LearningSession.objects.filter(ended_at__isnull=False).count() == 1
    assert len(outbox_statements("launched")) == 2 and len(outbox_statements("terminated")) == 1
    LearningSession.objects.filter(ended_at__isnull=True).update(
        last_activity_at=timezone.now() - dt.timedelta(hours=1)
    )
    call_command("close_learning_sessions")
    assert not LearningSession.objects.filter(ended_at__isnull=True).exists()
    assert len(outbox_statements("terminated")) == 2


def test_lesson_page_takes_a_constant_number_of_queries(client, build_course, teacher, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n_lessons in (5, 200):
        from courses.models import CoursePage

        CoursePage.objects.all().delete()
        c = build_course(n_modules=1, n_lessons=n_lessons, translate=False)
        client.force_login(teacher)
        client.post(reverse("courses:enrol", args=[c["course"].pk]))
        client.get(c["lessons"][1].url)
        with django_assert_max_num_queries(50), CaptureQueriesContext(connection) as queries:
            response = client.get(c["lessons"][2].url)
        assert response.status_code == 200 and "Leçon 1.3" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.lrs
def test_a_whole_course_reaches_a_real_lrs_once(client, build_course, teacher, ralph):
    """Enrol, read, finish every lesson, log out: every statement reaches Ralph exactly once, unchanged."""
    from tests.xapi.ralph import assert_each_stored_once
    from xapi.conf import lrs_config
    from xapi.worker import Worker

    c = build_course(n_modules=2, n_lessons=2)
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    for lesson in c["lessons"]:
        client.get(lesson.url)
        client.post(reverse("courses:mark_done", args=[lesson.pk]))
    client.post(reverse("logout"))
    produced = outbox_statements()
    verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in produced}
    assert verbs == {"launched", "experienced", "progressed", "completed", "terminated"}
    worker = Worker(lrs_config(endpoint=ralph.endpoint, username=ralph.username, password=ralph.password))
    assert worker.run(once=True) == 0
    worker.close()
    assert_each_stored_once(ralph, produced)


def test_a_completed_course_offers_its_attestation(client, build_course, teacher):
    c = build_course(n_modules=1, n_lessons=1, translate=False)
    client.force_login(teacher)
    client.post(reverse("courses:enrol", args=[c["course"].pk]))
    client.post(reverse("courses:mark_done", args=[c["lessons"][0].pk]))
    url = reverse("reports:attestation", args=[c["course"].translation_key])
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
