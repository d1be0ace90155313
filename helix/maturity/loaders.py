"""Loads a questionnaire version from a YAML file (data/maturity/questionnaire-v1.yaml).

Creates the version when it does not exist. An existing version is left alone (curators may
have edited it in the admin) unless `update=True`, and never changed once an assessment uses
it: a used version is immutable; changes go into a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helix.core.models import Term

from .choices import VersionStatus
from .models import MAX_LEVEL, MIN_LEVEL, Level, Question, QuestionnaireVersion

BUILDING_BLOCKS = "building-blocks"


def default_file() -> Path:
    return Path(settings.BASE_DIR) / "data" / "maturity" / "questionnaire-v1.yaml"


class QuestionnaireProblem(ValueError):
    """The file refers to something that does not exist or breaks the scale."""


@dataclass
class LoadResult:
    version: QuestionnaireVersion
    status: str  # created / updated / unchanged / in use
    questions: int = 0
    changes: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _terms() -> tuple[dict[str, Term], dict[str, Term]]:
    terms = list(Term.objects.filter(scheme__slug=BUILDING_BLOCKS))
    blocks = {t.code: t for t in terms if t.broader_id is None}
    subthemes = {t.code: t for t in terms if t.broader_id is not None}
    if not blocks:
        raise QuestionnaireProblem("The building blocks are not loaded; run `python manage.py load_reference` first.")
    return blocks, subthemes


def _parse(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Questions as field dicts with their levels, validated against the taxonomy and scale."""
    blocks, subthemes = _terms()
    scale = {int(s["value"]): s for s in data.get("scale") or []}
    if sorted(scale) != list(range(MIN_LEVEL, MAX_LEVEL + 1)):
        raise QuestionnaireProblem(f"scale: give one label for each level {MIN_LEVEL}-{MAX_LEVEL}")
    out: list[dict[str, Any]] = []
    keys: set[str] = set()
    for b in data.get("building_blocks") or []:
        block = blocks.get(b["block"])
        if block is None:
            raise QuestionnaireProblem(f"unknown building block {b['block']!r}")
        for order, q in enumerate(b.get("questions") or [], start=1):
            key = _text(q["key"])
            if key in keys:
                raise QuestionnaireProblem(f"question key {key!r} is used twice")
            keys.add(key)
            sub = subthemes.get(_text(q.get("subtheme"))) if q.get("subtheme") else None
            if q.get("subtheme") and (sub is None or sub.broader_id != block.pk):
                raise QuestionnaireProblem(f"{key}: {q['subtheme']!r} is not a sub-theme of {block.code}")
            levels = q.get("levels") or []
            if len(levels) != len(scale):
                raise QuestionnaireProblem(f"{key}: describe each of the {len(scale)} levels")
            out.append(
                {
                    "key": key,
                    "building_block": block,
                    "subtheme": sub,
                    "order": block.order * 100 + order,
                    "text_nl": _text(q["text_nl"]),
                    "text_en": _text(q.get("text_en")),
                    "help_nl": _text(q.get("help_nl")),
                    "help_en": _text(q.get("help_en")),
                    "source": _text(q.get("source")),
                    "levels": [
                        {
                            "value": value,
                            "label_nl": _text(scale[value]["label_nl"]),
                            "label_en": _text(scale[value].get("label_en")),
                            "description_nl": _text(level["nl"]),
                            "description_en": _text(level.get("en")),
                        }
                        for value, level in zip(sorted(scale), levels, strict=True)
                    ],
                }
            )
    if not out:
        raise QuestionnaireProblem("the file has no questions")
    return out


def _set(obj: Any, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


@transaction.atomic
def load_questionnaire(path: Path | None = None, *, update: bool = False) -> LoadResult:
    """Create (or with `update`, refresh an unused) questionnaire version from a YAML file."""
    path = path or default_file()
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    number = int(data["version"])
    questions = _parse(data)
    header = {
        "title_nl": _text(data["title_nl"]),
        "title_en": _text(data.get("title_en")),
        "introduction_nl": _text(data.get("introduction_nl")),
        "introduction_en": _text(data.get("introduction_en")),
        "source": _text(data.get("source")),
    }
    version = QuestionnaireVersion.objects.filter(number=number).first()
    if version is not None and version.in_use:
        return LoadResult(version, "in use", len(questions))
    if version is not None and not update:
        return LoadResult(version, "unchanged", len(questions))
    created = version is None
    if version is None:
        newer = QuestionnaireVersion.objects.filter(number__gt=number, status=VersionStatus.PUBLISHED).exists()
        version = QuestionnaireVersion.objects.create(
            number=number,
            status=VersionStatus.RETIRED if newer else VersionStatus.PUBLISHED,
            published_at=timezone.now(),
            **header,
        )
        changes: list[str] = []
    else:
        changes = _set(version, header)
    existing = {q.key: q for q in version.questions.prefetch_related("levels")}
    for spec in questions:
        levels = spec.pop("levels")
        question = existing.pop(spec["key"], None)
        if question is None:
            question = Question.objects.create(version=version, **spec)
            changes.append(f"question {spec['key']} added")
        elif _set(question, spec):
            changes.append(f"question {spec['key']} changed")
        have = {lv.value: lv for lv in question.levels.all()} if not created else {}
        for level in levels:
            current = have.get(level["value"])
            if current is None:
                Level.objects.create(question=question, **level)
            elif _set(current, level):
                changes.append(f"question {spec['key']} level {level['value']} changed")
    for key, question in existing.items():
        question.delete()
        changes.append(f"question {key} removed")
    status = "created" if created else ("updated" if changes else "unchanged")
    return LoadResult(version, status, len(questions), changes)
