"""The numbered blanks of the per-type question forms (`assessments.admin_forms`): how many, their fields and their
panels. “Choice 1”, “Choice 2”…; empty ones are ignored; saving an edited question offers more."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from . import scoring
from .models import OptionRole, Question

MAX_SLOTS = 30
DEFAULT_SLOTS = {
    scoring.SINGLE: 4,
    scoring.MULTIPLE: 5,
    scoring.ORDERING: 4,
    scoring.MATCHING: 4,
    scoring.LIKERT: 5,
}
ROLE = {
    scoring.SINGLE: OptionRole.CHOICE,
    scoring.MULTIPLE: OptionRole.CHOICE,
    scoring.TRUE_FALSE: OptionRole.CHOICE,
    scoring.ORDERING: OptionRole.ITEM,
    scoring.MATCHING: OptionRole.SOURCE,
    scoring.LIKERT: OptionRole.SCALE,
}
LIKERT_POINTS = [
    gettext_lazy("Strongly disagree"),
    gettext_lazy("Disagree"),
    gettext_lazy("Neither agree nor disagree"),
    gettext_lazy("Agree"),
    gettext_lazy("Strongly agree"),
]


def _text(label, rows: int = 2, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _line(label, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=1000, **kwargs)


def _lazy_number(func):
    """A label method whose result is computed when shown (in the language active then)."""
    lazy_func = lazy(func, str)
    return staticmethod(lambda n: lazy_func(n))


class SlotLabels:
    """Slot labels, translated when shown."""

    @_lazy_number
    def choice(n):
        return _("Choice %(n)d") % {"n": n}

    @_lazy_number
    def right(n):
        return _("Choice %(n)d is a right answer") % {"n": n}

    @_lazy_number
    def feedback(n):
        return _("Feedback for choice %(n)d") % {"n": n}

    @_lazy_number
    def item(n):
        return _("Item %(n)d") % {"n": n}

    @_lazy_number
    def source(n):
        return _("Item to match %(n)d") % {"n": n}

    @_lazy_number
    def target(n):
        return _("Matching answer %(n)d") % {"n": n}

    @_lazy_number
    def point(n):
        return _("Scale point %(n)d") % {"n": n}


def slot_fields(kind: str) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for n in range(1, MAX_SLOTS + 1):
        if kind in (scoring.SINGLE, scoring.MULTIPLE):
            fields[f"choice_{n}"] = _text(SlotLabels.choice(n))
            fields[f"choice_{n}_correct"] = forms.BooleanField(label=SlotLabels.right(n), required=False)
            fields[f"choice_{n}_feedback"] = _text(SlotLabels.feedback(n), rows=1)
        elif kind == scoring.ORDERING:
            fields[f"item_{n}"] = _line(SlotLabels.item(n))
        elif kind == scoring.MATCHING:
            fields[f"pair_{n}_item"] = _line(SlotLabels.source(n))
            fields[f"pair_{n}_answer"] = _line(SlotLabels.target(n))
        elif kind == scoring.LIKERT:
            fields[f"point_{n}"] = _line(SlotLabels.point(n))
    if kind == scoring.TRUE_FALSE:
        fields["right_answer"] = forms.ChoiceField(
            label=gettext_lazy("Right answer"),
            choices=[("true", gettext_lazy("True")), ("false", gettext_lazy("False"))],
            widget=forms.RadioSelect,
            required=False,
        )
        fields["feedback_true"] = _text(gettext_lazy("Feedback for “True”"))
        fields["feedback_false"] = _text(gettext_lazy("Feedback for “False”"))
    if kind == scoring.MATCHING:
        fields["distractors"] = _text(
            gettext_lazy("Extra wrong answers"),
            rows=3,
            help_text=gettext_lazy("Optional: answers that match no item, one per line."),
        )
    return fields


BLANKS_HELP = gettext_lazy("Empty blanks are ignored. Need more? Save: the form then offers more blanks.")


def slot_panels(kind: str, count: int) -> list:
    if kind in (scoring.SINGLE, scoring.MULTIPLE):
        return [
            MultiFieldPanel(
                [
                    FieldPanel(f"choice_{n}"),
                    FieldRowPanel([FieldPanel(f"choice_{n}_correct"), FieldPanel(f"choice_{n}_feedback")]),
                ],
                heading=SlotLabels.choice(n),
            )
            for n in range(1, count + 1)
        ]
    if kind == scoring.TRUE_FALSE:
        return [
            MultiFieldPanel(
                [FieldPanel("right_answer"), FieldPanel("feedback_true"), FieldPanel("feedback_false")],
                heading=gettext_lazy("Answer"),
                help_text=gettext_lazy("The two choices “True” and “False” are created for you."),
            )
        ]
    if kind == scoring.ORDERING:
        return [
            MultiFieldPanel(
                [FieldPanel(f"item_{n}") for n in range(1, count + 1)],
                heading=gettext_lazy("Items, in the right order"),
                help_text=BLANKS_HELP,
            )
        ]
    if kind == scoring.MATCHING:
        return [
            MultiFieldPanel(
                [
                    *[
                        FieldRowPanel([FieldPanel(f"pair_{n}_item"), FieldPanel(f"pair_{n}_answer")])
                        for n in range(1, count + 1)
                    ],
                    FieldPanel("distractors"),
                ],
                heading=gettext_lazy("Pairs"),
                help_text=BLANKS_HELP,
            )
        ]
    if kind == scoring.LIKERT:
        return [
            MultiFieldPanel(
                [FieldPanel(f"point_{n}") for n in range(1, count + 1)],
                heading=gettext_lazy("Scale, from the first point to the last"),
                help_text=BLANKS_HELP,
            )
        ]
    if kind == scoring.SHORT_TEXT:
        return [
            MultiFieldPanel(
                [
                    FieldPanel("accepted_answers"),
                    FieldRowPanel([FieldPanel("case_sensitive"), FieldPanel("accent_sensitive")]),
                ],
                heading=gettext_lazy("Accepted answers"),
            )
        ]
    return [
        FieldRowPanel(
            [FieldPanel("numeric_min"), FieldPanel("numeric_max")],
            heading=gettext_lazy("Right value"),
            help_text=gettext_lazy(
                "The same value twice for an exact answer, or the lowest and highest accepted values."
            ),
        )
    ]


def slot_count(kind: str, question: Question | None) -> int:
    """How many blanks to show: the type's default, or the question's options plus two."""
    default = DEFAULT_SLOTS.get(kind, 0)
    if question is None or kind not in ROLE:
        return default
    role = ROLE[kind]
    existing = sum(1 for o in question.options.all() if o.role == role)
    return min(MAX_SLOTS, max(default, existing + 2))
