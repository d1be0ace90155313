"""Write use cases of the maturity self-assessment. Entry points wrap calls in `history_context`
(web requests through the middleware, commands explicitly).

Rights: the members of a municipality (editors of its organisation) start, save, submit and
share its assessments; nobody else does, curators included (they see aggregates only).
Curators create and publish questionnaire versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for

from .choices import AssessmentStatus, VersionStatus
from .models import MAX_LEVEL, MIN_LEVEL, Answer, Assessment, Level, QuestionnaireVersion

SCALE = range(MIN_LEVEL, MAX_LEVEL + 1)


@dataclass(frozen=True)
class AnswerInput:
    level: int | None
    evidence: str = ""


# --- rights -------------------------------------------------------------------------------------


def is_municipality_member(user: Any, organisation: Organisation) -> bool:
    """Members of a municipality: the editors of its organisation (curators are not members)."""
    return organisation.kind == OrganisationKind.MUNICIPALITY and organisation.pk in organisation_ids_for(user)


def _require_member(user: Any, organisation: Organisation) -> None:
    if not is_municipality_member(user, organisation):
        raise PermissionDenied(_("Only the members of a municipality fill in its self-assessment."))


def _require_curator(user: Any) -> None:
    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators edit the questionnaire."))


# --- questionnaire versions ---------------------------------------------------------------------


def current_version() -> QuestionnaireVersion | None:
    """The questionnaire new assessments use: the published version with the highest number."""
    return QuestionnaireVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def version_problems(version: QuestionnaireVersion) -> list[str]:
    """Why a version cannot be published (empty when it can)."""
    problems: list[str] = []
    questions = list(version.questions.prefetch_related("levels"))
    if not questions:
        problems.append(_("The version has no questions."))
    for question in questions:
        values = sorted(level.value for level in question.levels.all())
        if values != list(SCALE):
            problems.append(
                _("Question %(key)s needs exactly one described level for each step %(low)s-%(high)s.")
                % {"key": question.key, "low": MIN_LEVEL, "high": MAX_LEVEL}
            )
        if question.subtheme_id and question.subtheme and question.subtheme.broader_id != question.building_block_id:
            problems.append(_("The sub-theme of question %(key)s belongs to another building block.") % {"key": question.key})
    return problems


@transaction.atomic
def new_version_from(*, base: QuestionnaireVersion, user: Any) -> QuestionnaireVersion:
    """A draft copy of `base` (questions and levels, same keys) with the next number."""
    _require_curator(user)
    number = (QuestionnaireVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = QuestionnaireVersion.objects.create(
        number=number,
        title_nl=base.title_nl.replace(f"versie {base.number}", f"versie {number}"),
        title_en=base.title_en.replace(f"version {base.number}", f"version {number}"),
        introduction_nl=base.introduction_nl,
        introduction_en=base.introduction_en,
        status=VersionStatus.DRAFT,
        based_on=base,
        source=base.source,
    )
    for question in base.questions.prefetch_related("levels"):
        levels = list(question.levels.all())
        question.pk = None
        question.version = version
        question.save()
        Level.objects.bulk_create(
            Level(
                question=question,
                value=level.value,
                label_nl=level.label_nl,
                label_en=level.label_en,
                description_nl=level.description_nl,
                description_en=level.description_en,
            )
            for level in levels
        )
    return version


@transaction.atomic
def publish_version(*, version: QuestionnaireVersion, user: Any) -> QuestionnaireVersion:
    """Publish a draft version: new assessments use it; the previous published one retires."""
    _require_curator(user)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft version can be published."), code="not_draft")
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems, code="incomplete")
    QuestionnaireVersion.objects.filter(status=VersionStatus.PUBLISHED).update(status=VersionStatus.RETIRED)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


# --- assessments --------------------------------------------------------------------------------


def last_submitted(organisation: Organisation, *, before: Assessment | None = None) -> Assessment | None:
    qs = Assessment.objects.filter(organisation=organisation, status=AssessmentStatus.SUBMITTED)
    if before is not None and before.submitted_at is not None:
        qs = qs.filter(submitted_at__lt=before.submitted_at)
    return qs.order_by("-submitted_at").first()


@transaction.atomic
def start_assessment(*, organisation: Organisation, user: Any) -> Assessment:
    """The municipality's draft (created on the current version when there is none).

    A new draft starts from the answers of the last submitted assessment, matched by question
    key, so only what changed needs an answer.
    """
    _require_member(user, organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one draft at a time
    draft = Assessment.objects.filter(organisation=organisation, status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        return draft
    version = current_version()
    if version is None:
        raise ValidationError(_("No questionnaire is published yet."), code="no_version")
    now = timezone.now()
    draft = Assessment.objects.create(organisation=organisation, version=version, created_by=user, created_at=now, updated_at=now)
    previous = last_submitted(organisation)
    earlier: dict[str, Answer] = {}
    if previous is not None:
        earlier = {a.question.key: a for a in previous.answers.select_related("question")}
    Answer.objects.bulk_create(
        Answer(
            assessment=draft,
            question=q,
            level=earlier[q.key].level if q.key in earlier else None,
            evidence=earlier[q.key].evidence if q.key in earlier else "",
        )
        for q in version.questions.all()
    )
    return draft


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("A submitted assessment cannot be changed; start a new one."), code="submitted")


@transaction.atomic
def save_answers(*, assessment: Assessment, answers: Mapping[str, AnswerInput], user: Any) -> Assessment:
    """Store answers (question key -> level and evidence) of a draft; unknown keys are refused."""
    _require_member(user, assessment.organisation)
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    _require_draft(assessment)
    questions = {q.key: q for q in assessment.version.questions.all()}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise ValidationError(_("Unknown questions: %(keys)s") % {"keys": ", ".join(unknown)}, code="unknown_question")
    existing = {a.question_id: a for a in assessment.answers.all()}
    for key, given in answers.items():
        if given.level is not None and given.level not in SCALE:
            raise ValidationError(_("Level %(level)s is not on the scale.") % {"level": given.level}, code="level")
        question = questions[key]
        evidence = (given.evidence or "").strip()[:2000]
        answer = existing.get(question.pk)
        if answer is None:
            Answer.objects.create(assessment=assessment, question=question, level=given.level, evidence=evidence)
        elif answer.level != given.level or answer.evidence != evidence:
            answer.level = given.level
            answer.evidence = evidence
            answer.save(update_fields=["level", "evidence"])
    assessment.updated_at = timezone.now()
    assessment.save(update_fields=["updated_at"])
    return assessment


def compute_scores(assessment: Assessment) -> dict[str, float]:
    """Mean level per building block (code), over the answered questions."""
    sums: dict[str, list[int]] = {}
    for answer in assessment.answers.select_related("question__building_block"):
        if answer.level is not None:
            sums.setdefault(answer.question.building_block.code, []).append(answer.level)
    return {code: round(sum(levels) / len(levels), 2) for code, levels in sums.items()}


@transaction.atomic
def submit_assessment(*, assessment: Assessment, user: Any) -> Assessment:
    """Submit a complete draft: every question needs a level. Stores the building-block scores."""
    _require_member(user, assessment.organisation)
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    _require_draft(assessment)
    missing = list(
        assessment.answers.filter(level__isnull=True).order_by("question__order").values_list("question__key", flat=True)
    )
    answered = set(assessment.answers.values_list("question_id", flat=True))
    missing += [q.key for q in assessment.version.questions.exclude(pk__in=answered)]
    if missing:
        raise ValidationError(
            _("Answer every question before submitting; still open: %(keys)s") % {"keys": ", ".join(missing)},
            code="incomplete",
        )
    now = timezone.now()
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = now
    assessment.submitted_by = user
    assessment.updated_at = now
    assessment.scores = compute_scores(assessment)
    assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at", "scores"])
    return assessment


@transaction.atomic
def set_shared(*, assessment: Assessment, shared: bool, user: Any) -> Assessment:
    """Share (or stop sharing) a submitted result with other municipalities' members and curators."""
    _require_member(user, assessment.organisation)
    if not assessment.is_submitted:
        raise ValidationError(_("Only a submitted result can be shared."), code="not_submitted")
    if assessment.shared != shared:
        assessment.shared = shared
        assessment.updated_at = timezone.now()
        assessment.save(update_fields=["shared", "updated_at"])
    return assessment
