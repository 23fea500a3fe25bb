"""Dashboard: accessible SVG charts beside tables, competency figures by the competencies app's own rule,
a constant number of queries."""

import re
import uuid

from django.urls import reverse

from competencies.models import Evidence
from lms import charts
from lms import smallnumbers as sn
from lms.scoping import scope_for
from reports import dashboard


def test_svg_chart_is_accessible_and_hides_suppressed_values():
    svg = str(
        charts.bar_chart(
            chart_id="c",
            title="Enrolments <per month>",
            description="desc",
            labels=["a", "b"],
            series=[charts.Series("S", [sn.count(12), sn.count(3)])],
        )
    )
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Enrolments &lt;per month&gt;</title>' in svg
    assert svg.count("<rect") == 2  # one bar + the legend swatch; no bar for the suppressed figure
    assert "&lt; 5" in svg and ": 3" not in svg


def test_dashboard_page_has_charts_and_tables(client, populated):
    client.force_login(populated.users["manager_toulouse"])
    response = client.get(reverse("reports_admin:dashboard"))
    html = response.content.decode()
    assert html.count("<svg") >= 2 + 0  # two charts (plus Wagtail's icons)
    assert 'id="chart-months-title"' in html and 'id="chart-courses-desc"' in html
    assert html.count('<th scope="col">') >= 8
    assert "<caption>" in html


def test_dashboard_query_count_is_constant(populated, django_assert_max_num_queries):
    scope = scope_for(populated.users["admin"])
    with django_assert_max_num_queries(16):
        dashboard.dashboard(scope=scope)
    w = populated
    for i in range(20):
        u = w.learner(f"extra-{i}@ac-toulouse.fr", w.etabs["t1"])
        w.enrol(u, w.other, etab=w.etabs["t1"], done=1)
    with django_assert_max_num_queries(16):
        dashboard.dashboard(scope=scope)


def _answer(user, item, quiz, attempt, question, correct):
    Evidence.objects.create(
        user=user, item=item, source_key=quiz, attempt_key=attempt, question_key=question, correct=correct
    )


def test_competencies_most_and_least_secured(populated):
    w = populated
    item, other = w.item, w.item.get_parent()
    learners = [e.user for e in w.course.__class__.objects.none()]  # placeholder to keep types simple
    from courses.models import Enrolment

    learners = [e.user for e in Enrolment.objects.filter(academie__name="Toulouse").select_related("user")][:11]
    quiz = str(uuid.uuid4())
    # item: 6 learners secured, 5 not (3 right out of 3 vs 1 of 3); other: 10 assessed, 5 secured
    for n, user in enumerate(learners):
        for q in range(3):
            _answer(user, item, quiz, "a1", f"q{q}", correct=(n < 6 or q == 0))
    for n, user in enumerate(learners[:10]):
        for q in range(3):
            _answer(user, other, quiz, "a1", f"q{q}", correct=(n < 5))
    most, least = dashboard.competency_figures(
        scope=scope_for(w.users["manager_toulouse"]),
        enrolments=scope_for(w.users["manager_toulouse"]).filter(Enrolment.objects.all()),
    )
    assert [r.label.split()[0] for r in most] == ["1.1", "1"]
    assert str(most[0].secured) == "6" and str(most[0].assessed) == "11" and str(most[0].rate) == "55 %"
    assert str(most[1].rate) == "50 %"
    assert [r.label.split()[0] for r in least] == ["1", "1.1"]
    # the Nantes manager sees nothing of this evidence (no Nantes learner has any)
    most, least = dashboard.competency_figures(
        scope=scope_for(w.users["manager_nantes"]),
        enrolments=scope_for(w.users["manager_nantes"]).filter(Enrolment.objects.all()),
    )
    assert most == [] and least == []


def test_month_range():
    import datetime as dt

    months = dashboard.month_range(dt.date(2026, 3, 15), 4)
    assert months == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert re.match(r"\d{4}", str(months[0].year))
