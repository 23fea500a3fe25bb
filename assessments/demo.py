"""Demo quizzes (every assessments/content/*.json file) in French and English, after `courses.demo.load()`.

- Each module quiz becomes a QuizPage at the end of its module (required for completion), in French and as its
  English translation (same translation_key, English locale, under the English module).
- The positioning quiz over the UNESCO framework becomes the *first* page of the course's first module, optional
  (`required_for_completion=False`): learners meet it before the first lesson, and taking it never blocks completion.
- Questions go to the bank, one per language with a shared translation_key.

Translation keys are uuid5 of the content keys (`courses.services.content_key`), so loading twice updates in place.
A module is matched on its exact key in the course files (courses/content/*.json), else on the part before the first hyphen
("m2-pratique" finds "m2-pratiques"), so a renamed module key does not break the demo.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from wagtail.models import Locale, Page

from competencies.models import CompetencyItem, Framework
from courses import demo as courses_demo
from courses.models import ModulePage
from courses.services import content_key

from .models import FeedbackTiming, OptionRole, Question, QuestionOption, QuizKind, QuizPage, QuizQuestion

CONTENT_DIR = Path(__file__).parent / "content"
CONTENT = CONTENT_DIR / "demo_quizzes.json"
FRAMEWORK = "unesco-aicft-2024"
LANGS = ("fr", "en")


def question_key(key: str):
    return content_key(f"assessments:question:{key}")


def quiz_key(key: str):
    return content_key(f"assessments:quiz:{key}")


def all_quizzes() -> list[dict]:
    """Every quiz of every file, the demo course's file first (it holds the positioning quiz)."""
    paths = [CONTENT, *sorted(p for p in CONTENT_DIR.glob("*.json") if p != CONTENT)]
    return [quiz for path in paths for quiz in json.loads(path.read_text(encoding="utf-8"))["quizzes"]]


def _module_keys() -> dict[str, str]:
    keys = [m["key"] for data in courses_demo.course_data() for m in data["modules"]]
    out = {k: k for k in keys}
    for k in keys:
        out.setdefault(k.split("-", 1)[0], k)
    return out


def _module_for(name: str, keys: dict[str, str]) -> str:
    return keys.get(name) or keys[name.split("-", 1)[0]]


def _options(q: dict[str, Any], lang: str) -> list[QuestionOption]:
    kind = q["type"]
    out: list[QuestionOption] = []
    if kind in ("single", "multiple", "true_false"):
        for c in q["choices"]:
            out.append(
                QuestionOption(
                    role=OptionRole.CHOICE,
                    key=c["id"],
                    text=c[lang]["text"],
                    correct=bool(c["correct"]),
                    feedback=c[lang].get("feedback", ""),
                )
            )
    elif kind == "ordering":
        out += [QuestionOption(role=OptionRole.ITEM, key=i["id"], text=i[lang]["text"]) for i in q["items"]]
    elif kind == "matching":
        pairs = dict(q["pairs"])
        out += [
            QuestionOption(role=OptionRole.SOURCE, key=s["id"], text=s[lang]["text"], match_key=pairs[s["id"]])
            for s in q["sources"]
        ]
        out += [QuestionOption(role=OptionRole.TARGET, key=t["id"], text=t[lang]["text"]) for t in q["targets"]]
    elif kind == "likert":
        out += [QuestionOption(role=OptionRole.SCALE, key=s["id"], text=s[lang]["text"]) for s in q["scale"]]
    return out


