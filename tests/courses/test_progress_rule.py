"""One rule for required activities, completion and percentages (``courses.progress``).

The learner's pages, the completion service and the reports must agree: a property-based test generates course
trees (published and unpublished modules, lessons, quizzes, optional activities) and learner histories, and checks
the three against an independent statement of the rule.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import QuizPage
from courses import progress
from courses.models import CoursePage, Enrolment, LessonPage, ModulePage
from courses.selectors import course_structure, my_enrolments, progress_for
from courses.services import complete_activity, setup_national_catalogue
from lms.scoping import Scope
from reports import exports
from reports.completions import completion_rows
from reports.selectors import COMPLETED, course_catalogue


@dataclass
class ActivitySpec:
    kind: str  # lesson or quiz
    live: bool
    required: bool


@dataclass
class ModuleSpec:
    live: bool
    activities: list[ActivitySpec]


activity_specs = st.builds(
    ActivitySpec, kind=st.sampled_from(["lesson", "quiz"]), live=st.booleans(), required=st.booleans()
)
module_specs = st.builds(ModuleSpec, live=st.booleans(), activities=st.lists(activity_specs, min_size=0, max_size=3))
course_specs = st.lists(module_specs, min_size=1, max_size=3)


class Rollback(Exception):
    pass


def build(spec: list[ModuleSpec], catalogue) -> tuple[CoursePage, list[tuple[ModuleSpec, ActivitySpec, object]]]:
    course = CoursePage(title="Cours", slug="cours", summary="<p>Un cours.</p>")
    catalogue.add_child(instance=course)
    activities = []
    for m, module_spec in enumerate(spec):
        module = ModulePage(title=f"Module {m}", slug=f"module-{m}", live=module_spec.live)
        course.add_child(instance=module)
        for a, activity_spec in enumerate(module_spec.activities):
            fields = {
                "title": f"Activité {m}.{a}",
                "slug": f"activite-{m}-{a}",
                "live": activity_spec.live,
                "required_for_completion": activity_spec.required,
            }
            model = LessonPage if activity_spec.kind == "lesson" else QuizPage
            page = model(**fields)
            module.add_child(instance=page)
            activities.append((module_spec, activity_spec, page))
    return course, activities


def expected_required(activities) -> set:
    """The rule, stated independently: live, marked required, in a live module."""
    return {page.translation_key for m, a, page in activities if a.live and a.required and m.live}


def check_agreement(user, course, activities, history: list[int], unpublish_later: int | None) -> None:
    required = expected_required(activities)
    done: set = set()
    completed = False
    for index in history:
        _m, _a, page = activities[index % len(activities)]
        result = complete_activity(user=user, page=page)
        done.add(page.translation_key)
        # The completion service completes the course exactly when every required activity is done.
        completed = completed or required <= done
        assert result.enrolment.completed_at is not None if completed else result.enrolment.completed_at is None
    if unpublish_later is not None:
        module = course.get_children().specific()[unpublish_later % course.get_children().count()]
        module.live = False
        module.save()
        required = (
            {page.translation_key for m, a, page in activities if a.live and a.required and m.live}
            - {p.translation_key for p in LessonPage.objects.child_of(module)}
            - {p.translation_key for p in QuizPage.objects.child_of(module)}
        )
    enrolment = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
    if enrolment is None:
        assert not history
        return
    if completed:
        expected = 100
    elif not required:
        expected = 0
    else:
        expected = 100 * len(done & required) // len(required)

    # The learner's course page and My learning.
    structure = course_structure(course)
    learner = progress_for(enrolment=enrolment, structure=structure)
    assert {a.key for a in structure.activities if a.required} == required
    assert learner.percent == expected
    assert learner.completed == completed
    rows = my_enrolments(user=user, language="fr")
    assert [r["percent"] for r in rows] == [expected]

    # The report (and its exports, which round the fraction to a whole percent).
    courses = course_catalogue(language="fr")
    assert courses[course.translation_key].required_keys == required
    (row,) = completion_rows(scope=Scope(everything=True), courses=courses).values("progress", "status")
    assert exports._percent(row["progress"]) == expected
    assert (row["status"] == COMPLETED) == completed


@pytest.fixture
def catalogue(db):
    return next(c for c in setup_national_catalogue() if c.locale.language_code == "fr")


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user(email="prof@example.org", password="x")


def test_unpublished_module_lessons_are_not_required(catalogue, learner):
    """The case of the issue: a module unpublished while its lessons stay live; learner and report agree."""
    spec = [
        ModuleSpec(live=True, activities=[ActivitySpec("lesson", True, True), ActivitySpec("quiz", True, True)]),
        ModuleSpec(live=False, activities=[ActivitySpec("lesson", True, True)]),
        ModuleSpec(live=True, activities=[ActivitySpec("lesson", True, False), ActivitySpec("lesson", False, True)]),
    ]
    course, activities = build(spec, catalogue)
    check_agreement(learner, course, activities, history=[0, 2], unpublish_later=None)
    # The first lesson done of the two required ones: 50 %, everywhere.
    assert progress_for(enrolment=Enrolment.objects.get(user=learner), structure=course_structure(course)).percent == 50
    # The quiz completes the course; the lesson of the unpublished module never blocked it.
    check_agreement(learner, course, activities, history=[0, 2, 1], unpublish_later=None)
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_unpublishing_a_module_after_progress(catalogue, learner):
    spec = [
        ModuleSpec(live=True, activities=[ActivitySpec("lesson", True, True), ActivitySpec("lesson", True, True)]),
        ModuleSpec(live=True, activities=[ActivitySpec("lesson", True, True)]),
    ]
    course, activities = build(spec, catalogue)
    # One of three done (33 %), then the second module goes offline: one of two (50 %), for learner and report.
    check_agreement(learner, course, activities, history=[0], unpublish_later=1)
    assert progress.course_rule(course.translation_key).percent({activities[0][2].translation_key}) == 50


def test_percent_rounds_down_and_never_shows_100_before_completion():
    assert progress.percent(2, 3) == 66
    assert progress.percent(199, 200) == 99
    assert progress.percent(0, 0) == 0
    assert progress.percent(0, 0, completed=True) == 100
    assert progress.percent(1, 3, completed=True) == 100


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spec=course_specs,
    history=st.lists(st.integers(min_value=0, max_value=20), max_size=6),
    unpublish_later=st.none() | st.integers(min_value=0, max_value=5),
)
def test_learner_view_completion_service_and_report_agree(catalogue, learner, spec, history, unpublish_later):
    try:
        with transaction.atomic():
            course, activities = build(spec, catalogue)
            if not activities:
                history = []
            check_agreement(learner, course, activities, history, unpublish_later)
            raise Rollback
    except Rollback:
        pass
