import pytest

from competencies.evidence import EvidenceInput, record_evidence, record_evidence_bulk
from competencies.models import CompetencyItem, Evidence
from competencies.selectors import IN_PROGRESS, NOT_STARTED, SECURED, competency_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user):
    return make_user(email="apprenant@ac-lyon.fr")


@pytest.fixture
def items(unesco):
    return {i.code: i for i in CompetencyItem.objects.filter(framework=unesco)}


def answer(item, quiz, attempt, question, correct):
    return EvidenceInput(item=item, source_key=quiz, attempt_key=attempt, question_key=question, correct=correct)


def states(user, framework):
    return {p.item.code: p.state for p in competency_profile(user=user, framework=framework)}


def test_no_evidence_means_not_started(learner, unesco):
    profile = competency_profile(user=learner, framework=unesco)
    assert len(profile) == 20
    assert {p.state for p in profile} == {NOT_STARTED}


def test_three_correct_answers_secure_an_item(learner, unesco, items):
    record_evidence_bulk(user=learner, entries=[answer(items["2.2"], "quiz-a", "1", f"q{n}", True) for n in range(3)])
    result = states(learner, unesco)
    assert result["2.2"] == SECURED
    assert result["2.1"] == NOT_STARTED


def test_two_answers_are_only_in_progress(learner, unesco, items):
    record_evidence_bulk(user=learner, entries=[answer(items["2.2"], "quiz-a", "1", f"q{n}", True) for n in range(2)])
    assert states(learner, unesco)["2.2"] == IN_PROGRESS


def test_below_eighty_percent_is_in_progress_but_best_attempt_counts(learner, unesco, items):
    # First attempt: 3/5 = 60 %.
    record_evidence_bulk(user=learner, entries=[answer(items["4.1"], "quiz-b", "a1", f"q{n}", n < 3) for n in range(5)])
    assert states(learner, unesco)["4.1"] == IN_PROGRESS
    # Second attempt: 4/5 = 80 %: the best attempt decides.
    record_evidence_bulk(user=learner, entries=[answer(items["4.1"], "quiz-b", "a2", f"q{n}", n < 4) for n in range(5)])
    progress = next(p for p in competency_profile(user=learner, framework=unesco) if p.item.code == "4.1")
    assert progress.state == SECURED
    assert progress.questions_answered == 5
    assert progress.questions_correct == 4
    assert len(progress.evidence) == 10


def test_every_quiz_must_reach_the_ratio(learner, unesco, items):
    record_evidence_bulk(user=learner, entries=[answer(items["3.1"], "quiz-a", "1", f"q{n}", True) for n in range(3)])
    record_evidence_bulk(user=learner, entries=[answer(items["3.1"], "quiz-b", "1", f"q{n}", n == 0) for n in range(3)])
    assert states(learner, unesco)["3.1"] == IN_PROGRESS


def test_other_kinds_of_evidence_mean_in_progress(learner, unesco, items):
    record_evidence(user=learner, item=items["1.1"], source_key="lesson-x", kind="activity", correct=None, score=None)
    assert states(learner, unesco)["1.1"] == IN_PROGRESS


def test_rule_is_configurable(learner, unesco, items, settings):
    settings.COMPETENCIES_SECURED_MIN_QUESTIONS = 1
    settings.COMPETENCIES_SECURED_MIN_RATIO = 1.0
    record_evidence(
        user=learner,
        item=items["1.2"],
        source_key="q",
        attempt_key="1",
        question_key="q1",
        kind="answer",
        correct=True,
        score=None,
    )
    assert states(learner, unesco)["1.2"] == SECURED


def test_partial_scores_count_as_fractions(learner, unesco, items):
    entries = [
        EvidenceInput(item=items["3.2"], source_key="q", attempt_key="1", question_key=f"q{n}", score=0.5)
        for n in range(4)
    ]
    record_evidence_bulk(user=learner, entries=entries)
    assert states(learner, unesco)["3.2"] == IN_PROGRESS


def test_recording_twice_updates_instead_of_duplicating(learner, items):
    for correct in (False, True):
        record_evidence(
            user=learner,
            item=items["2.2"],
            source_key="quiz",
            attempt_key="1",
            question_key="q1",
            kind="answer",
            correct=correct,
            score=None,
        )
    assert Evidence.objects.filter(user=learner).count() == 1
    assert Evidence.objects.get(user=learner).correct is True


def test_other_learners_evidence_is_not_mine(learner, make_user, unesco, items):
    other = make_user(email="autre@ac-lyon.fr")
    record_evidence_bulk(user=other, entries=[answer(items["2.2"], "quiz", "1", f"q{n}", True) for n in range(3)])
    assert states(learner, unesco)["2.2"] == NOT_STARTED


def test_bad_evidence_is_refused(learner, items):
    with pytest.raises(ValueError):
        record_evidence(
            user=learner,
            item=items["2.2"],
            source_key="",
            attempt_key=None,
            question_key=None,
            kind="answer",
            correct=True,
            score=None,
        )
    with pytest.raises(ValueError):
        record_evidence(
            user=learner,
            item=items["2.2"],
            source_key="q",
            attempt_key=None,
            question_key=None,
            kind="answer",
            correct=None,
            score=7,
        )
    assert not Evidence.objects.exists()


def test_quiz_submission_is_a_constant_number_of_queries(learner, unesco, items, django_assert_max_num_queries):
    codes = [c for c in items if "." in c]
    entries = [answer(items[codes[n % 15]], "quiz", "1", f"q{n}", n % 3 != 0) for n in range(20)]
    with django_assert_max_num_queries(3):
        record_evidence_bulk(user=learner, entries=entries)
    assert Evidence.objects.filter(user=learner).count() == 20


def test_profile_is_a_constant_number_of_queries(learner, unesco, items, django_assert_max_num_queries):
    record_evidence_bulk(user=learner, entries=[answer(items[c], "quiz", "1", f"q-{c}", True) for c in items])
    with django_assert_max_num_queries(3):  # items, exactMatchOf crosswalks, evidence
        profile = competency_profile(user=learner, framework=unesco)
        assert all(len(p.evidence) == 1 for p in profile)


def test_same_answer_twice_in_one_submission_is_recorded_once(learner, items):
    entries = [answer(items["2.2"], "quiz", "1", "q1", False), answer(items["2.2"], "quiz", "1", "q1", True)]
    record_evidence_bulk(user=learner, entries=entries)
    assert list(Evidence.objects.filter(user=learner).values_list("correct", flat=True)) == [True]
