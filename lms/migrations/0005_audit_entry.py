"""The audit log's model moves from `privacy` to `lms` (so that every app may write to it): the table
`privacy_auditentry` and its rows stay as they are; only Django's state changes (with privacy 0003). The content type
is renamed too, so that the permission `view_auditentry` granted to groups and people stays theirs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="auditentry").exists():
        ContentType.objects.using(db).filter(app_label=old, model="auditentry").update(app_label=new)


def forwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="privacy", new="lms")


def backwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="lms", new="privacy")


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0004_sso_identity"),
        ("privacy", "0002_data_export"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                        ("actor_label", models.CharField(blank=True, max_length=100, verbose_name="who (as recorded)")),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("report_view", "viewed a report"),
                                    ("report_export", "exported a report"),
                                    ("data_export", "downloaded their data"),
                                    ("erasure_requested", "erasure requested"),
                                    ("erasure_completed", "erasure completed"),
                                    ("retention", "retention applied"),
                                ],
                                max_length=30,
                                verbose_name="action",
                            ),
                        ),
                        (
                            "subject_id",
                            models.PositiveBigIntegerField(
                                blank=True, null=True, verbose_name="account concerned (id)"
                            ),
                        ),
                        ("detail", models.JSONField(blank=True, default=dict, verbose_name="filters and figures")),
                        ("row_count", models.PositiveIntegerField(blank=True, null=True, verbose_name="rows")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "db_table": "privacy_auditentry",
                        "ordering": ["-at"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
