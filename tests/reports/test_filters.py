"""Report filters (course with its académie copies, establishment, status, date range, competency), parsing errors,
and a constant number of queries per page of the report screen."""

import datetime as dt

from django.urls import reverse

import pytest

from lms.scoping import scope_for
from reports import completions, forms, selectors


def emails(populated, **params):
    scope = scope_for(populated.users["admin"])
    filters = forms.parse_filters({k: str(v) for k, v in params.items()}, scope=scope)
    return {row[2] for row in completions.completion_values(completions.completion_rows(scope=scope, filters=filters))}


def test_course_filter_includes_academie_copies(populated):
    w = populated
    assert len(emails(w, course=w.course.translation_key)) == 17  # 14 national + 3 on the Toulouse copy
    assert len(emails(w, course=w.copy.translation_key)) == 3
    assert emails(w, course=w.other.translation_key) == set()


def test_establishment_and_status_filters(populated):
    w = populated
    assert len(emails(w, establishment=w.etabs["t2"].pk)) == 3
    assert len(emails(w, status="completed")) == 9
    assert len(emails(w, status="in_progress")) == 5  # t1-6 (quiz), t1-7 (1 lesson), the three on the copy
    assert len(emails(w, status="not_started")) == 3
    assert emails(w, status="completed", establishment=w.etabs["n1"].pk) == {f"n1-{i}@ac-nantes.fr" for i in range(3)}


def test_date_range_matches_enrolment_or_completion(populated):
    w = populated
    assert len(emails(w, **{"from": "2026-11-01", "to": "2026-11-30"})) == 3  # enrolled in November
    assert len(emails(w, **{"from": "2026-10-05", "to": "2026-10-06"})) == 2  # completed on the 5th and 6th
    assert len(emails(w, **{"to": "2026-08-31"})) == 0


def test_competency_filter_by_code(populated):
    w = populated
    assert len(emails(w, competency="test-fw:1.1")) == 14  # the national course is tagged; not the copy
    assert len(emails(w, competency="test-fw:1")) == 14  # a parent includes its descendants
    assert emails(w, competency="unesco-aicft-2024:2.2") == set()  # no course develops it


def test_a_code_alone_works_when_one_framework_has_it(populated):
    from competencies.models import CompetencyItem

    w = populated
    from courses.models import CoursePage

    copy = CoursePage.objects.get(pk=w.copy.pk)
    copy.competencies.add(CompetencyItem.objects.get(framework__code="unesco-aicft-2024", code="2.2"))
    copy.save()
    assert len(emails(w, competency="2.2")) == 3  # as a person types it: only the Toulouse copy develops it
    assert len(emails(w, competency=" 2.2 ")) == 3


def test_a_code_shared_by_two_frameworks_needs_the_framework(populated):
    scope = scope_for(populated.users["admin"])  # "1.1" is in the UNESCO framework and in the test framework
    with pytest.raises(selectors.FilterError, match="plusieurs référentiels"):
        forms.parse_filters({"competency": "1.1"}, scope=scope)
    assert forms.parse_filters({"competency": "test-fw:1.1"}, scope=scope).competency == populated.item.pk


def test_an_internal_id_is_not_a_competency(populated):
    scope = scope_for(populated.users["admin"])
    with pytest.raises(selectors.FilterError, match="Compétence inconnue"):
        forms.parse_filters({"competency": str(populated.item.pk)}, scope=scope)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"course": "not-a-uuid"}, "Formation inconnue"),
        ({"status": "finished"}, "Statut inconnu"),
        ({"from": "2026-02-30"}, "pas une date"),
        ({"establishment": "abc"}, "identifiant valide"),
        ({"competency": "9.9.9"}, "Compétence inconnue"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "postérieure"),
    ],
)
def test_bad_filters(populated, params, message):
    with pytest.raises(selectors.FilterError, match=message):
        forms.parse_filters(params, scope=scope_for(populated.users["admin"]))


def test_report_page_queries_do_not_grow_with_rows(client, populated, django_assert_max_num_queries):
    w = populated
    client.force_login(w.users["manager_toulouse"])
    url = reverse("reports_admin:completions")
    client.get(url)  # warm caches (Wagtail's admin menu, site settings…)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(60):
        u = w.learner(f"bulk-{i}@ac-toulouse.fr", w.etabs["t1"])
        w.enrol(u, w.other, etab=w.etabs["t1"], done=1, score=0.9)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 71
    assert len(response.context["page_obj"].object_list) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_dates_in_filters_roundtrip():
    f = selectors.ReportFilters(date_from=dt.date(2026, 1, 2), status="completed")
    assert f.as_query() == {"from": "2026-01-02", "status": "completed"}
