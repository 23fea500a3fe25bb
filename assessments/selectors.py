"""Reads: the questions of a quiz, a learner's attempts, and what the results page shows (constant queries)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from competencies.models import CompetencyItem
from competencies.selectors import AT_EASE, SECURED, Assessment, profile_for_items, profile_rule
from courses.enrolments import enrolment_for
from courses.models import LessonPage, ModulePage
from courses.selectors import course_and_module, course_structure

from . import revisions, scoring
from .models import Attempt, OptionRole, Question, QuestionOption, QuizPage

TOKEN_BYTES = 6  # 8 URL-safe characters per token


def question_queryset() -> QuerySet[Question]:
    return Question.objects.select_related("locale").prefetch_related(
        Prefetch("options", queryset=QuestionOption.objects.order_by("sort_order", "pk")), "competencies"
    )


def live_question_queryset() -> QuerySet[Question]:
    """What learners may be given: published questions only (a draft is never shown nor scored)."""
    return question_queryset().filter(live=True)


def quiz_questions(*, quiz: QuizPage, rng: random.Random | None = None) -> list[Question]:
    """The questions of a new attempt: the fixed list, or `draw_count` drawn from the bank (quiz's language,
    filtered by the draw competencies and tag). Questions are taken in the quiz's language when translated."""
    rng = rng or random.SystemRandom()
    if quiz.draw_count:
        pool = live_question_queryset().filter(locale_id=quiz.locale_id)
        # A list, not values_list("pk"): a preview's quiz holds its competencies in memory (modelcluster).
        competency_ids = [item.pk for item in quiz.draw_competencies.all()]
        if competency_ids:
            pool = pool.filter(competencies__in=competency_ids).distinct()
        questions = list(pool.order_by("pk"))
        if quiz.draw_tag:
            tag = quiz.draw_tag.strip().lower()
            questions = [q for q in questions if tag in q.tag_list]
        return rng.sample(questions, min(quiz.draw_count, len(questions)))
    linked = list(quiz.quiz_questions.order_by("sort_order", "pk").values_list("question_id", flat=True))
    by_pk = {q.pk: q for q in live_question_queryset().filter(pk__in=linked)}
    return localise([by_pk[pk] for pk in linked if pk in by_pk], locale_id=quiz.locale_id)


def localise(questions: Sequence[Question], *, locale_id: int) -> list[Question]:
    """Each question in the given locale when a translation exists (one query), else as it is."""
    keys = [q.translation_key for q in questions if q.locale_id != locale_id]
    if not keys:
        return list(questions)
    translated = {
        q.translation_key: q for q in live_question_queryset().filter(translation_key__in=keys, locale_id=locale_id)
    }
    return [q if q.locale_id == locale_id else translated.get(q.translation_key, q) for q in questions]


def _token(used: set[str]) -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if token not in used:
            used.add(token)
            return token


def build_layout(
    questions: Iterable[Question], *, shuffle_questions: bool, shuffle_choices: bool, rng: random.Random | None = None
) -> list[dict[str, Any]]:
    """Fix an attempt's questions, their order and the per-attempt tokens that stand for the options.

    Items to order are always shuffled (and never shown in the right order), matching targets too: otherwise the
    page itself would give the answer away.
    """
    rng = rng or random.SystemRandom()
    questions = list(questions)
    if shuffle_questions:
        rng.shuffle(questions)
    used: set[str] = set()
    layout = []
    for question in questions:
        kind = question.question_type
        entry: dict[str, Any] = {"question": question.pk, "key": str(question.translation_key), "type": kind}
        tokens: dict[str, str] = {}
        if kind == scoring.MATCHING:
            sources = [o.key for o in question.options_by_role(OptionRole.SOURCE)]
            targets = [o.key for o in question.options_by_role(OptionRole.TARGET)]
            if shuffle_choices:
                rng.shuffle(sources)
            rng.shuffle(targets)
            entry["order"] = [_store(tokens, used, key) for key in sources]
            entry["targets"] = [_store(tokens, used, key) for key in targets]
        elif kind in (scoring.SHORT_TEXT, scoring.NUMERIC):
            entry["order"] = []
        else:
            role = {scoring.ORDERING: OptionRole.ITEM, scoring.LIKERT: OptionRole.SCALE}.get(kind, OptionRole.CHOICE)
            keys = [o.key for o in question.options_by_role(role)]
            if kind == scoring.ORDERING:
                right = list(keys)
                for _ in range(20):
                    rng.shuffle(keys)
                    if keys != right or len(keys) < 2:
                        break
            elif shuffle_choices and kind in (scoring.SINGLE, scoring.MULTIPLE):
                rng.shuffle(keys)
            entry["order"] = [_store(tokens, used, key) for key in keys]
        entry["tokens"] = tokens
        layout.append(entry)
    return layout


def _store(tokens: dict[str, str], used: set[str], key: str) -> str:
    token = _token(used)
    tokens[token] = key
    return token


