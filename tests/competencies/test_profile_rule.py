"""One competency rule for the results pages and the profile: positioning answers never secure a competency, one
answer never gives a verdict, and every state says why."""

from django.urls import reverse
from django.utils import translation

import pytest

from competencies.evidence import EvidenceInput, record_evidence_bulk
from competencies.models import CompetencyItem, EvidenceKind
from competencies.selectors import (
    AT_EASE,
    IN_PROGRESS,
    NOT_STARTED,
    SECURED,
    TO_WORK,
    TOO_FEW,
    competency_profile,
    profile_for_items,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user):
    return make_user(email="apprenant@ac-lyon.fr")


@pytest.fixture
def item(unesco):
    return CompetencyItem.objects.get(framework=unesco, code="2.2")


def answers(item, quiz, n, right, *, kind=EvidenceKind.ANSWER, attempt="1"):
    return [
        EvidenceInput(
            item=item, source_key=quiz, attempt_key=attempt, question_key=f"{quiz}-q{i}", correct=i < right, kind=kind
        )
        for i in range(n)
    ]


def progress(user, item):
    return profile_for_items(user=user, items=[item])[item.pk]


def test_a_low_positioning_score_never_blocks_a_competency(learner, item):
    """The issue's case: 0 of 2 at positioning, then 11 of 13 in the module quiz: secured, in both places."""
    record_evidence_bulk(user=learner, entries=answers(item, "positioning", 2, 0, kind=EvidenceKind.POSITIONING))
    record_evidence_bulk(user=learner, entries=answers(item, "module-quiz", 13, 11))
    row = progress(learner, item)
    assert row.state == SECURED
    assert (row.questions_answered, row.questions_correct) == (13, 11)
    assert row.positioning.state == TO_WORK
    assert (
        next(p for p in competency_profile(user=learner, framework=item.framework) if p.item == item).state == SECURED
    )


def test_positioning_answers_alone_never_secure(learner, item):
    record_evidence_bulk(user=learner, entries=answers(item, "positioning", 5, 5, kind=EvidenceKind.POSITIONING))
    row = progress(learner, item)
    assert row.state == NOT_STARTED
    assert row.positioning.state == AT_EASE


def test_one_positioning_answer_gives_no_verdict(learner, item):
    record_evidence_bulk(user=learner, entries=answers(item, "positioning", 1, 1, kind=EvidenceKind.POSITIONING))
    row = progress(learner, item)
    assert row.positioning.state == TOO_FEW
    with translation.override("fr"):
        assert row.positioning.why == (
            "1 bonne réponse sur 1 question (100\u00a0%). "
            "Encore 2 questions nécessaires (au moins 3, avec 80\u00a0% de bonnes réponses)."
        )
    with translation.override("en"):
        assert row.positioning.why == (
            "1 of 1 question correct (100%). 2 more questions needed (at least 3, with 80% correct)."
        )


def test_why_names_the_missing_ratio(learner, item):
    record_evidence_bulk(user=learner, entries=answers(item, "quiz", 4, 2))
    row = progress(learner, item)
    assert row.state == IN_PROGRESS
    with translation.override("en"):
        assert row.assessment.why == (
            "2 of 4 questions correct (50%): 80% correct needed on your best attempt at each quiz."
        )


def test_profile_page_has_its_own_url_and_explains(client, learner, item):
    assert reverse("competencies:profile") == "/competences/mon-profil/"
    with translation.override("en"):
        assert reverse("competencies:profile") == "/en/competencies/my-profile/"
    response = client.get("/competences/mon-profil/")
    assert response.status_code == 302 and "/compte/connexion/" in response.url
    record_evidence_bulk(user=learner, entries=answers(item, "quiz", 3, 3))
    client.force_login(learner)
    html = client.get("/competences/mon-profil/").content.decode()
    assert "Mon profil de compétences" in html
    assert "3 bonnes réponses sur 3 questions (100\u00a0%)" in html
    assert 'href="/competences/unesco-aicft-2024/"' in html
    html = client.get("/en/competencies/my-profile/").content.decode()
    assert "3 of 3 questions correct (100%)" in html
