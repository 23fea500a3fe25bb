"""The national catalogue belongs to the national editors; coordinators keep only `change_page` there (a proposal:
a draft they submit for moderation). Same rule as `courses.permissions.grant_national`, for existing databases."""

from django.db import migrations

NATIONAL_EDITORS = "Éditeurs nationaux"
COORDINATORS = "Coordinateurs de formation"
EDITOR_CODENAMES = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
PROPOSAL_CODENAMES = ("change_page",)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CataloguePage = apps.get_model("courses", "CataloguePage")

    national = list(CataloguePage.objects.filter(academie__isnull=True).values_list("pk", flat=True))
    if not national:
        return
    editors, _ = Group.objects.get_or_create(name=NATIONAL_EDITORS)
    for codename in EDITOR_CODENAMES:
        permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
        if permission is None:
            continue
        for page_id in national:
            GroupPagePermission.objects.get_or_create(group=editors, page_id=page_id, permission=permission)
    coordinators = Group.objects.filter(name=COORDINATORS).first()
    if coordinators is not None:
        GroupPagePermission.objects.filter(group=coordinators, page_id__in=national).exclude(
            permission__codename__in=PROPOSAL_CODENAMES
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_course_pages_and_progress"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
