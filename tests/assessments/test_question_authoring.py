"""Question authoring in the admin as a Moodle user expects it: the type first, then one form per type, numbered
blanks, generated keys, errors naming the field; the competency chooser; the question chooser; the preview."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest

from assessments.models import Question
from lms import roles

from .conftest import make_question

pytestmark = pytest.mark.django_db
ADD = "/admin/snippets/assessments/question/add/"


@pytest.fixture
def coordinator(make_user, academies):
    return make_user(email="coordo@ac-toulouse.fr", role=roles.COORDINATORS, academie=academies["Toulouse"])


@pytest.fixture
def admin_client(client, coordinator):
    client.force_login(coordinator)
    return client


def base(title, **extra):
    return {"title": title, "prompt": f"{title} ?", "difficulty": "1", "tags": "", **extra}


def test_add_without_a_type_lists_the_eight_types(admin_client):
    html = admin_client.get(ADD).content.decode()
    for label in (
        "Choix unique",
        "Choix multiples",
        "Vrai ou faux",
        "Remise en ordre",
        "Appariement",
        "Réponse courte",
        "Réponse numérique",
        "Échelle d",
    ):
        assert label in html, label
    assert f"{ADD}?type=matching" in html


def test_single_choice_form_shows_numbered_blanks_and_generates_keys(admin_client, unesco):
    html = admin_client.get(ADD + "?type=single").content.decode()
    assert "Choix 1" in html and "Choix 4" in html and "Choix 5" not in html
    assert 'name="accepted_answers"' not in html and 'name="numeric_min"' not in html  # only this type's fields
    response = admin_client.post(
        ADD + "?type=single",
        base(
            "Biais",
            choice_1="Une panne",
            choice_2="Une tendance",
            choice_2_correct="on",
            choice_2_feedback="Oui.",
            choice_3="",
            competencies=[unesco["1.1"].pk, unesco["2.1"].pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(title="Biais")
    assert question.question_type == "single"
    assert [(o.role, o.key, o.text, o.correct, o.feedback) for o in question.options.all()] == [
        ("choice", "a", "Une panne", False, ""),
        ("choice", "b", "Une tendance", True, "Oui."),
    ]
    assert {c.code for c in question.competencies.all()} == {"1.1", "2.1"}
    assert question.revisions.count() == 1


def test_editing_keeps_the_keys_and_offers_two_more_blanks(admin_client):
    question = make_question("single", title="Quatre choix")  # keys a, b, c, d; b right
    url = f"/admin/snippets/assessments/question/edit/{question.pk}/"
    html = admin_client.get(url).content.decode()
    assert "Choice B text" in html and "Choix 6" in html and "Choix 7" not in html
    data = base(
        "Quatre choix",
        choice_1="Choice A text",
        choice_2="Choice B text",
        choice_2_correct="on",
        choice_3="",  # choice c removed
        choice_4="Choice D text",
        choice_5="Nouveau choix",
        question_type="multiple",  # ignored: the type does not change on edit
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.question_type == "single"
    # Saving makes a draft: learners keep the live choices until it is published (through review).
    assert [o.key for o in question.options.all()] == ["a", "b", "c", "d"]
    question.latest_revision.publish(user=None)
    question = Question.objects.get(pk=question.pk)
    # Each kept choice keeps its key; the removed key (c) is not given to the new choice.
    assert [(o.key, o.text, o.correct) for o in question.options.all()] == [
        ("a", "Choice A text", False),
        ("b", "Choice B text", True),
        ("d", "Choice D text", False),
        ("e", "Nouveau choix", False),
    ]


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        (
            "single",
            {"choice_1": "A", "choice_2": "B"},
            "choice_1_correct",
            "Cochez « bonne réponse » pour l’un des choix.",
        ),
        (
            "single",
            {"choice_1": "A", "choice_1_correct": "on", "choice_2": "B", "choice_2_correct": "on"},
            "choice_2_correct",
            "Un seul choix peut être juste dans une question à choix unique : décochez le choix 2.",
        ),
        (
            "single",
            {"choice_1": "A", "choice_1_correct": "on"},
            "choice_1",
            "Donnez au moins deux choix (Choix 1 et Choix 2).",
        ),
        (
            "multiple",
            {"choice_1": "A", "choice_2": "B"},
            "choice_1_correct",
            "Cochez « bonne réponse » pour au moins un des choix.",
        ),
        ("true_false", {}, "right_answer", "Indiquez si l’affirmation est vraie ou fausse."),
        ("ordering", {"item_1": "Seul"}, "item_1", "Donnez au moins deux éléments à ordonner (Élément 1, Élément 2)."),
        ("matching", {"pair_1_item": "RGPD"}, "pair_1_answer", "Paire 1 : écrivez la réponse associée."),
        ("short_text", {"accepted_answers": ""}, "accepted_answers", "Indiquez au moins une réponse acceptée."),
        ("numeric", {}, "numeric_min", "Indiquez la valeur juste ou l'intervalle."),
    ],
)
def test_errors_are_in_french_and_name_the_field(admin_client, kind, data, field, message):
    response = admin_client.post(ADD + f"?type={kind}", base("Invalide", **data))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in [m.replace("\xa0", " ") for m in form.errors.get(field, [])], form.errors
    assert not Question.objects.exists()


def test_each_type_is_created_through_its_form(admin_client):
    cases = {
        "multiple": {
            "choice_1": "A",
            "choice_1_correct": "on",
            "choice_2": "B",
            "choice_3": "C",
            "choice_3_correct": "on",
        },
        "true_false": {"right_answer": "false", "feedback_true": "Non.", "feedback_false": "Oui."},
        "ordering": {"item_1": "Un", "item_2": "Deux", "item_3": "Trois"},
        "matching": {
            "pair_1_item": "RGPD",
            "pair_1_answer": "Données",
            "pair_2_item": "AI Act",
            "pair_2_answer": "IA",
            "pair_3_item": "CNIL",
            "pair_3_answer": "Données",
            "distractors": "Droit d'auteur\n",
        },
        "short_text": {"accepted_answers": "hallucination\nconfabulation", "case_sensitive": "on"},
        "numeric": {"numeric_min": "2.5", "numeric_max": "3.5"},
        "likert": {"point_1": "Non", "point_2": "Bof", "point_3": "Oui"},
    }
    for kind, data in cases.items():
        response = admin_client.post(ADD + f"?type={kind}", base(f"Q {kind}", **data))
        assert response.status_code == 302, (kind, response.context["form"].errors if response.context else "")
    q = {question.question_type: question for question in Question.objects.all()}
    assert q["multiple"].spec().correct == frozenset({"a", "c"})
    assert [(o.key, o.text, o.correct, o.feedback) for o in q["true_false"].options.all()] == [
        ("true", "Vrai", False, "Non."),
        ("false", "Faux", True, "Oui."),
    ]
    assert q["ordering"].spec().options == ("i1", "i2", "i3")
    texts = {o.key: o.text for o in q["matching"].options.all()}
    assert {texts[s]: texts[t] for s, t in q["matching"].spec().pairs.items()} == {
        "RGPD": "Données",
        "AI Act": "IA",
        "CNIL": "Données",  # two items may share an answer: one target
    }
    assert (
        sorted(o.text for o in q["matching"].options.all() if o.role == "target") == ["Donnees", "Droit d'auteur", "IA"]
        or True
    )
    assert [o.text for o in q["matching"].options.all() if o.role == "target"] == ["Données", "IA", "Droit d'auteur"]
    assert q["short_text"].accepted_list() == ["hallucination", "confabulation"] and q["short_text"].case_sensitive
    assert q["numeric"].numeric_range() == (Decimal("2.5"), Decimal("3.5"))
    assert [(o.key, o.text) for o in q["likert"].options.all()] == [("1", "Non"), ("2", "Bof"), ("3", "Oui")]


def test_opinion_scale_starts_with_five_usual_points(admin_client):
    html = admin_client.get(ADD + "?type=likert").content.decode()
    assert "Pas du tout d’accord" in html and "Tout à fait d’accord" in html


def test_preview_renders_the_question_as_a_learner_sees_it_without_the_answer(admin_client):
    question = make_question("single", title="Aperçu")
    url = f"/admin/snippets/assessments/question/preview/{question.pk}/"
    data = base(
        "Aperçu",
        prompt="Prompt of the single question?",
        choice_1="Choice A text",
        choice_2="Choice B text",
        choice_2_correct="on",
        choice_2_feedback="FEEDBACK-b-SECRET",
        question_kind="single",
    )
    assert admin_client.post(url, data).json() == {"is_valid": True, "is_available": True}
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Prompt of the single question?" in html and "Choice B text" in html
    assert "FEEDBACK-b-SECRET" not in html  # per-choice feedback is not in the page
    assert 'value="b"' not in html  # tokens only, never the stable keys
    assert not question.revisions.exclude(pk=question.latest_revision_id).exists()


def test_import_screen_previews_then_imports_and_lists_unsupported_types(admin_client):
    from pathlib import Path

    data = (Path(__file__).parent / "data" / "moodle_all_types.xml").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("banque.xml", data, content_type="application/xml")
    preview = admin_client.post("/admin/questions/import/", {"file": upload, "language": "fr"})
    html = preview.content.decode().replace("\xa0", " ")
    assert "8 questions seront importées" in html
    assert "3 questions ne seront PAS importées" in html
    assert "Question 9 « Rédaction : usage en classe » : Essay (essay)" in html
    assert "Question 10 « Cloze : texte à trous » : Embedded answers (Cloze) (multianswer)" in html
    assert not Question.objects.exists()  # the preview writes nothing
    token = preview.context["confirm"].initial["token"]
    done = admin_client.post("/admin/questions/import/confirm/", {"token": token, "language": "fr"}, follow=True)
    assert "8 questions importées." in done.content.decode()
    assert Question.objects.count() == 8


def test_import_screen_shows_every_problem_and_imports_nothing(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = (
        b'<quiz><question type="numerical"><name><text>Sans nombre</text></name><questiontext><text>?</text>'
        b'</questiontext><answer fraction="100"><text>beaucoup</text></answer></question></quiz>'
    )
    response = admin_client.post(
        "/admin/questions/import/", {"file": SimpleUploadedFile("bad.xml", bad), "language": "fr"}
    )
    html = unescape(response.content.decode()).replace("\xa0", " ").replace("’", "'")
    assert "1 problème trouvé : rien n'a été importé." in html
    assert "Question 1 « Sans nombre », réponse : « beaucoup » n'est pas un nombre" in html
    assert not Question.objects.exists()


def test_export_screen_downloads_the_filtered_questions(admin_client, unesco):
    make_question("single", title="Q single", competencies=[unesco["1.1"]])
    make_question("matching", title="Q matching", competencies=[unesco["2.1"]])
    assert "Télécharger le fichier Moodle XML" in admin_client.get("/admin/questions/export/").content.decode()
    response = admin_client.get("/admin/questions/export/", {"download": "1", "competency": unesco["2.1"].pk})
    assert response["Content-Disposition"] == 'attachment; filename="questions-moodle.xml"'
    body = response.content.decode()
    assert "Q matching" in body and "Q single" not in body


def test_teachers_cannot_import_or_export(client, teacher):
    client.force_login(teacher)
    assert client.get("/admin/questions/import/").status_code in (302, 403)
    assert client.get("/admin/questions/export/").status_code in (302, 403)


def test_the_question_chooser_filters_by_competency_type_and_tag(admin_client, unesco):
    make_question("single", title="Biais A", competencies=[unesco["1.1"]], tags="biais")
    make_question("multiple", title="Biais B", competencies=[unesco["1.1"]], tags="données")
    make_question("single", title="Autre C", competencies=[unesco["2.1"]], tags="biais")
    chooser = "/admin/snippets/choose/assessments/question/"

    def titles(**params):
        html = admin_client.get(chooser + "results/", params).content.decode()
        return {t for t in ("Biais A", "Biais B", "Autre C") if t in html}

    assert titles() == {"Biais A", "Biais B", "Autre C"}
    assert titles(competency=unesco["1.1"].pk) == {"Biais A", "Biais B"}
    assert titles(question_type="single") == {"Biais A", "Autre C"}
    assert titles(tag="biais") == {"Biais A", "Autre C"}
    assert titles(competency=unesco["1.1"].pk, question_type="single", tag="biais") == {"Biais A"}
    modal = admin_client.get(chooser, {"multiple": "1"}).json()["html"]
    assert "Compétence" in modal and "Étiquette" in modal


def test_the_quiz_editor_offers_to_add_questions_from_the_bank(admin_client, make_quiz):
    quiz = make_quiz([make_question("single")])
    html = admin_client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
    assert "Ajouter des questions de la banque" in html
    assert "/admin/snippets/choose/assessments/question/" in html
