import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from organization.models import Agency, OrgUnit, Position
from personnel import rules
from personnel.models import Employee


def agencies_with_headcount(actor):
    """Agencies the actor may see, with the number of active employees in each (one query)."""
    return (
        Agency.objects.visible_to(actor)
        .select_related("province", "regency")
        .annotate(headcount=Count("employees", filter=Q(employees__status="active")))
        .order_by("kind", "name")
    )


def unit_tree(agency: Agency):
    """The agency's units as nested (unit, children, headcount) in two queries."""
    units = list(OrgUnit.objects.filter(agency=agency).order_by("path"))
    counts = dict(
        Employee.objects.filter(agency=agency, status="active")
        .values("current_unit")
        .annotate(n=Count("id"))
        .values_list("current_unit", "n")
    )
    children = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u)

    def build(parent_id):
        out = []
        for u in sorted(children[parent_id], key=lambda x: (x.kind != "sekretariat", x.name)):
            sub = build(u.id)
            total = counts.get(u.id, 0) + sum(node["total"] for node in sub)
            out.append({"unit": u, "children": sub, "own": counts.get(u.id, 0), "total": total})
        return out

    return build(None)


def agency_overview(agency: Agency, *, today: datetime.date | None = None, using: str = "default") -> dict:
    """Headcounts by rank, position type, gender, age band, education; retirements in five years."""
    today = today or timezone.localdate()
    active = Employee.objects.using(using).filter(agency=agency, status="active")
    by = lambda field: list(active.values(field).annotate(n=Count("id")).order_by(field))  # noqa: E731
    ranks = list(
        active.values("current_rank__code", "current_rank__scheme", "current_rank__order")
        .annotate(n=Count("id"))
        .order_by("current_rank__scheme", "current_rank__order")
    )
    ages = Counter()
    for birth in active.values_list("birth_date", flat=True).iterator(chunk_size=5000):
        ages[rules.age_band(rules.age_on(birth, today))] += 1
    horizon = (
        datetime.date(today.year + 5, today.month, today.day)
        if not (today.month == 2 and today.day == 29)
        else datetime.date(today.year + 5, 2, 28)
    )
    retiring = active.filter(retirement_date__gt=today, retirement_date__lte=horizon)
    per_year = Counter(d.year for d in retiring.values_list("retirement_date", flat=True))
    return {
        "total": active.count(),
        "ranks": ranks,
        "position_types": by("current_position_type"),
        "genders": by("gender"),
        "types": by("employee_type"),
        "education": list(
            active.values("current_education__name", "current_education__order")
            .annotate(n=Count("id"))
            .order_by("current_education__order")
        ),
        "age_bands": [(label, ages.get(label, 0)) for _lo, _hi, label in rules.AGE_BANDS],
        "retire_per_year": [(y, per_year.get(y, 0)) for y in range(today.year, today.year + 6)],
        "retiring": retiring.select_related("current_position", "current_rank", "current_unit").order_by(
            "retirement_date"
        )[:200],
        "retiring_count": retiring.count(),
        "horizon": horizon,
        "positions": Position.objects.using(using).filter(agency=agency).count(),
        "units": OrgUnit.objects.using(using).filter(agency=agency).count(),
    }
