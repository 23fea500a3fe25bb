"""The audit log's model now belongs to `lms` (lms 0005): Django forgets it here; its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_data_export"),
        ("lms", "0005_audit_entry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
