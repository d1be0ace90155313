"""The maturity self-assessment against the real reference and study data (building blocks,
municipalities, recommendations) and Helix's questionnaire file, loaded once per module."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import Any

import openpyxl
import pytest
import yaml
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.models import Term
from helix.maturity import analysis
from helix.maturity.choices import AssessmentStatus, VersionStatus
from helix.maturity.loaders import default_file
from helix.maturity.models import Answer, Assessment, Level, QuestionnaireVersion, VersionInUse
from helix.maturity.services import (
    AnswerInput,
    current_version,
    new_version_from,
    publish_version,
    save_answers,
    set_shared,
    start_assessment,
    submit_assessment,
)
from tests.factories import make_editor
from tests.study_data import run_command

BLOCKS = ["strategie-governance", "quadruple-helix", "aankopen-financiering", "data-technologie", "human-capital"]


@pytest.fixture(scope="module")
def questionnaire(study_data: Any, django_db_blocker: Any) -> str:
    with django_db_blocker.unblock():
        return run_command("load_questionnaire")


def municipality(refnis: str, *, size: str = "medium") -> Organisation:
    org = Organisation.objects.get(refnis=refnis)
    org.municipality_size = size
    org.save(update_fields=["municipality_size"])
    return org


def oost_vlaanderen(n: int, *, skip: Iterable[str] = ()) -> list[Organisation]:
    qs = Organisation.objects.filter(kind="municipality", in_region=True, province__name_nl__contains="Oost-Vlaanderen")
    return list(qs.exclude(refnis__in=list(skip)).order_by("refnis")[:n])


def fill_in(org: Organisation, user: Any, levels: dict[str, int], *, submit: bool = True, shared: bool = False) -> Assessment:
    """Answer every question of a building block with that block's level, through the services."""
    with history_context(channel=Channel.WEB, user=user):
        draft = start_assessment(organisation=org, user=user)
        answers = {q.key: AnswerInput(levels[q.building_block.code], "") for q in draft.version.questions.all()}
        save_answers(assessment=draft, answers=answers, user=user)
        if not submit:
            return draft
        done = submit_assessment(assessment=draft, user=user)
        if shared:
            set_shared(assessment=done, shared=True, user=user)
    return done


def uniform(level: int, **overrides: int) -> dict[str, int]:
    out = dict.fromkeys(BLOCKS, level)
    out.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return out


# --- the questionnaire file -----------------------------------------------------------------------


def test_questionnaire_v1_covers_every_sub_theme_with_described_levels(questionnaire: str, db: Any) -> None:
    version = QuestionnaireVersion.objects.get(number=1)
    assert version.status == VersionStatus.PUBLISHED and current_version() == version
    assert "Helix" in version.title_nl and "Landschapsanalyse" in version.source
    subthemes = set(Term.objects.filter(scheme__slug="building-blocks", broader__isnull=False).values_list("pk", flat=True))
    questions = list(version.questions.prefetch_related("levels"))
    assert {q.subtheme_id for q in questions} == subthemes  # one question per sub-theme of the study
    assert {q.building_block.code for q in questions} == set(BLOCKS)
    for q in questions:
        assert q.subtheme.broader_id == q.building_block_id
        assert [lv.value for lv in q.levels.all()] == [0, 1, 2, 3, 4]
        assert all(lv.description_nl and lv.description_en for lv in q.levels.all())
        assert q.source.startswith("Landschapsanalyse >")
    with default_file().open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert len(questions) == sum(len(b["questions"]) for b in data["building_blocks"])


def test_loading_again_writes_nothing(questionnaire: str, db: Any) -> None:
    events = apps.get_model("maturity", "QuestionEvent").objects.count()
    assert "created" in questionnaire
    assert "unchanged" in run_command("load_questionnaire")
    assert apps.get_model("maturity", "QuestionEvent").objects.count() == events
    level_events = apps.get_model("maturity", "LevelEvent").objects.filter(pgh_context__metadata__channel="command")
    assert level_events.count() == Level.objects.count()


