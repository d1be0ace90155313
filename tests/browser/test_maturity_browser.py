"""A municipality member assesses the municipality's maturity in Chromium with the keyboard only:
start, answer, save a draft, come back, answer the rest, submit, then read the peer comparison
(five peers of the same size class and province, seeded here) and the next steps. axe-core
checks every page visited."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in, tab_until, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN = "44021"  # Gent (Oost-Vlaanderen)


def _seed_peers(own: Any) -> list[Any]:
    """Five other municipalities of Oost-Vlaanderen, same size class, each with a submitted
    assessment through the services; the first shares a high-scoring result."""
    from helix.actors.models import Organisation
    from helix.core.history import Channel, history_context
    from helix.maturity.services import AnswerInput, save_answers, set_shared, start_assessment, submit_assessment
    from tests.factories import make_editor

    peers = list(
        Organisation.objects.filter(kind="municipality", province=own.province).exclude(pk=own.pk).order_by("refnis")[:5]
    )
    for i, peer in enumerate(peers):
        peer.municipality_size = own.municipality_size
        peer.save(update_fields=["municipality_size"])
        editor = make_editor(f"peer-{i}", peer)
        level = 4 if i == 0 else i % 4
        with history_context(channel=Channel.WEB, user=editor):
            draft = start_assessment(organisation=peer, user=editor)
            answers = {q.key: AnswerInput(level) for q in draft.version.questions.all()}
            save_answers(assessment=draft, answers=answers, user=editor)
            done = submit_assessment(assessment=draft, user=editor)
            if i == 0:
                set_shared(assessment=done, shared=True, user=editor)
    return peers


def _answer_with_keyboard(page: Any, key: str, level: int) -> None:
    """Tab into the question's radio group, check the first level with Space, then arrow down."""
    tab_until(page, f'input[name="level-{key}"]', limit=200)
    page.keyboard.press("Space")
    for _ in range(level):
        page.keyboard.press("ArrowDown")
    checked = page.locator(f'input[name="level-{key}"]:checked').get_attribute("value")
    assert checked == str(level), (key, checked)


