"""The learner's side of a quiz: plain forms, no JavaScript needed. Routes live on QuizPage (RoutablePageMixin)."""

from __future__ import annotations

import random
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.selectors import TO_WORK

from . import placement, selectors, services
from .forms import forms_for
from .models import FeedbackTiming, QuizPage

NO_STORE = "no-store"


def _url(quiz: QuizPage, name: str, *args) -> str:
    return quiz.url + quiz.reverse_subpage(name, args=args)


def _render(request, quiz: QuizPage, template: str, context: dict, status: int = 200):
    context = {"page": quiz, "self": quiz, **context}
    response = TemplateResponse(request, f"assessments/{template}", context, status=status)
    response["Cache-Control"] = NO_STORE  # a shared computer's back button must not show another's answers
    return response


def _login(request):
    return redirect_to_login(request.get_full_path())


def quiz_index(request, quiz: QuizPage):
    attempts = selectors.attempts_for(user=request.user, quiz=quiz)
    open_attempt = next((a for a in attempts if a.is_open), None)
    used = len(attempts)
    left = services.attempts_left(quiz=quiz, used=used)
    return _render(
        request,
        quiz,
        "quiz_page.html",
        {
            "attempts": [(a, _url(quiz, "results", a.pk)) for a in attempts if not a.is_open],
            "open_attempt": open_attempt,
            "attempts_left": left,
            "can_start": open_attempt is not None or left is None or left > 0,
            "question_count": selectors.question_count(quiz=quiz),
            "start_url": _url(quiz, "start"),
            **selectors.quiz_enrolment(user=request.user, quiz=quiz),
        },
    )


