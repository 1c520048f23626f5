from django.utils import timezone

from personnel import rules
from personnel.models import Employee, ImportJob
from personnel.supervision import supervisor_chain


def employee_list_qs(actor):
    """Employees for the list page, with what each row shows joined in (no N+1)."""
    return Employee.objects.visible_to(actor).select_related(
        "agency", "current_rank", "current_position", "current_unit"
    )


def employee_profile(employee: Employee) -> dict:
    """Everything the profile page shows: histories, supervisor chain, service years, retirement."""
    today = timezone.localdate()
    years, months = rules.years_months(employee.tmt_appointment, today)
    return {
        "employee": employee,
        "ranks": employee.rank_history.select_related("rank").order_by("-tmt"),
        "assignments": employee.assignments.select_related("position", "position__unit").order_by("-tmt"),
        "education": employee.education_history.select_related("level").order_by("-tmt"),
        "chain": supervisor_chain(employee, today),
        "service_years": years,
        "service_months": months,
        "age": rules.age_on(employee.birth_date, today),
        "bup": rules.retirement_age(
            employee.current_position.level if employee.current_position else None,
            on=today,
            override=employee.current_position.retirement_age_override if employee.current_position else None,
        ),
    }


def import_jobs_visible_to(actor):
    qs = ImportJob.objects.all()
    if actor.write_agency_ids is None:
        return qs
    return qs.filter(agency_id__in=actor.write_agency_ids)
