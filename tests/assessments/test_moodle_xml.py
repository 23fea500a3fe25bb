"""Moodle XML import and export of the question bank: every type, the round trip, all-or-nothing on bad files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Locale

import pytest

from assessments import moodle_xml, moodle_xml_writer
from assessments.bank_import import import_moodle_questions
from assessments.models import Question
from assessments.selectors import bank_questions

from .conftest import SPECS, make_question

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def fr():
    return Locale.objects.get(language_code="fr")


def options(question, role=None):
    return [(o.role, o.key, o.text, o.correct, o.match_key) for o in question.options.order_by("sort_order")]


def test_every_supported_moodle_type_is_imported_with_its_answers():
    report = import_moodle_questions(data=(DATA / "moodle_all_types.xml").read_bytes(), locale=fr())
    assert len(report.created) == 8
    q = {question.title: question for question in Question.objects.all()}
    single = q["Choix unique : biais"]
    assert single.question_type == "single"
    assert single.prompt == "Qu'est-ce qu'un biais d'un modèle\xa0?"
    assert single.general_feedback == "Voir le module 1."
    assert single.tag_list == ["biais", "module-1"]
    assert [(o.text, o.correct, o.feedback) for o in single.options.all()] == [
        ("Une panne", False, "Non."),
        ("Une tendance systématique", True, "Oui."),
        ("Un virus", False, ""),
    ]
    multiple = q["Réponses multiples : données personnelles"]
    assert multiple.question_type == "multiple"
    assert multiple.spec().correct == frozenset({"a", "c"})
    true_false = q["Vrai ou faux : hallucinations"]
    assert true_false.question_type == "true_false"
    assert [(o.key, o.text, o.correct, o.feedback) for o in true_false.options.all()] == [
        ("true", "Vrai", True, "En effet."),
        ("false", "Faux", False, "Si, il le peut."),
    ]
    short = q["Réponse courte : terme"]
    assert (short.question_type, short.accepted_list(), short.case_sensitive) == (
        "short_text",
        ["hallucination", "confabulation"],
        False,
    )
    assert q["Numérique : année"].numeric_range() == (Decimal("2024"), Decimal("2024"))
    assert q["Numérique : marge"].numeric_range() == (Decimal("2.5"), Decimal("3.5"))
    matching = q["Appariement : notions"]
    assert matching.question_type == "matching"
    texts = {o.key: o.text for o in matching.options.all()}
    assert {texts[s]: texts[t] for s, t in matching.spec().pairs.items()} == {
        "RGPD": "Protection des données",
        "AI Act": "Règlement sur l'IA",
    }
    assert "Droit d'auteur" in texts.values()  # the distractor answer is kept as a target
    ordering = q["Ordre : étapes d'une invite"]
    assert [o.text for o in ordering.options.all()] == ["Définir l'objectif", "Rédiger l'invite", "Vérifier la réponse"]
    assert all(question.revisions.exists() for question in q.values())


def test_unsupported_types_are_listed_not_dropped_silently():
    report = import_moodle_questions(data=(DATA / "moodle_all_types.xml").read_bytes(), locale=fr(), dry_run=True)
    assert [(u.number, u.name, u.moodle_type) for u in report.unsupported] == [
        (9, "Rédaction : usage en classe", "essay"),
        (10, "Cloze : texte à trous", "multianswer"),
        (11, "Glisser-déposer", "ddwtos"),
    ]
    assert Question.objects.count() == 0  # a dry run writes nothing


def test_round_trip_export_then_import_into_an_empty_bank_gives_the_same_questions(unesco):
    originals = [
        make_question(kind, title=f"Q {kind}", competencies=[unesco["1.1"], unesco["2.1"]], tags="ia, module-1")
        for kind in SPECS
    ]
    originals[0].explanation = "Parce que.\n\nDeux paragraphes."
    originals[0].source_title, originals[0].source_url = "Rapport", "https://example.org/r"
    originals[0].difficulty = 3
    originals[0].save()
    originals[5].accent_sensitive = True
    originals[5].save()

    def snapshot():
        result = {}
        for q in bank_questions():
            spec = q.spec()
            texts = {o.key: o.text for o in q.options.all()}
            result[q.title] = {
                "fields": (
                    q.question_type,
                    q.prompt,
                    q.general_feedback,
                    q.explanation,
                    q.source_title,
                    q.source_url,
                    q.difficulty,
                    q.tag_list,
                    q.accepted_list(),
                    q.case_sensitive,
                    q.accent_sensitive,
                    q.numeric_range(),
                    q.translation_key,
                ),
                "options": [(o.role, o.text, o.correct, o.feedback) for o in q.options.all()],
                "right": sorted(texts[k] for k in spec.correct),
                "pairs": sorted((texts[s], texts[t]) for s, t in spec.pairs.items()),
                "competencies": sorted(c.code for c in q.competencies.all()),
            }
        return result

    before = snapshot()
    data = moodle_xml_writer.dump(bank_questions())
    Question.objects.all().delete()
    import_moodle_questions(data=data, locale=fr())
    assert snapshot() == before
    assert len(before) == 8


def test_one_bad_question_imports_nothing_and_the_message_names_it():
    data = b"""<?xml version="1.0"?><quiz>
      <question type="truefalse"><name><text>Bonne</text></name><questiontext><text>Vrai ?</text></questiontext>
        <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
      <question type="multichoice"><name><text>Sans bonne reponse</text></name>
        <questiontext><text>Laquelle ?</text></questiontext><single>true</single>
        <answer fraction="0"><text>A</text></answer><answer fraction="0"><text>B</text></answer></question>
      <question type="numerical"><name><text>Pas un nombre</text></name><questiontext><text>Combien ?</text></questiontext>
        <answer fraction="100"><text>douze</text><tolerance>0</tolerance></answer></question>
    </quiz>"""
    with pytest.raises(moodle_xml.MoodleXMLError) as caught:
        import_moodle_questions(data=data, locale=fr())
    errors = [e.replace("\xa0", " ") for e in caught.value.errors]
    assert len(errors) == 2
    assert errors[0] == "Question 2 « Sans bonne reponse », réponses : Indiquez un seul choix comme bonne réponse."
    assert errors[1] == "Question 3 « Pas un nombre », réponse : « douze » n'est pas un nombre"
    assert Question.objects.count() == 0


def test_unknown_competency_and_duplicate_identifier_are_refused(unesco):
    existing = make_question("single", title="Déjà là")
    data = f"""<quiz>
      <question type="shortanswer"><name><text>Compétence inconnue</text></name>
        <questiontext><text>Mot ?</text></questiontext><answer fraction="100"><text>ia</text></answer>
        <lms_competency framework="unesco-aicft-2024" code="9.9"/></question>
      <question type="shortanswer"><name><text>Doublon</text></name><idnumber>{existing.translation_key}</idnumber>
        <questiontext><text>Mot ?</text></questiontext><answer fraction="100"><text>ia</text></answer></question>
    </quiz>""".encode()
    with pytest.raises(moodle_xml.MoodleXMLError) as caught:
        import_moodle_questions(data=data, locale=fr())
    errors = [e.replace("\xa0", " ") for e in caught.value.errors]
    assert "Question 1 « Compétence inconnue », compétence : " in errors[0]
    assert "9.9" in errors[0]
    assert errors[1].startswith("Question 2 « Doublon », idnumber : ")
    assert Question.objects.count() == 1
    # The same identifier in another language is a new question, not an error.
    import_moodle_questions(
        data=data.replace(b'code="9.9"', b'code="1.1"'), locale=Locale.objects.get(language_code="en")
    )
    assert Question.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<quiz><question", "Le fichier n'est pas un XML valide"),
        (b"<html><body>Hello</body></html>", "n'est pas un fichier de questions Moodle XML"),
        (b"<quiz></quiz>", "ne contient aucune question"),
        (
            b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
            "Le fichier n'est pas un XML valide",
        ),
        (
            b'<quiz><question type="multichoice"><name><text>Partiel</text></name><questiontext><text>?</text>'
            b'</questiontext><single>true</single><answer fraction="50"><text>A</text></answer>'
            b'<answer fraction="100"><text>B</text></answer></question></quiz>',
            "Question 1 « Partiel », réponse 1 : le crédit partiel",
        ),
        (
            b'<quiz><question type="shortanswer"><name><text>Joker</text></name><questiontext><text>?</text>'
            b'</questiontext><answer fraction="100"><text>intelli*</text></answer></question></quiz>',
            "Question 1 « Joker », réponse 1 : le joker * n'est pas pris en charge",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(moodle_xml.MoodleXMLError) as caught:
        import_moodle_questions(data=data, locale=fr())
    assert message in " ".join(caught.value.errors).replace("\xa0", " ")
    assert Question.objects.count() == 0


def test_management_commands_import_and_export(tmp_path, capsys):
    call_command("import_questions", str(DATA / "moodle_all_types.xml"), "--language", "fr")
    out = capsys.readouterr().out
    assert "8 question(s) imported." in out
    assert "NOT imported (unsupported Moodle type essay): question 9 “Rédaction : usage en classe”" in out
    target = tmp_path / "bank.xml"
    call_command("export_questions", str(target), "--type", "matching")
    exported = target.read_text()
    assert exported.count("<question ") == 1 and 'type="matching"' in exported
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<quiz><question")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", str(bad))
    assert Question.objects.count() == 8