def test_member_fills_in_with_the_keyboard_and_gets_peer_comparison_and_next_steps(study_data, page, axe):
    from django.core.management import call_command

    from helix.actors.models import Organisation
    from helix.core.models import Term
    from helix.maturity.models import Assessment, QuestionnaireVersion
    from tests.factories import make_editor

    call_command("load_questionnaire", stdout=io.StringIO())
    own = Organisation.objects.get(refnis=OWN)
    own.municipality_size = "medium"
    own.save(update_fields=["municipality_size"])
    own.domains.add(Term.objects.get(scheme__slug="domains", code="smart-mobility"))
    peers = _seed_peers(own)
    make_editor("gent-member", own)
    questions = list(
        QuestionnaireVersion.objects.get(number=1).questions.order_by("order").values_list("key", "building_block__code")
    )
    # The member's levels: strong everywhere except human capital (0) and procurement (1).
    wanted = {key: {"human-capital": 0, "aankopen-financiering": 1}.get(block, 3) for key, block in questions}

    sign_in(page, "gent-member")
    page.goto("/volwassenheid/")
    assert_accessible(axe, page)
    tab_until(page, f'a[href="/volwassenheid/gemeenten/{own.slug}/"]')
    page.keyboard.press("Enter")
    wait_for_path(page, f"/volwassenheid/gemeenten/{own.slug}/")
    assert_accessible(axe, page)
    tab_until(page, f'form[action="/volwassenheid/gemeenten/{own.slug}/starten/"] button')
    page.keyboard.press("Enter")
    fill_path = f"/volwassenheid/gemeenten/{own.slug}/invullen/"
    wait_for_path(page, fill_path)
    assert_accessible(axe, page)
    assert page.locator("fieldset.mq-question legend").count() == len(questions)

    # The first half, then a draft.
    half = len(questions) // 2
    for key, _block in questions[:half]:
        _answer_with_keyboard(page, key, wanted[key])
    page.keyboard.press("Tab")
    page.keyboard.type("https://example.org/gemeenteraad/besluit-42")  # evidence of the last answered question
    tab_until(page, 'button[value="save"]', limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wait_for_path(page, fill_path)
    assert page.locator(".messages").count() == 1
    draft = Assessment.objects.get(organisation=own)
    assert draft.status == "draft"
    assert draft.answers.filter(level__isnull=False).count() == half
    assert draft.answers.get(question__key=questions[half - 1][0]).evidence == "https://example.org/gemeenteraad/besluit-42"
    assert page.locator(f'input[name="level-{questions[0][0]}"]:checked').get_attribute("value") == str(wanted[questions[0][0]])

    # Submitting too early is refused with a summary that links to the open questions.
    tab_until(page, 'button[value="submit"]', limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.locator(f'#error-summary a[href="#q-{questions[half][0]}"]').count() == 1
    assert_accessible(axe, page)

    for key, _block in questions[half:]:
        _answer_with_keyboard(page, key, wanted[key])
    tab_until(page, 'button[value="submit"]', limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/volwassenheid/gemeenten/[^/]+/resultaten/\d+/$"))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.scores["human-capital"] == 0 and draft.scores["strategie-governance"] == 3
    assert_accessible(axe, page)

    # Peer comparison: size class and province groups of five, the mean of the peers' levels.
    peer_mean = sum([4, 1, 2, 3, 0]) / 5
    row = page.locator("#profile tbody tr", has=page.locator("th", has_text=re.compile("Strategie|Strategy")))
    cells = row.locator("td").all_inner_texts()
    assert cells[0].startswith("3"), cells
    assert sum(1 for c in cells[1:3] if c.startswith(f"{peer_mean:.2f}".replace(".", ","))) == 2, cells
    for peer in peers[1:]:
        assert (peer.name_nl or peer.name) not in page.content()

    # Next steps: the weakest building blocks first, with links into Helix.
    steps = page.locator("#next-steps > li")
    assert steps.count() == 2
    human = steps.nth(0)
    assert human.locator('a[href^="/strategie/aanbevelingen/"]').count() == 2  # recommendations 14 and 15
    assert human.locator(f'a[href="/financiering/?municipality={OWN}"]').count() == 1
    assert human.locator('a[href="/projecten/?domain=smart-mobility"]').count() == 1
    assert human.locator(f'a[href^="/volwassenheid/gemeenten/{peers[0].slug}/resultaten/"]').count() == 1

    # Following a next step with the keyboard lands on the funding finder for this municipality.
    tab_until(page, f'#next-steps a[href="/financiering/?municipality={OWN}"]', limit=200)
    page.keyboard.press("Enter")
    wait_for_path(page, "/financiering/", query=f"?municipality={OWN}")


def test_curator_reads_the_region_wide_distribution_and_publishes_a_new_version(study_data, page, axe):
    from django.core.management import call_command

    from helix.actors.models import Organisation
    from helix.maturity.models import QuestionnaireVersion
    from tests.factories import make_curator

    call_command("load_questionnaire", stdout=io.StringIO())
    own = Organisation.objects.get(refnis=OWN)
    own.municipality_size = "medium"
    own.save(update_fields=["municipality_size"])
    peers = _seed_peers(own)
    make_curator("curator")

    sign_in(page, "curator")
    page.goto("/volwassenheid/regio/")
    assert_accessible(axe, page)
    region = page.locator("#distribution tbody tr").first
    assert region.locator("td.num").first.inner_text() == "5"
    for peer in peers:
        assert (peer.name_nl or peer.name) not in page.content()
    assert page.locator('a[href="?format=xlsx"]').count() == 1

    page.goto("/volwassenheid/vragenlijst/1/")
    assert_accessible(axe, page)

    page.goto("/volwassenheid/versies/")
    assert_accessible(axe, page)
    tab_until(page, 'button[value="copy"]', limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert QuestionnaireVersion.objects.get(number=2).status == "draft"
    assert_accessible(axe, page)
    tab_until(page, 'button[value="publish"]', limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert QuestionnaireVersion.objects.get(number=2).status == "published"
    assert QuestionnaireVersion.objects.get(number=1).status == "retired"
    assert_accessible(axe, page)
