"""The question bank (a translatable snippet with revisions), quiz pages, attempts and responses.

Stable ids: a question is identified across languages by its `translation_key`; its options (choices, items to
order, sources, targets, scale points) by their `key`, the same in every language. Those ids are what statements and
reports use. The learner's browser only ever sees per-attempt random tokens (`Attempt.layout`).

One module per part (`questions`, `quizzes`, `attempts`); the app's models are imported from here.
"""

from .attempts import Attempt, AttemptState, Response
from .questions import INLINE, ROLE_FOR_TYPE, OptionRole, Question, QuestionOption, QuestionType, option_problems
from .quizzes import FeedbackTiming, QuizKind, QuizPage, QuizQuestion

__all__ = [
    "INLINE",
    "ROLE_FOR_TYPE",
    "Attempt",
    "AttemptState",
    "FeedbackTiming",
    "OptionRole",
    "Question",
    "QuestionOption",
    "QuestionType",
    "QuizKind",
    "QuizPage",
    "QuizQuestion",
    "Response",
    "option_problems",
]
