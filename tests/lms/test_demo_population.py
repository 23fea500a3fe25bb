"""The demo gives managers something to look at: several hundred learners over months, real figures on the
dashboard. The population (tests/lms/conftest.py) is loaded once for the module."""

from django.db.models import Count
from django.urls import reverse

from assessments.models import Attempt
from competencies.models import Evidence
from courses.models import ActivityProgress, Enrolment
from lms import demo_population
from lms.models import User


def test_the_demo_population_is_large_spread_and_deterministic(population):
    enrolments = Enrolment.objects.filter(user__email__contains=".demo@")
    assert population == enrolments.count() >= 300
    per_academie = dict(enrolments.values_list("academie__code").annotate(n=Count("pk")))
    assert set(per_academie) == {"16", "11", "17"} and min(per_academie.values()) >= 100
    assert enrolments.values("establishment").distinct().count() >= 12
    months = {e.enrolled_at.strftime("%Y-%m") for e in enrolments}
    assert len(months) >= 8  # spread over the months
    completed = enrolments.filter(completed_at__isnull=False).count()
    assert 0.25 * population < completed < 0.75 * population
    assert ActivityProgress.objects.filter(enrolment__in=enrolments, kind="quiz", score__isnull=False).exists()
    assert Attempt.objects.filter(enrolment__in=enrolments, passed=False).exists()  # some failed a first attempt
    assert Evidence.objects.filter(user__email__contains=".demo@").count() > 1000
    assert not any(u.has_usable_password() for u in User.objects.filter(email__contains=".demo@")[:20])
    # Reloading gives the same people and the same history (seeded), without duplicates.
    before = sorted(enrolments.values_list("user__email", "completed_at__date"))
    assert demo_population.load(now=None) == population
    assert sorted(Enrolment.objects.filter(user__email__contains=".demo@").values_list("user__email")) == sorted(
        (e,) for e, _d in before
    )
    assert Enrolment.objects.filter(user__email__contains=".demo@").count() == population


def test_the_dashboard_shows_figures_not_small_numbers(client, population):
    manager = User.objects.get(email="gestion.demo@ac-toulouse.fr")
    client.force_login(manager)
    response = client.get(reverse("reports_admin:dashboard"))
    board = response.context["board"]
    assert int(str(board.total.enrolled)) >= 100 and not board.total.completed.suppressed
    assert not board.total.rate.suppressed
    shown_months = [m for m in board.months if not m.enrolled.suppressed]
    assert len(shown_months) >= 5  # bars on the chart
    assert response.context["months_chart"].count("<rect") >= 10
    assert board.most_secured  # the competency table has rows
