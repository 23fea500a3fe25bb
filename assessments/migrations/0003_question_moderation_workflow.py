"""Questions go through the same moderation workflow as pages ("Moderators approval", Wagtail's default)."""

from django.db import migrations


def assign_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Page = apps.get_model("wagtailcore", "Page")

    root = Page.objects.filter(depth=1).first()
    link = WorkflowPage.objects.filter(page=root).select_related("workflow").first() if root else None
    workflow = link.workflow if link else Workflow.objects.filter(active=True).order_by("pk").first()
    if workflow is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="question")
    WorkflowContentType.objects.get_or_create(content_type=content_type, defaults={"workflow": workflow})


def unassign_workflow(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(content_type__app_label="assessments", content_type__model="question").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_question_owner_drafts_workflow"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(assign_workflow, unassign_workflow)]
