"""Background tasks (django-tasks; a worker runs `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def harvest_task(run_id: int) -> None:
    """Carry out a queued harvest run."""
    from .harvest import run_harvest

    run_harvest(run_id)


@task()
def check_links_task(dataset_ids: list[int]) -> int:
    """Check the access and download URLs of these datasets' distributions."""
    from .linkcheck import check_links

    return check_links(dataset_ids)
