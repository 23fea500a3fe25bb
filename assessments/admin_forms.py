"""One authoring form per question type, as a Moodle user expects: the type is chosen first, then only its fields.

Options are numbered blanks (`assessments.admin_slots`), “right answer” is a checkbox, matching pairs sit side by
side, true/false is one radio button (its two choices are generated), an opinion scale starts with five usual points.
Option keys are generated (a, b, c…; i1, i2…; s1/t1…; 1…5) and an edited option keeps its key, so statements and
reports stay stable. No JavaScript is needed: saving an edited question adds blanks.

Errors are attached to the field they concern and name it (“Choice 2 …”). The question bank's generic form
(`QuestionForm`, all fields, options inline) checks the options in the same way.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList

from . import scoring
from .admin_slots import LIKERT_POINTS, MAX_SLOTS, ROLE, slot_fields, slot_panels
from .models import OptionRole, Question, QuestionOption, QuestionType, option_problems
from .models.questions import COMMON_PANELS

DESCRIPTIONS = {
    scoring.SINGLE: gettext_lazy("One right answer among several choices (Moodle: multiple choice, one answer)."),
    scoring.MULTIPLE: gettext_lazy("Several right answers to tick (Moodle: multiple choice, multiple answers)."),
    scoring.TRUE_FALSE: gettext_lazy("A statement that is true or false."),
    scoring.ORDERING: gettext_lazy("Items to put in the right order (Moodle: ordering)."),
    scoring.MATCHING: gettext_lazy("Items to match with their answers (Moodle: matching)."),
    scoring.SHORT_TEXT: gettext_lazy("A word or short phrase typed by the learner (Moodle: short answer)."),
    scoring.NUMERIC: gettext_lazy("A number, exact or within a range (Moodle: numerical)."),
    scoring.LIKERT: gettext_lazy("An opinion on a scale, not scored (a survey question)."),
}


class QuestionForm(WagtailAdminModelForm):
    """Checks the options against the question type (the options are an inline formset)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        kind = cleaned.get("question_type")
        if formset is None or not kind or not formset.is_valid():
            return cleaned
        options = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        problems = option_problems(kind, options)
        for problem in problems:
            self.add_error(None, problem)
        return cleaned


def _next_key(prefix: str, used: set[str]) -> str:
    """The first free key: a, b, c… (choices), i1, i2… (items), s1/t1… (matching), 1, 2… (scale points)."""
    n = 1
    while True:
        key = f"{prefix.strip('#')}{n}" if prefix else (chr(ord("a") + n - 1) if n <= 26 else f"o{n}")
        if key not in used:
            used.add(key)
            return key
        n += 1


KEY_PREFIX = {
    OptionRole.CHOICE: "",
    OptionRole.ITEM: "i",
    OptionRole.SOURCE: "s",
    OptionRole.TARGET: "t",
    OptionRole.SCALE: "#",
}


