"""The demo loaders defer Wagtail's reference index ("used by" in the admin) to the end of the load
(`courses.demo.references_indexed_once`): the index must come out as Wagtail would have left it."""

from wagtail.models import ReferenceIndex

from assessments.models import QuizPage, QuizQuestion
from courses.demo import references_indexed_once
from tests.assessments.conftest import make_question


def _uses_of(question) -> int:
    return ReferenceIndex.get_references_to(question).count()


def test_a_page_saved_several_times_is_indexed_once_at_the_end_and_a_deleted_one_leaves_no_row(build_course):
    module = build_course(1, 1, translate=False)["modules"][0]
    kept, dropped = make_question("single", title="kept"), make_question("single", title="dropped")
    with references_indexed_once():
        quiz = QuizPage(title="Quiz", slug="quiz")
        module.add_child(instance=quiz)
        quiz.quiz_questions = [QuizQuestion(question=kept, sort_order=0)]
        quiz.save()
        quiz.save_revision().publish()
        assert _uses_of(kept) == 0  # (not yet: deferred)
        other = QuizPage(title="Other", slug="other")
        module.add_child(instance=other)
        other.quiz_questions = [QuizQuestion(question=dropped, sort_order=0)]
        other.save()
        other.delete()
    assert _uses_of(kept) == 1
    assert _uses_of(dropped) == 0
    assert ReferenceIndex.get_references_for_object(QuizPage.objects.get(pk=quiz.pk)).count() == 1
