"""Answers already recorded from positioning (diagnostic) quizzes become "positioning" evidence, which never counts
towards a secured competency (before this, a low positioning score blocked a competency for good)."""

from django.db import migrations


def forwards(apps, schema_editor):
    QuizPage = apps.get_model("assessments", "QuizPage")
    Evidence = apps.get_model("competencies", "Evidence")
    keys = {str(k) for k in QuizPage.objects.filter(kind="positioning").values_list("translation_key", flat=True)}
    if keys:
        Evidence.objects.filter(kind="answer", source_key__in=keys).update(kind="positioning")


def backwards(apps, schema_editor):
    Evidence = apps.get_model("competencies", "Evidence")
    Evidence.objects.filter(kind="positioning").update(kind="answer")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("competencies", "0003_evidence_kind_positioning"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
