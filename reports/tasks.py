"""Background jobs on the project's own ``jobs`` backend (``manage.py db_worker --backend jobs``)."""

from django.tasks import task


@task(backend="jobs")
def run_export_job(job_id: int) -> None:
    from .services import run_job  # cycle: reports.services imports this module to enqueue the task

    run_job(job_id=job_id)
