from django.tasks import task

from learning import allocation


@task()
def solve_allocation(run_id: int) -> None:
    """Compute a queued optimal allocation (AllocationRun) with the solver's time limit."""
    allocation.run_solve(run_id)