class TypedQuestionForm(WagtailAdminModelForm):
    """Base of the per-type forms (`form_for(kind)`): the options are numbered fields, written back on save."""

    kind: str = ""
    question_kind = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.question_type = self.kind
        self.initial["question_kind"] = self.kind
        self._existing: dict[str, list[QuestionOption]] = {}
        for option in self.instance.options.all():
            self._existing.setdefault(option.role, []).append(option)
        if not self.is_bound:
            self._fill_initial()
        self.options_to_save: list[QuestionOption] = []

    # --- initial values from the question's options ------------------------------------------------------------------

    def _fill_initial(self) -> None:
        kind = self.kind
        if kind in (scoring.SINGLE, scoring.MULTIPLE):
            for n, option in enumerate(self._existing.get(OptionRole.CHOICE, []), start=1):
                self.initial[f"choice_{n}"] = option.text
                self.initial[f"choice_{n}_correct"] = option.correct
                self.initial[f"choice_{n}_feedback"] = option.feedback
        elif kind == scoring.TRUE_FALSE:
            by_key = {o.key: o for o in self._existing.get(OptionRole.CHOICE, [])}
            if by_key:
                self.initial["right_answer"] = "true" if by_key.get("true") and by_key["true"].correct else "false"
            self.initial["feedback_true"] = by_key["true"].feedback if "true" in by_key else ""
            self.initial["feedback_false"] = by_key["false"].feedback if "false" in by_key else ""
        elif kind == scoring.ORDERING:
            for n, option in enumerate(self._existing.get(OptionRole.ITEM, []), start=1):
                self.initial[f"item_{n}"] = option.text
        elif kind == scoring.MATCHING:
            targets = {o.key: o for o in self._existing.get(OptionRole.TARGET, [])}
            used = set()
            for n, option in enumerate(self._existing.get(OptionRole.SOURCE, []), start=1):
                self.initial[f"pair_{n}_item"] = option.text
                self.initial[f"pair_{n}_answer"] = targets[option.match_key].text if option.match_key in targets else ""
                used.add(option.match_key)
            self.initial["distractors"] = "\n".join(t.text for k, t in targets.items() if k not in used)
        elif kind == scoring.LIKERT:
            points = self._existing.get(OptionRole.SCALE, [])
            texts = [o.text for o in points] if points or self.instance.pk else [str(p) for p in LIKERT_POINTS]
            for n, text in enumerate(texts, start=1):
                self.initial[f"point_{n}"] = text

    # --- reading the blanks back --------------------------------------------------------------------------------------

    def _value(self, name: str):
        value = self.cleaned_data.get(name)
        return value.strip() if isinstance(value, str) else value

    def _reuse(self, role: str, n: int, used: set[str]) -> QuestionOption:
        """The option in blank n keeps its object and key; a new one gets a fresh key."""
        existing = self._existing.get(role, [])
        if n <= len(existing):
            option = existing[n - 1]
            used.add(option.key)
            return option
        return QuestionOption(role=role)

    def clean(self):
        cleaned = super().clean()
        builder = getattr(self, f"_clean_{self.kind}", None)
        options: list[QuestionOption] = builder() if builder else []
        if not self.errors:
            data = [
                {"role": o.role, "key": o.key, "correct": o.correct, "match_key": o.match_key, "text": o.text}
                for o in options
            ]
            for problem in option_problems(self.kind, data):
                self.add_error(None, problem)
        self.options_to_save = options
        return cleaned

    def _numbered(self, prefix: str, suffix: str = "") -> list[tuple[int, str]]:
        """(n, text) for the non-empty blanks `prefix_n` present in the form."""
        result = []
        for n in range(1, MAX_SLOTS + 1):
            name = f"{prefix}_{n}{suffix}"
            if name in self.fields and self._value(name):
                result.append((n, self._value(name)))
        return result

    def _assign_keys(self, options: list[QuestionOption]) -> list[QuestionOption]:
        # A new option never takes the key of an option removed now (its answers and statements keep their meaning).
        used_by_role: dict[str, set[str]] = {
            role: {o.key for o in existing} for role, existing in self._existing.items()
        }
        for option in options:
            if option.key:
                used_by_role.setdefault(option.role, set()).add(option.key)
        for i, option in enumerate(options):
            if not option.key:
                option.key = _next_key(KEY_PREFIX.get(option.role, ""), used_by_role.setdefault(option.role, set()))
            option.sort_order = i
        return options

    def _clean_choices(self, *, single: bool) -> list[QuestionOption]:
        options, used, right = [], set(), []
        for n in range(1, MAX_SLOTS + 1):
            if f"choice_{n}" not in self.fields:
                break
            text = self._value(f"choice_{n}")
            correct = bool(self._value(f"choice_{n}_correct"))
            feedback = self._value(f"choice_{n}_feedback") or ""
            if not text:
                if correct or feedback:
                    self.add_error(f"choice_{n}", _("Choice %(n)d is empty: write its text or clear it.") % {"n": n})
                continue
            option = self._reuse(OptionRole.CHOICE, n, used)
            option.text, option.correct, option.feedback, option.match_key = text, correct, feedback, ""
            options.append(option)
            if correct:
                right.append(n)
        if len(options) < 2:
            self.add_error("choice_1", _("Give at least two choices (Choice 1 and Choice 2)."))
        elif single and not right:
            self.add_error("choice_1_correct", _("Tick “right answer” for one of the choices."))
        elif single and len(right) > 1:
            for n in right[1:]:
                self.add_error(
                    f"choice_{n}_correct",
                    _("Only one choice can be right in a single-choice question: untick Choice %(n)d.") % {"n": n},
                )
        elif not single and not right:
            self.add_error("choice_1_correct", _("Tick “right answer” for at least one of the choices."))
        return self._assign_keys(options)

    def _clean_single(self):
        return self._clean_choices(single=True)

    def _clean_multiple(self):
        return self._clean_choices(single=False)

    def _clean_true_false(self):
        right = self._value("right_answer")
        if right not in ("true", "false"):
            self.add_error("right_answer", _("Choose whether the statement is true or false."))
        existing = {o.key: o for o in self._existing.get(OptionRole.CHOICE, [])}
        language = self.instance.locale.language_code if self.instance.locale_id else None
        with override(language):
            labels = {"true": _("True"), "false": _("False")}
        options = []
        for key in ("true", "false"):
            option = existing.get(key) or QuestionOption(role=OptionRole.CHOICE, key=key)
            option.text = labels[key]
            option.correct = right == key
            option.feedback = self._value(f"feedback_{key}") or ""
            options.append(option)
        return self._assign_keys(options)

    def _clean_simple_list(self, role: str, prefix: str, minimum_message: str) -> list[QuestionOption]:
        options, used = [], set()
        for n, text in self._numbered(prefix):
            option = self._reuse(role, n, used)
            option.text, option.correct, option.match_key = text, False, ""
            options.append(option)
        if len(options) < 2:
            self.add_error(f"{prefix}_1", minimum_message)
        return self._assign_keys(options)

    def _clean_ordering(self):
        return self._clean_simple_list(OptionRole.ITEM, "item", _("Give at least two items to order (Item 1, Item 2)."))

    def _clean_likert(self):
        return self._clean_simple_list(
            OptionRole.SCALE, "point", _("Give at least two points on the scale (Scale point 1, Scale point 2).")
        )

    def _clean_matching(self):
        sources, used_sources, used_targets = [], set(), set()
        targets: dict[str, QuestionOption] = {}
        existing_targets = {o.text: o for o in self._existing.get(OptionRole.TARGET, [])}

        def target_for(text: str) -> QuestionOption:
            if text not in targets:
                option = existing_targets.get(text) or QuestionOption(role=OptionRole.TARGET)
                if option.key:
                    used_targets.add(option.key)
                option.text, option.correct, option.match_key = text, False, ""
                targets[text] = option
            return targets[text]

        for n in range(1, MAX_SLOTS + 1):
            if f"pair_{n}_item" not in self.fields:
                break
            item, answer = self._value(f"pair_{n}_item"), self._value(f"pair_{n}_answer")
            if not item and not answer:
                continue
            if not item:
                self.add_error(f"pair_{n}_item", _("Pair %(n)d: write the item to match.") % {"n": n})
                continue
            if not answer:
                self.add_error(f"pair_{n}_answer", _("Pair %(n)d: write its matching answer.") % {"n": n})
                continue
            source = self._reuse(OptionRole.SOURCE, n, used_sources)
            source.text, source.correct = item, False
            source._target = target_for(answer)
            sources.append(source)
        if len(sources) < 2 and not self.errors:
            self.add_error("pair_1_item", _("Give at least two pairs (Item to match 1 and its answer, and so on)."))
        for line in (self._value("distractors") or "").splitlines():
            if line.strip():
                target_for(line.strip())
        target_list = self._assign_keys(list(targets.values()))
        for source in sources:
            source.match_key = source._target.key
        return [*self._assign_keys(sources), *target_list]

    # --- saving ------------------------------------------------------------------------------------------------------

    def save(self, commit=True):
        self.instance.question_type = self.kind
        if self.kind in ROLE:
            self.instance.options = self.options_to_save
        return super().save(commit=commit)


def form_for(kind: str) -> type[TypedQuestionForm]:
    """The form class of one question type (every blank declared; the panels show as many as needed)."""
    attrs = {"kind": kind, "__module__": __name__, **slot_fields(kind)}
    return type(f"{kind.title().replace('_', '')}QuestionForm", (TypedQuestionForm,), attrs)


def edit_handler_for(kind: str, count: int) -> ObjectList:
    """The panels of one question type with `count` blanks (bound to Question, cached)."""
    panels = [
        FieldPanel("title"),
        FieldPanel("prompt"),
        *slot_panels(kind, count),
        *COMMON_PANELS,
    ]
    return ObjectList(panels, base_form_class=form_for(kind)).bind_to_model(Question)


def valid_kind(kind: str | None) -> str | None:
    return kind if kind in QuestionType.values else None