def layout_questions(*, attempt: Attempt, locale_id: int) -> dict[int, Question]:
    """Slot -> question of an attempt, in the page's language when translated (two or three queries), as the learner
    was shown it: the revision recorded at the start, whatever was published since (`assessments.revisions`)."""
    pks = [entry["question"] for entry in attempt.layout]
    by_pk = {q.pk: q for q in question_queryset().filter(pk__in=pks)}
    ordered = [by_pk.get(pk) for pk in pks]
    present = localise([q for q in ordered if q is not None], locale_id=locale_id)
    mapping = dict(zip([i for i, q in enumerate(ordered) if q is not None], present, strict=True))
    return revisions.as_shown(layout=attempt.layout, questions=mapping)


def attempts_for(*, user, quiz: QuizPage) -> list[Attempt]:
    if not user.is_authenticated:
        return []
    return list(Attempt.objects.filter(user=user, quiz_key=quiz.translation_key).order_by("number"))


def attempt_for(*, user, quiz: QuizPage, attempt_id: UUID) -> Attempt:
    """The learner's own attempt at this quiz, or 404 (nobody reads another learner's attempt)."""
    attempt = Attempt.objects.filter(pk=attempt_id, user=user, quiz_key=quiz.translation_key).first()
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


# --- results ---------------------------------------------------------------------------------------------------------


@dataclass
class CompetencyResult:
    item: CompetencyItem
    answered: int = 0
    correct: int = 0
    points: int = 0
    max_points: int = 0

    @property
    def ratio(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def secured(self) -> bool:
        return self.max_points > 0 and self.ratio >= profile_rule()[1] - 1e-9

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)


@dataclass
class Review:
    slot: int
    question: Question
    response: Any | None  # the Response row
    chosen: list[QuestionOption] = field(default_factory=list)
    lines: list[tuple[str, str, bool | None]] = field(default_factory=list)  # (label, given, right?)
    right_answer: list[str] = field(default_factory=list)


def competency_results(reviews: Iterable[Review]) -> list[CompetencyResult]:
    """Per competency: points earned over points possible on this attempt's scored questions (an unanswered
    question counts for nothing earned); opinion-scale questions are left out."""
    by_item: dict[int, CompetencyResult] = {}
    for review in reviews:
        question, response = review.question, review.response
        if question.question_type == scoring.LIKERT:
            continue
        top = response.max if response is not None else scoring.max_points(question.spec())
        for item in question.competencies.all():
            result = by_item.setdefault(item.pk, CompetencyResult(item=item))
            result.max_points += top
            if response is not None:
                result.answered += 1
                result.correct += int(bool(response.success))
                result.points += response.raw
    return sorted(by_item.values(), key=lambda r: r.item.path)


def reviews_for(*, attempt: Attempt, questions: dict[int, Question]) -> list[Review]:
    responses = {r.slot: r for r in attempt.responses.all()}
    reviews = []
    for slot, entry in enumerate(attempt.layout):
        question = questions.get(slot)
        if question is None:
            continue
        reviews.append(describe(slot=slot, question=question, response=responses.get(slot), entry=entry))
    return reviews


def describe(*, slot: int, question: Question, response, entry: dict[str, Any]) -> Review:
    """The learner's answer and the right one, in words (only ever shown after the answer is recorded)."""
    review = Review(slot=slot, question=question, response=response)
    kind = question.question_type
    options = {(o.role, o.key): o for o in question.options.all()}
    value = response.value if response is not None else None
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.MULTIPLE, scoring.LIKERT):
        role = OptionRole.SCALE if kind == scoring.LIKERT else OptionRole.CHOICE
        picked = [value] if isinstance(value, str) else list(value or [])
        review.chosen = [options[(role, k)] for k in picked if (role, k) in options]
        review.lines = [("", o.text, o.correct if kind != scoring.LIKERT else None) for o in review.chosen]
        review.right_answer = [o.text for o in question.options_by_role(OptionRole.CHOICE) if o.correct]
    elif kind == scoring.ORDERING:
        review.lines = [
            (str(i + 1), options[(OptionRole.ITEM, k)].text, None)
            for i, k in enumerate(value or [])
            if (OptionRole.ITEM, k) in options
        ]
        review.right_answer = [o.text for o in question.options_by_role(OptionRole.ITEM)]
    elif kind == scoring.MATCHING:
        for source in question.options_by_role(OptionRole.SOURCE):
            target = options.get((OptionRole.TARGET, (value or {}).get(source.key, "")))
            review.lines.append(
                (source.text, target.text if target else "—", bool(target and target.key == source.match_key))
            )
            right = options.get((OptionRole.TARGET, source.match_key))
            review.right_answer.append(f"{source.text} → {right.text if right else source.match_key}")
    elif kind == scoring.SHORT_TEXT:
        review.lines = [("", str(value or ""), response.success if response else None)]
        review.right_answer = question.accepted_list()[:1]
    elif kind == scoring.NUMERIC:
        review.lines = [("", str(value or "").replace(".", ","), response.success if response else None)]
        low, high = question.numeric_range()
        if low is not None and low == high:
            review.right_answer = [scoring.number_text(low).replace(".", ",")]
        else:
            review.right_answer = [
                f"{scoring.number_text(low).replace('.', ',') if low is not None else '…'} – "
                f"{scoring.number_text(high).replace('.', ',') if high is not None else '…'}"
            ]
    return review