# --- filling in, rights ---------------------------------------------------------------------------


def test_a_member_saves_a_draft_then_submits_through_the_pages(questionnaire: str, client_as: Any) -> None:
    org = municipality("44021")  # Gent
    editor = make_editor("gent-editor", org)
    client = client_as(editor)
    assert client.post(reverse("maturity:start", args=[org.slug])).status_code == 302
    draft = Assessment.objects.get(organisation=org, status=AssessmentStatus.DRAFT)
    questions = list(draft.version.questions.order_by("order"))
    first, rest = questions[0], questions[1:]
    page = client.get(reverse("maturity:fill", args=[org.slug]))
    html = page.content.decode()
    assert html.count("<fieldset") == len(questions) and html.count("<legend>") == len(questions)
    assert Level.objects.get(question=first, value=3).description in html

    response = client.post(
        reverse("maturity:fill", args=[org.slug]),
        {"action": "save", f"level-{first.key}": "2", f"evidence-{first.key}": "https://example.org/besluit"},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=draft, question=first)
    assert (answer.level, answer.evidence) == (2, "https://example.org/besluit")
    event = apps.get_model("maturity", "AnswerEvent").objects.filter(pgh_obj_id=answer.pk).latest("pgh_id")
    assert event.pgh_context.metadata["channel"] == "web" and event.pgh_context.metadata["username"] == "gent-editor"

    incomplete = client.post(reverse("maturity:fill", args=[org.slug]), {"action": "submit", f"level-{first.key}": "2"})
    assert incomplete.status_code == 400
    assert f'href="#q-{rest[0].key}"' in incomplete.content.decode()
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT

    data = {"action": "submit", **{f"level-{q.key}": str(i % 5) for i, q in enumerate(questions)}}
    done = client.post(reverse("maturity:fill", args=[org.slug]), data)
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED and done["Location"] == reverse(
        "maturity:result", args=[org.slug, draft.pk]
    )
    expected = {}
    for i, q in enumerate(questions):
        expected.setdefault(q.building_block.code, []).append(i % 5)
    assert draft.scores == {code: round(sum(v) / len(v), 2) for code, v in expected.items()}
    assert client.get(done["Location"]).status_code == 200


def test_nobody_else_sees_a_municipalitys_answers(questionnaire: str, client_as: Any, cast: Any) -> None:
    gent, aalst = municipality("44021"), municipality("41002")
    member = make_editor("gent-member", gent)
    other = make_editor("aalst-member", aalst)
    result = fill_in(gent, member, uniform(2))
    urls = [
        reverse("maturity:municipality", args=[gent.slug]),
        reverse("maturity:fill", args=[gent.slug]),
        reverse("maturity:result", args=[gent.slug, result.pk]),
        reverse("maturity:result", args=[gent.slug, result.pk]) + "?format=csv",
    ]
    # The member downloads the answers: one row per question, with the level given.
    download = client_as(member).get(urls[-1])
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    lines = download.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + result.answers.count()
    assert {line.split(",")[1] for line in lines[1:]} == set(result.answers.values_list("question__key", flat=True))
    for user in (other, cast.curator, cast.editor_a, cast.admin):
        client = client_as(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("maturity:start", args=[gent.slug])).status_code == 404
        assert client.post(reverse("maturity:share", args=[gent.slug, result.pk]), {"shared": "1"}).status_code == 404
    anonymous = client_as(None)
    for url in urls:
        assert anonymous.get(url).status_code == 302
    with pytest.raises(PermissionDenied):
        start_assessment(organisation=gent, user=cast.curator)
    with pytest.raises(PermissionDenied):
        save_answers(assessment=result, answers={}, user=other)
    # Sharing opens the result to other members and curators, read-only.
    with history_context(channel=Channel.WEB, user=member):
        set_shared(assessment=result, shared=True, user=member)
    for user in (other, cast.curator):
        page = client_as(user).get(reverse("maturity:result", args=[gent.slug, result.pk]))
        assert page.status_code == 200
        assert 'id="next-steps"' not in page.content.decode()  # next steps and sharing are the owner's
    assert client_as(None).get(reverse("maturity:result", args=[gent.slug, result.pk])).status_code == 302
    # Assessments are not in the admin: nobody browses answers there.
    assert Assessment not in admin_site._registry and Answer not in admin_site._registry