def start(request, quiz: QuizPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login(request)
    try:
        attempt = services.start_attempt(
            user=request.user, quiz=quiz, enrolment_confirmed=request.POST.get("enrol") == "1"
        )
    except services.EnrolmentNotConfirmed as exc:  # (the quiz page asks first: "Enrol and start the quiz")
        messages.info(request, str(exc))
        return HttpResponseRedirect(quiz.url)
    except services.QuizError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(quiz.url)
    return HttpResponseRedirect(_url(quiz, "attempt", attempt.pk))


def _question_forms(attempt, quiz: QuizPage, data=None):
    questions = selectors.layout_questions(attempt=attempt, locale_id=quiz.locale_id)
    answered = selectors.answered_slots(attempt)
    pending = [slot for slot in range(len(attempt.layout)) if slot not in answered]
    if quiz.one_question_per_page:
        pending = pending[:1]
    return questions, answered, forms_for(slots=pending, layout=attempt.layout, questions=questions, data=data)


def take(request, quiz: QuizPage, attempt_id: UUID):
    if not request.user.is_authenticated:
        return _login(request)
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    if not attempt.is_open:
        return HttpResponseRedirect(_url(quiz, "results", attempt.pk))
    if request.method != "POST" and attempt.deadline is not None and services.time_up(attempt, timezone.now()):
        # (a POST after the deadline is refused by save_answers, which submits the attempt in the same way)
        services.finish_attempt(user=request.user, attempt_id=attempt.pk, quiz=quiz)
        messages.error(request, _("Time is up: your attempt was submitted with the answers you had given."))
        return HttpResponseRedirect(_url(quiz, "results", attempt.pk))

    if request.method == "POST":
        posted_slots = {int(s) for s in request.POST.getlist("slot") if s.isdigit()}
        questions = selectors.layout_questions(attempt=attempt, locale_id=quiz.locale_id)
        forms = forms_for(
            slots=sorted(s for s in posted_slots if s in questions),
            layout=attempt.layout,
            questions=questions,
            data=request.POST,
        )
        valid = {f.slot: f.value for f in forms if f.is_valid()}
        try:
            result = services.save_answers(
                user=request.user, attempt_id=attempt.pk, answers=valid, quiz=quiz, questions=questions
            )
        except services.QuizError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(_url(quiz, "results", attempt.pk))
        if result.time_up:
            messages.error(
                request,
                _("Time is up: answers sent after the time limit are not recorded. Your attempt was submitted."),
            )
            return HttpResponseRedirect(_url(quiz, "results", attempt.pk))
        if result.already_answered:
            messages.warning(request, _("You had already answered this question: your first answer is kept."))
        invalid = [f for f in forms if f.errors and f.slot not in result.already_answered]
        if invalid:
            answered = selectors.answered_slots(attempt)
            return _render(request, quiz, "take.html", _take_context(quiz, attempt, invalid, answered), status=200)
        if quiz.feedback_timing == FeedbackTiming.AFTER_EACH and len(result.saved) == 1:
            return HttpResponseRedirect(_url(quiz, "feedback", attempt.pk, result.saved[0].slot))
        return HttpResponseRedirect(_url(quiz, "attempt", attempt.pk))

    questions, answered, forms = _question_forms(attempt, quiz)
    if not forms:
        return _render(
            request,
            quiz,
            "finish.html",
            {"attempt": attempt, "finish_url": _url(quiz, "finish", attempt.pk), "count": len(attempt.layout)},
        )
    return _render(request, quiz, "take.html", _take_context(quiz, attempt, forms, answered))


def _take_context(quiz, attempt, forms, answered) -> dict:
    return {
        "attempt": attempt,
        "forms": forms,
        "has_errors": any(f.errors for f in forms),
        "total": len(attempt.layout),
        "answered_count": len(answered),
        "action": _url(quiz, "attempt", attempt.pk),
        "single": len(forms) == 1,
    }


def feedback(request, quiz: QuizPage, attempt_id: UUID, slot: int):
    """After an answer, when the quiz gives feedback after each question (only once the answer is recorded)."""
    if not request.user.is_authenticated:
        return _login(request)
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    response = selectors.response_at(attempt=attempt, slot=slot)
    if response is None or (quiz.feedback_timing != FeedbackTiming.AFTER_EACH and attempt.is_open):
        return HttpResponseRedirect(_url(quiz, "attempt", attempt.pk))
    questions = selectors.layout_questions(attempt=attempt, locale_id=quiz.locale_id)
    review = selectors.describe(slot=slot, question=questions[slot], response=response, entry=attempt.layout[slot])
    return _render(
        request,
        quiz,
        "feedback.html",
        {
            "attempt": attempt,
            "review": review,
            "next_url": _url(quiz, "attempt", attempt.pk),
            "total": len(attempt.layout),
        },
    )


def finish(request, quiz: QuizPage, attempt_id: UUID):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login(request)
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    try:
        services.finish_attempt(user=request.user, attempt_id=attempt.pk, quiz=quiz, every_answer_required=True)
    except services.QuizError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(_url(quiz, "attempt", attempt.pk))
    return HttpResponseRedirect(_url(quiz, "results", attempt.pk))


def results(request, quiz: QuizPage, attempt_id: UUID):
    if not request.user.is_authenticated:
        return _login(request)
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    if attempt.is_open:
        return HttpResponseRedirect(_url(quiz, "attempt", attempt.pk))
    questions = selectors.layout_questions(attempt=attempt, locale_id=quiz.locale_id)
    reviews = selectors.reviews_for(attempt=attempt, questions=questions)
    competencies = selectors.competency_verdicts(
        user=request.user, results=selectors.competency_results(reviews), positioning=quiz.is_positioning
    )
    secured, to_work = selectors.weak_and_secured(competencies)
    # Recommendations after a positioning quiz follow the competencies answered wrongly ("to work on"), not the ones
    # with too few answers to tell; after a module quiz, every competency not secured yet.
    weak_ids = [v.item.pk for v in to_work if not quiz.is_positioning or v.assessment.state == TO_WORK]
    attempts = selectors.attempts_for(user=request.user, quiz=quiz)
    left = services.attempts_left(quiz=quiz, used=len(attempts))
    context = {
        "attempt": attempt,
        "reviews": reviews,
        "secured": secured,
        "to_work": to_work,
        "show_answers": True,
        "attempts_left": left,
        "can_retry": (left is None or left > 0) and not quiz.is_positioning,
        "start_url": _url(quiz, "start"),
        "next_step": None,
        "recommended_modules": [],
        "lessons": [],
    }
    if quiz.is_positioning:
        context["recommended_modules"] = selectors.recommended_modules(quiz=quiz, weak_item_ids=weak_ids)
        context["placements"] = placement.place(quiz=quiz, reviews=reviews)
    else:
        context["lessons"] = selectors.lessons_for(quiz=quiz, weak_item_ids=weak_ids) if not attempt.passed else []
        if attempt.passed:
            context["next_step"] = selectors.next_step(quiz=quiz)
    return _render(request, quiz, "results.html", context)


def preview(request, quiz: QuizPage):
    """What a learner sees, every question on one page, with throw-away tokens: nothing is saved."""
    questions = selectors.quiz_questions(quiz=quiz, rng=random.Random(0))  # noqa: S311 - a preview, not a secret
    layout = selectors.build_layout(
        questions, shuffle_questions=quiz.shuffle_questions, shuffle_choices=quiz.shuffle_choices
    )
    by_slot = dict(enumerate(questions))
    forms = forms_for(slots=list(by_slot), layout=layout, questions=by_slot)
    return _render(
        request,
        quiz,
        "take.html",
        {
            "preview": True,
            "forms": forms,
            "total": len(layout),
            "answered_count": 0,
            "action": "",
            "single": False,
            "attempt": None,
            "has_errors": False,
        },
    )
