"""The answer form of one question: what the template renders (tokens only) and how a POST is read back into
stable ids. No Django form class: each question type needs its own markup (fieldset, legend, radios, selects),
and errors must point at the inputs they concern (`aria-describedby`).

Field names: `q<slot>` for one-input questions; `q<slot>-<token>` for each item to order or source to match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from . import scoring
from .models import OptionRole, Question

MAX_TEXT = 200


@dataclass
class Control:
    """One input (or one select) as the template renders it."""

    id: str
    name: str
    label: str
    value: str = ""  # current value (re-display after an error)
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, text)
    checked: bool = False


@dataclass
class QuestionForm:
    slot: int
    number: int  # 1-based, for "Question 3 of 11"
    question: Question
    entry: dict[str, Any]
    data: QueryDict | None = None
    errors: list[str] = field(default_factory=list)
    value: Any = None

    # --- rendering ---------------------------------------------------------------------------------------------------

    @property
    def type(self) -> str:
        return self.question.question_type

    @property
    def name(self) -> str:
        return f"q{self.slot}"

    @property
    def error_id(self) -> str:
        return f"q{self.slot}-error"

    @property
    def hint_id(self) -> str:
        return f"q{self.slot}-hint"

    def _texts(self, role: str) -> dict[str, str]:
        return {o.key: o.text for o in self.question.options_by_role(role)}

    def _given(self, name: str) -> list[str]:
        return self.data.getlist(name) if self.data is not None else []

    @property
    def hint(self) -> str:
        return {
            scoring.MULTIPLE: _("Tick every right answer."),
            scoring.ORDERING: _("Give each item its position, from 1 (first) to %(n)d (last).")
            % {"n": len(self.entry.get("order", []))},
            scoring.MATCHING: _("For each item, choose the matching answer in its list."),
            scoring.SHORT_TEXT: _("A word or a short phrase."),
            scoring.NUMERIC: _("A number: 12, 3,5 or 2 021 are all fine."),
            scoring.LIKERT: _("Your opinion: this question is not scored."),
        }.get(self.type, "")

    @property
    def controls(self) -> list[Control]:
        tokens = self.entry.get("tokens", {})
        kind = self.type
        if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.MULTIPLE, scoring.LIKERT):
            role = OptionRole.SCALE if kind == scoring.LIKERT else OptionRole.CHOICE
            texts = self._texts(role)
            given = set(self._given(self.name))
            return [
                Control(
                    id=f"q{self.slot}-{i}", name=self.name, label=texts.get(tokens[t], ""), value=t, checked=t in given
                )
                for i, t in enumerate(self.entry["order"])
            ]
        if kind == scoring.ORDERING:
            texts = self._texts(OptionRole.ITEM)
            count = len(self.entry["order"])
            positions = [("", _("Position…"))] + [(str(n), str(n)) for n in range(1, count + 1)]
            return [
                Control(
                    id=f"q{self.slot}-{i}",
                    name=f"{self.name}-{t}",
                    label=texts.get(tokens[t], ""),
                    value=(self._given(f"{self.name}-{t}") or [""])[0],
                    options=positions,
                )
                for i, t in enumerate(self.entry["order"])
            ]
        if kind == scoring.MATCHING:
            sources = self._texts(OptionRole.SOURCE)
            targets = self._texts(OptionRole.TARGET)
            choices = [("", _("Choose…"))] + [(t, targets.get(tokens[t], "")) for t in self.entry["targets"]]
            return [
                Control(
                    id=f"q{self.slot}-{i}",
                    name=f"{self.name}-{t}",
                    label=sources.get(tokens[t], ""),
                    value=(self._given(f"{self.name}-{t}") or [""])[0],
                    options=choices,
                )
                for i, t in enumerate(self.entry["order"])
            ]
        return [Control(id=f"q{self.slot}-0", name=self.name, label="", value=(self._given(self.name) or [""])[0])]

    @property
    def first_control_id(self) -> str:
        return f"q{self.slot}-0"

    @property
    def describedby(self) -> str:
        ids = [self.hint_id] if self.hint else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    # --- reading a POST ----------------------------------------------------------------------------------------------

    def is_submitted(self) -> bool:
        """Whether the POST carries anything for this question (an untouched question is not an answer)."""
        if self.data is None:
            return False
        prefix = self.name
        return any(k == prefix or k.startswith(prefix + "-") for k in self.data)

    def is_valid(self) -> bool:
        self.errors = []
        self.value = None
        try:
            self.value = self._clean()
        except ValueError as exc:
            self.errors = [str(exc)]
        return not self.errors

    def _clean(self) -> Any:
        tokens: dict[str, str] = self.entry.get("tokens", {})
        kind = self.type
        if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.LIKERT):
            given = [v for v in self._given(self.name) if v]
            if not given:
                raise ValueError(_("Choose an answer."))
            if len(given) > 1 or given[0] not in self.entry["order"]:
                raise ValueError(_("This answer is not one of the choices: choose again."))
            return tokens[given[0]]
        if kind == scoring.MULTIPLE:
            given = [v for v in self._given(self.name) if v]
            if not given:
                raise ValueError(_("Tick at least one answer."))
            if any(v not in self.entry["order"] for v in given):
                raise ValueError(_("This answer is not one of the choices: choose again."))
            return sorted({tokens[v] for v in given})
        if kind == scoring.ORDERING:
            count = len(self.entry["order"])
            ranks: dict[str, int] = {}
            for t in self.entry["order"]:
                raw = (self._given(f"{self.name}-{t}") or [""])[0]
                if not raw:
                    raise ValueError(_("Give every item a position."))
                if not raw.isdigit() or not 1 <= int(raw) <= count:
                    raise ValueError(_("Positions go from 1 to %(n)d.") % {"n": count})
                ranks[tokens[t]] = int(raw)
            if len(set(ranks.values())) != len(ranks):
                raise ValueError(_("Two items have the same position: give each position to one item only."))
            return [key for key, _rank in sorted(ranks.items(), key=lambda kv: kv[1])]
        if kind == scoring.MATCHING:
            pairs: dict[str, str] = {}
            for t in self.entry["order"]:
                raw = (self._given(f"{self.name}-{t}") or [""])[0]
                if not raw:
                    raise ValueError(_("Choose a match for every item."))
                if raw not in self.entry["targets"]:
                    raise ValueError(_("This answer is not one of the choices: choose again."))
                pairs[tokens[t]] = tokens[raw]
            return pairs
        text = (self._given(self.name) or [""])[0].strip()
        if not text:
            raise ValueError(_("Type your answer."))
        if len(text) > MAX_TEXT:
            raise ValueError(_("Keep your answer under %(n)d characters.") % {"n": MAX_TEXT})
        if kind == scoring.NUMERIC:
            number = scoring.parse_number(text)
            if number is None:
                raise ValueError(_("Type a number, for example 12 or 3,5."))
            return number
        return text


def forms_for(*, slots: list[int], layout: list[dict], questions: dict[int, Question], data=None) -> list[QuestionForm]:
    return [
        QuestionForm(slot=slot, number=slot + 1, question=questions[slot], entry=layout[slot], data=data)
        for slot in slots
        if slot in questions
    ]
