"""Every reason the funding engine can give has a translatable sentence, rendered with labels."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.utils import translation

from helix.matching import messages
from helix.matching.adapters import FundingCatalogue
from helix.matching.engine import funding
from helix.matching.engine.messages import MESSAGES
from helix.matching.engine.types import FundingCriterion, Outcome, Reason, Verdict
from helix.matching.messages import (
    CRITERION_LABELS,
    OUTCOME_LABELS,
    REASON_MESSAGES,
    VERDICT_LABELS,
    ReasonRenderer,
    placeholders,
)

CODE = re.compile(r'"((?:' + "|".join(c.value for c in FundingCriterion) + r')\.[a-z_]+)"')


def test_every_engine_message_has_a_translation_with_the_same_placeholders() -> None:
    missing = sorted(set(MESSAGES) - set(REASON_MESSAGES))
    assert missing == []
    for code, english in MESSAGES.items():
        with translation.override("en"):
            ours = str(REASON_MESSAGES[code])
        assert placeholders(ours) == placeholders(english), code
        assert ours == english, code  # the msgid is the engine's reference sentence


def test_every_code_the_engine_emits_has_a_translation() -> None:
    emitted = set(CODE.findall(Path(funding.__file__).read_text()))
    assert len(emitted) > 40
    assert sorted(emitted - set(REASON_MESSAGES)) == []


def test_criteria_outcomes_and_verdicts_have_labels() -> None:
    assert set(CRITERION_LABELS) == {c.value for c in FundingCriterion}
    assert set(OUTCOME_LABELS) == {o.value for o in Outcome}
    assert set(VERDICT_LABELS) == {v.value for v in Verdict}


def catalogue() -> FundingCatalogue:
    return FundingCatalogue(
        index=None,
        profiles={},
        titles_nl={},
        domain_closure={},
        labels={
            ("applicant-types", "municipality"): ("Stad of gemeente", "City or municipality"),
            ("applicant-types", "sme"): ("Kmo", "SME"),
            ("applicant-types", "regional-government"): ("Vlaamse of federale overheid", "Flemish or federal government"),
            ("phases", "pilot"): ("Proefproject", "Pilot"),
            ("domains", "smart-environment"): ("Slimme omgeving", "Smart Environment"),
            ("domains", "waste-management"): ("Afvalbeheer", "Waste management"),
            ("domains", "smart-mobility"): ("Slimme mobiliteit", "Smart Mobility"),
        },
        broader_domain={"waste-management": "smart-environment"},
        area_labels={"kempen": ("Kempen", "Kempen (Campine)"), "44021": ("Gent", "Ghent")},
        built_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        version=None,
    )


def render(code: str, **params: str) -> str:
    criterion = FundingCriterion(code.split(".")[0])
    return ReasonRenderer(catalogue()).render(Reason(criterion, Outcome.MET, code, tuple(params.items())))


def test_codes_become_labels_in_the_active_language() -> None:
    with translation.override("en"):
        assert render("applicant_type.unmet", accepted="sme", yours="municipality") == (
            "Open only to SME; you apply as city or municipality."
        )
        assert render("territory.unmet", areas="44021,kempen") == "Only for applicants in Ghent, Kempen (Campine)."
        assert render("applicant_type.met", types="regional-government") == "Open to Flemish or federal government."
        # A domain with its sub-topic reads as the domain.
        assert render("domain.unmet", domains="smart-environment,waste-management") == "Covers only Smart Environment."
        assert render("size_class.met", size="large", sizes="large") == "Open to large municipalities."
        assert render("amount.within", budget="250000", minimum="1000", maximum="5000000") == (
            "Your budget of € 250,000 is within the range of € 1,000 to € 5,000,000."
        )
        assert render("dates.closed", date="2019-09-22") == "Closed on Sept. 22, 2019."
    with translation.override("nl"):
        nl = render("applicant_type.unmet", accepted="sme", yours="municipality")
        assert "kmo" in nl and "stad of gemeente" in nl
        assert "€ 250.000" in render("amount.at_most", budget="250000", maximum="5000000")
        assert "Gent, Kempen" in render("territory.unmet", areas="44021,kempen")


def test_an_unknown_code_or_parameter_does_not_break_the_page() -> None:
    renderer = ReasonRenderer(catalogue())
    text = renderer.render(Reason(FundingCriterion.TEXT, Outcome.UNKNOWN, "text.something_new", (("x", "1"),)))
    assert text == "text.something_new"
    # A placeholder without its parameter stays visible instead of raising.
    assert messages.render_message("territory.unmet", {}) == "Only for applicants in {areas}."
