"""Aspect 1 of the UNESCO framework takes the wording of UNESCO's French edition (2025): « Approche de l'IA centrée sur
l'humain » (0002 had written « État d'esprit centré sur l'humain »). An item an editor has already relabelled is left
alone; the framework's last change moves so that CASE consumers see the update."""

import datetime as dt

from django.db import migrations

CODE = "unesco-aicft-2024"
OLD = "État d'esprit centré sur l'humain"
NEW = "Approche de l'IA centrée sur l'humain"
CHANGED = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)


def relabel(apps, schema_editor, old=OLD, new=NEW):
    Framework = apps.get_model("competencies", "Framework")
    Item = apps.get_model("competencies", "CompetencyItem")
    updated = Item.objects.filter(framework__code=CODE, code="1", label_fr=old).update(
        label_fr=new, last_change_date_time=CHANGED
    )
    if updated:
        Framework.objects.filter(code=CODE).update(last_change_date_time=CHANGED)


def restore(apps, schema_editor):
    relabel(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("competencies", "0004_merge_20261202_0511")]
    operations = [migrations.RunPython(relabel, restore)]
