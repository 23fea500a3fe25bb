"""Content coverage, computed from the database after the demo content is loaded (issue 15's definition of done).

- every one of the UNESCO framework's 15 competencies has at least one live lesson tagged with it and at least three
  live scored questions (in a live module quiz) tagged with it, in French and in English;
- every scored question's competency is taught by a live lesson tagged with it (in the same language);
- every live lesson states the date its facts were checked, what against, and ends with dated references.
"""

from collections import defaultdict

from assessments.models import QuestionType, QuizKind, QuizPage
from competencies.models import CompetencyItem
from courses.models import LessonPage

LANGS = ("fr", "en")
# demo_content (tests/conftest.py): the demo courses and quizzes, loaded once for the module.


def _competencies() -> list[str]:
    items = CompetencyItem.objects.filter(framework__code="unesco-aicft-2024", item_type="competency")
    return sorted(items.values_list("code", flat=True))


def _taught() -> dict[str, dict[str, set[str]]]:
    """language → competency code → titles of the live lessons tagged with it."""
    taught: dict[str, dict[str, set[str]]] = {lang: defaultdict(set) for lang in LANGS}
    for lesson in LessonPage.objects.live().select_related("locale").prefetch_related("competencies"):
        for item in lesson.competencies.all():
            taught[lesson.locale.language_code][item.code].add(lesson.title)
    return taught


def _assessed() -> dict[str, dict[str, set[int]]]:
    """language → competency code → ids of the live scored questions in live module quizzes tagged with it."""
    assessed: dict[str, dict[str, set[int]]] = {lang: defaultdict(set) for lang in LANGS}
    quizzes = QuizPage.objects.live().filter(kind=QuizKind.MODULE).select_related("locale")
    for quiz in quizzes.prefetch_related("quiz_questions__question__competencies"):
        for link in quiz.quiz_questions.all():
            question = link.question
            if not question.live or question.question_type == QuestionType.LIKERT:
                continue
            for item in question.competencies.all():
                assessed[quiz.locale.language_code][item.code].add(question.pk)
    return assessed


def _coverage_gaps() -> list[str]:
    taught, assessed = _taught(), _assessed()
    gaps = []
    for code in _competencies():
        for lang in LANGS:
            if not taught[lang][code]:
                gaps.append(f"{code} ({lang}): no live lesson")
            if len(assessed[lang][code]) < 3:
                gaps.append(f"{code} ({lang}): {len(assessed[lang][code])} scored question(s), 3 needed")
    gaps += [
        f"{code} ({lang}): {len(ids)} question(s) but no lesson teaches it"
        for lang in LANGS
        for code, ids in assessed[lang].items()
        if not taught[lang][code]
    ]
    return gaps


def _source_gaps() -> list[str]:
    problems = []
    for lesson in LessonPage.objects.live():
        if not lesson.facts_checked_on or not lesson.facts_checked_against.strip():
            problems.append(f"{lesson.title}: no 'facts checked on' date or list of texts")
        references = [ref for block in lesson.body if block.block_type == "references" for ref in block.value]
        if not references:
            problems.append(f"{lesson.title}: no references")
        problems += [f"{lesson.title}: undated reference {ref['source']}" for ref in references if not ref["date"]]
    return problems


def test_every_competency_is_taught_assessed_and_sourced_in_both_languages(demo_content):
    # One load of the demo content for all three checks (loading five courses in two languages takes a while).
    assert len(_competencies()) == 15
    assert LessonPage.objects.live().count() >= 2 * 5 * 6  # five courses of at least six lessons, two languages
    gaps = _coverage_gaps() + _source_gaps()
    assert not gaps, "\n".join(gaps)
