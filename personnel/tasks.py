from django.tasks import task

from personnel.importing import jobs


@task()
def validate_import(job_id: int) -> None:
    jobs.import_job_validate(job_id)


@task()
def commit_import(job_id: int, user_id: int) -> None:
    jobs.import_job_run_commit(job_id, user_id)


@task()
def refresh_due() -> int:
    """Daily: re-derive current rank and position where a history row took effect today."""
    from personnel.services import employees_refresh_due

    return employees_refresh_due()
