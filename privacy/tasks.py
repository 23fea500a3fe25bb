from django.tasks import task


@task(backend="jobs")
def build_data_export(export_id: int) -> None:
    from .export import build_data_export_file  # cycle: privacy.export enqueues this task

    build_data_export_file(export_id=export_id)