def test_a_submitted_assessment_cannot_change(questionnaire: str, db: Any) -> None:
    org = municipality("44021")
    user = make_editor("gent-x", org)
    done = fill_in(org, user, uniform(1))
    with pytest.raises(ValidationError):
        save_answers(assessment=done, answers={}, user=user)
    with pytest.raises(ValidationError):
        submit_assessment(assessment=done, user=user)


# --- versions -------------------------------------------------------------------------------------


def test_a_used_version_is_immutable_and_curators_publish_a_copy(questionnaire: str, client_as: Any, cast: Any) -> None:
    v1 = QuestionnaireVersion.objects.get(number=1)
    org = municipality("44021")
    user = make_editor("gent-v", org)
    first = fill_in(org, user, uniform(1))
    question = v1.questions.first()
    assert question is not None
    question.text_nl = "Gewijzigd"
    with pytest.raises(VersionInUse):
        question.save()
    with pytest.raises(VersionInUse):
        Level.objects.filter(question=question).first().delete()  # type: ignore[union-attr]
    request = RequestFactory().get("/")
    request.user = cast.admin
    assert not admin_site._registry[QuestionnaireVersion].has_change_permission(request, v1)
    assert "in use" in run_command("load_questionnaire")

    # Curators copy v1 into a draft, edit it, publish it on the versions page.
    assert client_as(user).get(reverse("maturity:versions")).status_code == 403
    client = client_as(cast.curator)
    assert client.post(reverse("maturity:versions"), {"action": "copy", "number": "1"})["Location"] == reverse(
        "maturity:versions"
    )
    v2 = QuestionnaireVersion.objects.get(number=2)
    assert v2.status == VersionStatus.DRAFT and current_version() == v1
    assert set(v2.questions.values_list("key", flat=True)) == set(v1.questions.values_list("key", flat=True))
    assert client_as(None).get(reverse("maturity:questionnaire", args=[2])).status_code == 404  # drafts: curators only
    changed = v2.questions.get(key=question.key)
    changed.text_nl = "Nieuwe formulering van dezelfde vraag"
    changed.save()
    client = client_as(cast.curator)
    published = client.post(reverse("maturity:versions"), {"action": "publish", "number": "2"})
    assert published["Location"] == reverse("maturity:versions")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)

    # A new assessment uses v2; answers are compared with v1's by key.
    second = fill_in(org, user, uniform(3))
    assert second.version == v2
    profile = analysis.profile(second)
    assert profile.previous == first
    assert {row.block.code: row.change for row in profile.rows} == dict.fromkeys(BLOCKS, 2.0)
    assert {c["question"].key for c in profile.question_changes} == set(v2.questions.values_list("key", flat=True))


def test_publishing_refuses_an_incomplete_version(questionnaire: str, db: Any, cast: Any) -> None:
    v1 = QuestionnaireVersion.objects.get(number=1)
    draft = new_version_from(base=v1, user=cast.curator)
    Level.objects.filter(question__version=draft, value=4).first().delete()  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        publish_version(version=draft, user=cast.curator)
    with pytest.raises(PermissionDenied):
        new_version_from(base=v1, user=cast.editor_a)


# --- peer comparison ------------------------------------------------------------------------------