def _question(q: dict[str, Any], *, quiz: str, lang: str, locale: Locale, items: dict[str, CompetencyItem]) -> Question:
    text = q[lang]
    source = text.get("source") or {}
    fields = {
        "title": f"{q['key']} · {text['prompt'][:120]}",
        "question_type": q["type"],
        "prompt": text["prompt"],
        "difficulty": q.get("difficulty", 1),
        "tags": quiz,
        "general_feedback": text.get("feedback", ""),
        "explanation": text.get("explanation", ""),
        "source_title": source.get("title", ""),
        "source_url": source.get("url", ""),
        "source_date": source.get("date", ""),
        "accepted_answers": "\n".join((q.get("accepted") or {}).get(lang, [])),
        "case_sensitive": bool(q.get("case_sensitive", False)),
        "accent_sensitive": bool(q.get("accent_sensitive", False)),
        "numeric_min": (q.get("answer") or {}).get("min"),
        "numeric_max": (q.get("answer") or {}).get("max"),
    }
    key = question_key(q["key"])
    question = Question.objects.filter(translation_key=key, locale=locale).first() or Question(
        translation_key=key, locale=locale
    )
    for name, value in fields.items():
        setattr(question, name, value)
    question.options = _options(q, lang)
    question.competencies = [items[c] for c in q["competencies"]]
    question.save()
    question.save_revision().publish()  # national questions, live: learners are shown this revision
    return question


@transaction.atomic
def load() -> list[QuizPage]:
    with courses_demo.references_indexed_once():
        return _load()


def _load() -> list[QuizPage]:
    framework = Framework.objects.get(code=FRAMEWORK)
    items = {i.code: i for i in CompetencyItem.objects.filter(framework=framework)}
    module_keys = _module_keys()
    first_module = next(iter(dict.fromkeys(module_keys.values())))
    created = []
    for quiz_data in all_quizzes():
        positioning = quiz_data["kind"] == "positioning"
        module_key = first_module if positioning else _module_for(quiz_data["module"], module_keys)
        for lang in LANGS:
            locale = Locale.objects.get(language_code=lang)
            module = ModulePage.objects.filter(translation_key=content_key(module_key), locale=locale).first()
            if module is None:
                raise RuntimeError(f"Module {module_key} ({lang}) not found: run courses.demo.load() first.")
            questions = [
                _question(q, quiz=quiz_data["key"], lang=lang, locale=locale, items=items)
                for q in quiz_data["questions"]
            ]
            created.append(
                _quiz(
                    quiz_data,
                    lang=lang,
                    locale=locale,
                    module=module,
                    questions=questions,
                    framework=framework,
                    items=items,
                    first=positioning,
                )
            )
    return created


def _quiz(data, *, lang, locale, module, questions, framework, items, first: bool) -> QuizPage:
    text = data[lang]
    positioning = data["kind"] == "positioning"
    key = quiz_key(data["key"])
    codes = sorted({c for q in data["questions"] for c in q["competencies"]})
    page = QuizPage.objects.filter(translation_key=key, locale=locale).first()
    fields = {
        "title": text["title"],
        "slug": text["slug"],
        "intro": text["intro"],
        "kind": QuizKind.POSITIONING if positioning else QuizKind.MODULE,
        "framework": framework if positioning else None,
        "pass_mark_percent": data.get("pass_mark_percent") or 0,
        "max_attempts": data.get("max_attempts"),
        "required_for_completion": not positioning,
        "feedback_timing": FeedbackTiming.AFTER_EACH if data["key"] == "quiz-m1" else FeedbackTiming.AT_END,
        "shuffle_choices": True,
    }
    if page is None:
        page = QuizPage(translation_key=key, locale=locale, **fields)
        module.add_child(instance=page)
        if first:
            first_child = module.get_first_child()
            if first_child is not None and first_child.pk != page.pk:
                page.move(first_child, pos="left")
                page = QuizPage.objects.get(pk=page.pk)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.quiz_questions = [QuizQuestion(question=q, sort_order=i) for i, q in enumerate(questions)]
    page.competencies = [items[c] for c in codes]
    page.save()
    page.save_revision().publish()
    return page


def quiz_pages() -> list[Page]:
    keys = [quiz_key(q["key"]) for q in all_quizzes()]
    return list(Page.objects.filter(translation_key__in=keys))