@dataclass
class CompetencyVerdict:
    """A competency of the results page: this attempt's figures, and what the profile rule says (and why)."""

    result: CompetencyResult  # this attempt
    assessment: Assessment  # competencies.selectors.assess, on all the learner's evidence

    @property
    def item(self) -> CompetencyItem:
        return self.result.item

    @property
    def good(self) -> bool:
        return self.assessment.state in (SECURED, AT_EASE)


def competency_verdicts(*, user, results: Sequence[CompetencyResult], positioning: bool) -> list[CompetencyVerdict]:
    """The results page and the competency profile use the same rule (``competencies.selectors.assess``): a
    positioning quiz shows the self-positioning profile, a module quiz the learning profile. One query."""
    profile = profile_for_items(user=user, items=[r.item for r in results])
    return [
        CompetencyVerdict(
            result=r,
            assessment=profile[r.item.pk].positioning if positioning else profile[r.item.pk].assessment,
        )
        for r in results
    ]


def weak_and_secured(
    verdicts: Sequence[CompetencyVerdict],
) -> tuple[list[CompetencyVerdict], list[CompetencyVerdict]]:
    return [v for v in verdicts if v.good], [v for v in verdicts if not v.good]


def recommended_modules(*, quiz: QuizPage, weak_item_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The course's live modules (in the quiz's language) that develop the competencies to work on, most relevant
    first (most of those competencies covered, then course order). Two queries."""
    course, _module = course_and_module(quiz)
    if course is None or not weak_item_ids:
        return []
    weak = set(weak_item_ids)
    modules = (
        ModulePage.objects.live()
        .descendant_of(course)
        .filter(locale_id=quiz.locale_id)
        .order_by("path")
        .prefetch_related("competencies")
    )
    ranked = []
    for index_, module in enumerate(modules):
        covered = [item for item in module.competencies.all() if item.pk in weak]
        if covered:
            ranked.append({"page": module, "covered": sorted(covered, key=lambda i: i.path), "order": index_})
    ranked.sort(key=lambda m: (-len(m["covered"]), m["order"]))
    return ranked


def lessons_for(*, quiz: QuizPage, weak_item_ids: Sequence[int]) -> list[Any]:
    """Live lessons of the quiz's module that develop the competencies to work on (two queries)."""
    if not weak_item_ids:
        return []
    parent = quiz.get_parent()
    return list(
        LessonPage.objects.live()
        .child_of(parent)
        .filter(competencies__in=list(weak_item_ids))
        .distinct()
        .order_by("path")
    )


def question_count(*, quiz: QuizPage) -> int:
    return quiz.draw_count or quiz.quiz_questions.count()


def response_at(*, attempt: Attempt, slot: int):
    return attempt.responses.filter(slot=slot).first()


def answered_slots(attempt: Attempt) -> set[int]:
    return set(attempt.responses.values_list("slot", flat=True))


def bank_questions(
    *,
    question_type: str = "",
    competency: CompetencyItem | None = None,
    language: str = "",
    tag: str = "",
    search: str = "",
) -> list[Question]:
    """Questions of the bank filtered as in the bank's listing and the quiz editor's chooser (export, choosers)."""
    queryset = Question.objects.select_related("locale").prefetch_related(
        Prefetch("options", queryset=QuestionOption.objects.order_by("sort_order", "pk")),
        Prefetch("competencies", queryset=CompetencyItem.objects.select_related("framework")),
    )
    if question_type:
        queryset = queryset.filter(question_type=question_type)
    if competency is not None:
        queryset = queryset.filter(competencies=competency)
    if language:
        queryset = queryset.filter(locale__language_code=language)
    if search:
        queryset = queryset.filter(title__icontains=search) | queryset.filter(prompt__icontains=search)
    questions = list(queryset.distinct().order_by("title", "pk"))
    if tag:
        wanted = tag.strip().lower()
        questions = [q for q in questions if wanted in q.tag_list]
    return questions


def quiz_enrolment(*, user, quiz: QuizPage) -> dict[str, Any]:
    """The quiz's course and whether the learner is enrolled in it (the quiz page asks before enrolling)."""
    course, _module = course_and_module(quiz)
    enrolled = course is not None and enrolment_for(user=user, course=course) is not None
    return {"course": course, "enrolled": enrolled}


def next_step(*, quiz: QuizPage):
    """After a passed quiz: the course's next activity, else the course page."""
    course, _module = course_and_module(quiz)
    if course is None:
        return None
    activity = course_structure(course).next_activity(quiz.translation_key)
    return activity.page if activity is not None and activity.key != quiz.translation_key else course
