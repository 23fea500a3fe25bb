"""The tree's rules held in one place: an item with evidence cannot be deleted (the database and the service say
so), an edit's texts and its move are one change, and planning an import never changes what the parser read."""

import copy

from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

import pytest

from competencies.evidence import record_evidence
from competencies.exporting import export_framework
from competencies.formats import FormatError
from competencies.importing import parse_file
from competencies.importing.plan import plan_import
from competencies.models import CompetencyItem
from competencies.tree import ItemHasEvidence, add_item_draft, delete_item, delete_items, save_item_changes
from lms.roles import NATIONAL_EDITORS

pytestmark = pytest.mark.django_db

REFUSED = "Learners have 1 piece of evidence on this item or its descendants: it cannot be deleted."
REFUSED_FR = "Des apprenants ont 1 trace sur cet élément ou ses descendants : il ne peut pas être supprimé."


def item(framework, code):
    return CompetencyItem.objects.get(framework=framework, code=code)


@pytest.fixture
def editor(make_user, client):
    user = make_user(email="editeur@education.gouv.fr", role=NATIONAL_EDITORS)
    client.force_login(user)
    return user


@pytest.fixture
def learner(make_user):
    return make_user(email="apprenant@ac-lyon.fr")


def test_the_database_refuses_to_delete_an_item_with_evidence(unesco, learner):
    record_evidence(user=learner, item=item(unesco, "5.1"), source_key="quiz:1", question_key="q1", correct=True)
    with pytest.raises(ProtectedError):
        item(unesco, "5.1").delete()
    with pytest.raises(ProtectedError):  # treebeard's delete of an ancestor takes the subtree: refused too
        item(unesco, "5").delete()
    assert CompetencyItem.objects.filter(framework=unesco, code__startswith="5").count() == 4


def test_the_service_refuses_with_the_admin_message(unesco, learner, editor):
    record_evidence(user=learner, item=item(unesco, "5.1"), source_key="quiz:1", question_key="q1", correct=True)
    with translation.override("en"), pytest.raises(ItemHasEvidence, match=REFUSED):
        delete_item(item=item(unesco, "5"), by=editor)
    with translation.override("fr"), pytest.raises(ItemHasEvidence, match=REFUSED_FR):
        delete_item(item=item(unesco, "5"), by=editor)
    with pytest.raises(ItemHasEvidence):  # the importer's way: rows by id
        delete_items(item_ids=[item(unesco, "5.1").pk])
    assert CompetencyItem.objects.filter(framework=unesco, code__startswith="5").count() == 4


def test_the_admin_shows_the_refusal_and_keeps_the_item(unesco, learner, editor, client):
    record_evidence(user=learner, item=item(unesco, "5.1"), source_key="quiz:1", question_key="q1", correct=True)
    url = reverse("competencies_admin:item_delete", args=[item(unesco, "5").pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        assert REFUSED in response.content.decode() or REFUSED_FR in response.content.decode()
        assert "<form" not in response.content.decode().split('role="alert"')[1]
    assert CompetencyItem.objects.filter(framework=unesco, code__startswith="5").count() == 4


def test_deleting_an_item_without_evidence_logs_who_did_it(unesco, editor):
    target = item(unesco, "5")
    delete_item(item=target, by=editor)
    assert not CompetencyItem.objects.filter(framework=unesco, code__startswith="5").exists()
    assert CompetencyItem.find_problems() == ([], [], [], [], [])


def test_a_refused_move_rolls_back_the_saved_texts(unesco, editor):
    """The texts are saved first, then the move is refused (under the item's own child): nothing stays."""
    new = add_item_draft(framework=unesco, parent=item(unesco, "2"), user=editor, code="2.9", label_fr="Brouillon")
    child = add_item_draft(framework=unesco, parent=new, user=editor, code="2.9.1", label_fr="Enfant")
    revisions = new.revisions.count()
    draft = CompetencyItem.objects.get(pk=new.pk).get_latest_revision_as_object()
    draft.label_fr = "Modifié"
    with translation.override("en"), pytest.raises(ValueError, match="under itself"):
        save_item_changes(item=new, draft=draft, user=editor, parent=child, move=True)
    new.refresh_from_db()
    assert new.label_fr == "Brouillon"  # never published: the row itself is the draft, and it was rolled back
    assert new.revisions.count() == revisions
    assert new.get_latest_revision_as_object().label_fr == "Brouillon"
    assert new.get_parent().code == "2"


def test_the_admin_form_with_a_refused_move_saves_nothing(unesco, editor, client, settings):
    """The form is valid; the service saves the texts, then refuses the move (too deep): the page says why and
    neither the texts nor the move are kept."""
    settings.COMPETENCIES_MAX_DEPTH = 2
    aspect = item(unesco, "2")
    response = client.post(
        reverse("competencies_admin:item_edit", args=[aspect.pk]),
        {
            "code": "2",
            "item_type": "aspect",
            "label_fr": "Libellé changé",
            "statement_fr": "",
            "label_en": "",
            "statement_en": "",
            "parent": item(unesco, "3").pk,  # with its children: three levels
            "position": "",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    aspect.refresh_from_db()
    assert aspect.depth == 1 and not aspect.revisions.exists() and not aspect.has_unpublished_changes


def test_a_move_and_new_texts_are_saved_together(unesco, editor):
    target = item(unesco, "2.1")
    draft = CompetencyItem.objects.get(pk=target.pk).get_latest_revision_as_object()
    draft.label_fr = "Déplacé et relu"
    save_item_changes(item=target, draft=draft, user=editor, parent=item(unesco, "3"), move=True)
    target.refresh_from_db()
    assert target.get_parent().code == "3" and target.label_fr != "Déplacé et relu"  # live: the texts wait
    assert target.get_latest_revision_as_object().label_fr == "Déplacé et relu"


def test_planning_an_import_leaves_the_parsed_data_as_it_was(unesco):
    """Moodle's CSV has no identifiers and names parents by code: the plan resolves them on a copy."""
    [parsed] = parse_file(data=export_framework(framework=unesco, format_name="moodle-csv"), format_name="moodle-csv")
    before = copy.deepcopy(parsed)
    plan = plan_import(parsed, dry_run=True)
    assert parsed == before
    assert all(i.identifier for i in plan.data.items) and plan.data is not parsed


def test_planning_a_refused_import_leaves_the_parsed_data_as_it_was(unesco, learner):
    [parsed] = parse_file(data=export_framework(framework=unesco, format_name="moodle-csv"), format_name="moodle-csv")
    plan_import(parsed, dry_run=True)
    kept = [i for i in parsed.items if i.code != "5.1"]
    record_evidence(user=learner, item=item(unesco, "5.1"), source_key="quiz:1", question_key="q1", correct=True)
    parsed.items = kept
    before = copy.deepcopy(parsed)
    with translation.override("en"), pytest.raises(FormatError, match="learners have evidence"):
        plan_import(parsed, dry_run=True)
    assert parsed == before
