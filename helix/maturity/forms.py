"""The assessment form: one radio group (level) and one optional evidence field per question.

The template renders each question as a fieldset whose legend is the question and whose radio
labels carry the level's name and description (so two people answer alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Answer, Assessment, Question, QuestionnaireVersion
from .services import AnswerInput

MAX_EVIDENCE = 2000


def level_field(question: Question) -> str:
    return f"level-{question.key}"


def evidence_field(question: Question) -> str:
    return f"evidence-{question.key}"


class AssessmentForm(forms.Form):
    action = forms.ChoiceField(choices=[("save", _("Save draft")), ("submit", _("Submit"))], required=False)

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        self.assessment = assessment
        self.questions = list(
            assessment.version.questions.select_related("building_block", "subtheme").prefetch_related("levels")
        )
        answers = {a.question_id: a for a in assessment.answers.all()}
        initial: dict[str, Any] = {}
        for q in self.questions:
            answer: Answer | None = answers.get(q.pk)
            if answer is not None:
                initial[level_field(q)] = "" if answer.level is None else str(answer.level)
                initial[evidence_field(q)] = answer.evidence
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for q in self.questions:
            self.fields[level_field(q)] = forms.TypedChoiceField(
                label=q.text,
                choices=[(str(level.value), level.label) for level in q.levels.all()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[evidence_field(q)] = forms.CharField(
                label=_("Evidence (optional)"),
                required=False,
                max_length=MAX_EVIDENCE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, AnswerInput]:
        return {
            q.key: AnswerInput(self.cleaned_data.get(level_field(q)), self.cleaned_data.get(evidence_field(q)) or "")
            for q in self.questions
        }

    def sections(self) -> list[BlockSection]:
        """Questions grouped by building block, each with its bound fields and levels."""
        out: list[BlockSection] = []
        for q in self.questions:
            if not out or out[-1].block.pk != q.building_block_id:
                out.append(BlockSection(q.building_block, []))
            level = self[level_field(q)]
            value = level.value()
            out[-1].items.append(
                QuestionItem(
                    question=q,
                    level=level,
                    evidence=self[evidence_field(q)],
                    selected="" if value in (None, "") else str(value),
                    levels=list(q.levels.all()),
                )
            )
        return out


@dataclass
class QuestionItem:
    question: Question
    level: forms.BoundField
    evidence: forms.BoundField
    selected: str
    levels: list[Any]


@dataclass
class BlockSection:
    block: Any
    items: list[QuestionItem]


class NewVersionForm(forms.Form):
    base = forms.ModelChoiceField(
        queryset=QuestionnaireVersion.objects.all(), label=_("Copy from version"), to_field_name="number"
    )