def test_peer_averages_need_at_least_five_other_municipalities(questionnaire: str, client_as: Any) -> None:
    assert analysis.min_group() == 5
    own = municipality("44021", size="medium")
    user = make_editor("own-member", own)
    peers = oost_vlaanderen(5, skip=[own.refnis])
    for i, peer in enumerate(peers[:4]):
        peer.municipality_size = "medium"
        peer.save(update_fields=["municipality_size"])
        fill_in(peer, make_editor(f"peer-{i}", peer), uniform(i % 5, human_capital=4))
    mine = fill_in(own, user, uniform(1))
    rows = analysis.profile(mine).rows
    assert all(g.suppressed and g.mean is None for row in rows for g in row.groups)  # 4 others: hidden
    page = client_as(user).get(reverse("maturity:result", args=[own.slug, mine.pk])).content.decode()
    assert "fewer than 5 peers" in page or "minder dan 5" in page

    fifth = peers[4]
    fifth.municipality_size = "medium"
    fifth.save(update_fields=["municipality_size"])
    fill_in(fifth, make_editor("peer-5", fifth), uniform(4))
    rows = analysis.profile(mine).rows
    sg = next(r for r in rows if r.block.code == "strategie-governance")
    expected = round(sum([0, 1, 2, 3, 4]) / 5, 2)
    assert [(g.n, g.mean) for g in sg.groups] == [(5, expected), (5, expected)]  # size class and province
    assert sg.own == 1.0
    page = client_as(user).get(reverse("maturity:result", args=[own.slug, mine.pk])).content.decode()
    for peer in peers:  # never another municipality's name or answers
        assert (peer.name_nl or peer.name) not in page


def test_only_the_latest_assessment_of_each_peer_counts(questionnaire: str, db: Any) -> None:
    peers = oost_vlaanderen(5)
    for i, peer in enumerate(peers):
        editor = make_editor(f"latest-{i}", peer)
        fill_in(peer, editor, uniform(0))
        fill_in(peer, editor, uniform(4))
    latest = list(analysis.latest_submitted())
    assert len(latest) == 5 and all(a.scores == dict.fromkeys(BLOCKS, 4.0) for a in latest)


# --- next steps -----------------------------------------------------------------------------------


def test_next_steps_link_recommendations_funding_projects_and_sharing_peers(questionnaire: str, client_as: Any) -> None:
    own = municipality("44021")
    user = make_editor("steps-member", own)
    peers = oost_vlaanderen(3, skip=[own.refnis])
    fill_in(peers[0], make_editor("high-shared", peers[0]), uniform(4), shared=True)
    fill_in(peers[1], make_editor("high-private", peers[1]), uniform(4))
    fill_in(peers[2], make_editor("low-shared", peers[2]), uniform(1), shared=True)
    mine = fill_in(own, user, uniform(3, human_capital=0, aankopen_financiering=1))
    weakest = [b.code for b, _score in analysis.weakest_blocks(mine)]
    assert weakest == ["human-capital", "aankopen-financiering"]

    mobility = Term.objects.get(scheme__slug="domains", code="smart-mobility")
    page = client_as(user).get(reverse("maturity:result", args=[own.slug, mine.pk]), {"domain": "smart-mobility"})
    html = page.content.decode()
    steps = page.context["steps"]
    assert [s.block.code for s in steps] == weakest
    human = steps[0]
    assert sorted(r.number for r in human.recommendations) == [14, 15]  # the study's human-capital recommendations
    assert [p[0] for p in human.peers] == [peers[0]]  # shared and high only
    for rec in human.recommendations:
        assert rec.get_absolute_url() in html
    assert f"{reverse('matching:funding-finder')}?municipality={own.refnis}" in html
    assert f"{reverse('projects:project-list')}?domain={mobility.code}" in html
    assert reverse("maturity:result", args=[peers[0].slug, human.peers[0][2]]) in html
    assert peers[1].slug not in html and peers[2].slug not in html


def test_next_steps_link_the_running_lighthouse_of_the_domain(questionnaire: str, client_as: Any) -> None:
    try:
        lighthouse_model = apps.get_model("projects", "Lighthouse")
    except LookupError:
        pytest.skip("the knowledge hub has no lighthouses in this build")
    own = municipality("44021")
    user = make_editor("lh-member", own)
    mine = fill_in(own, user, uniform(2, human_capital=0))
    mobility = Term.objects.get(scheme__slug="domains", code="smart-mobility")
    url = reverse("maturity:result", args=[own.slug, mine.pk])
    html = client_as(user).get(url, {"domain": mobility.code}).content.decode()
    assert reverse("projects:lighthouse-list") in html  # none yet: the list
    antwerp = Organisation.objects.get(refnis="11002")
    lighthouse = lighthouse_model.objects.create(domain=mobility, municipality=antwerp, start_date=datetime.date(2024, 1, 1))
    html = client_as(user).get(url, {"domain": mobility.code}).content.decode()
    assert lighthouse.get_absolute_url() in html


# --- region-wide ----------------------------------------------------------------------------------


def test_region_distribution_for_curators_aggregates_only(questionnaire: str, client_as: Any, cast: Any) -> None:
    oost = oost_vlaanderen(6)
    for i, org in enumerate(oost):
        org.municipality_size = "small"
        org.save(update_fields=["municipality_size"])
        fill_in(org, make_editor(f"region-{i}", org), uniform(i % 5))
    antwerp = Organisation.objects.get(refnis="11002")  # a large city, province Antwerpen: alone in its groups
    fill_in(antwerp, make_editor("antwerp-member", antwerp), uniform(2))

    assert client_as(make_editor("region-other", oost[0])).get(reverse("maturity:region")).status_code == 403
    assert client_as(None).get(reverse("maturity:region")).status_code == 302
    page = client_as(cast.curator).get(reverse("maturity:region"))
    assert page.status_code == 200
    rows = {(r.dimension, r.group): r for r in page.context["rows"]}
    region = next(r for r in rows.values() if not r.suppressed and r.n == 7)
    assert region.means["strategie-governance"] == round((0 + 1 + 2 + 3 + 4 + 0 + 2) / 7, 2)
    assert region.bands["strategie-governance"] == [2, 1, 2, 1, 1]
    shown = [r for r in rows.values() if not r.suppressed]
    hidden = [r for r in rows.values() if r.suppressed]
    # Antwerp alone is hidden, and with it the only other group of each dimension (else: total minus shown).
    assert len(shown) == 1 and len(hidden) == 4
    html = page.content.decode()
    assert antwerp.slug not in html and all((o.name_nl or o.name) not in html for o in oost)

    export = client_as(cast.curator).get(reverse("maturity:region"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    values = list(sheet.values)
    header = values[0]
    assert header[:3] == ("dimension", "group", "municipalities")
    data = [dict(zip(header, row, strict=True)) for row in values[1:]]
    assert [d["municipalities"] for d in data if d["municipalities"] is not None] == [7]
    assert all(d["strategie-governance_mean"] is None for d in data if d["municipalities"] is None)


# --- public and curator pages ----------------------------------------------------------------------


def test_landing_and_questionnaire_pages_per_persona(questionnaire: str, client_as: Any, cast: Any) -> None:
    gent = municipality("44021")
    member = make_editor("landing-member", gent)
    home = reverse("maturity:home")
    anonymous = client_as(None).get(home).content.decode()
    assert reverse("accounts:login") in anonymous and reverse("maturity:region") not in anonymous
    own = client_as(member).get(home).content.decode()
    assert reverse("maturity:municipality", args=[gent.slug]) in own and reverse("maturity:region") not in own
    curator = client_as(cast.curator).get(home).content.decode()
    assert reverse("maturity:region") in curator and reverse("maturity:versions") in curator
    for lang_prefix in ("", "/en"):
        page = client_as(None).get(f"{lang_prefix}{reverse('maturity:questionnaire', args=[1])}")
        assert page.status_code == 200
        level = Level.objects.filter(question__key="dt-open-data", value=3).get()
        assert (level.description_en if lang_prefix else level.description_nl) in page.content.decode()
