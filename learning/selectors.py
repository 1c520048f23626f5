"""Reads of competency development: held levels and gaps, the JP ledger and compliance by employee, unit,
agency and region, who is at risk by month, budget use and the effectiveness of programmes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core.params import rule_param
from learning import rules
from learning.choices import CLOSED_STATUSES, AssessmentSource, EnrollmentStatus, FollowUp
from learning.models import (
    CompetencyAssessment,
    CompetencyStandard,
    Enrollment,
    JpEntry,
    Program,
    ProgramCompetency,
    TrainingBudget,
)
from organization.models import Agency, OrgUnit, Province
from personnel.choices import EmployeeType

TRUST = {s: i for i, s in enumerate(AssessmentSource.values)}  # assessment centre first


def held_levels(employee_ids: list[int]) -> dict[tuple[int, int], int]:
    """(employee, competency) → the level held: the latest result, the more trusted source on the same day."""
    best: dict[tuple[int, int], tuple] = {}
    rows = CompetencyAssessment.objects.filter(employee_id__in=employee_ids).values_list(
        "employee_id", "competency_id", "level", "source", "assessed_on"
    )
    for emp, comp, level, source, on in rows:
        key = (emp, comp)
        rank = (on, -TRUST[source])
        if key not in best or rank > best[key][0]:
            best[key] = (rank, level)
    return {k: v[1] for k, v in best.items()}


@dataclass
class Gap:
    competency: object
    required: int
    held: int | None
    programs: list = field(default_factory=list)

    @property
    def gap(self) -> int | None:
        return rules.gap(self.required, self.held)


def employee_gaps(employee) -> list[Gap]:
    """The employee's standards with held levels and the programmes that reach the required level, largest gap first."""
    standards = list(
        CompetencyStandard.objects.filter(position_id=employee.current_position_id).select_related("competency")
    )
    held = held_levels([employee.pk])
    comps = [s.competency_id for s in standards]
    programs: dict[int, list[Program]] = defaultdict(list)
    for pc in ProgramCompetency.objects.filter(competency_id__in=comps, program__active=True).select_related("program"):
        programs[pc.competency_id].append((pc.level, pc.program))
    out = []
    for s in standards:
        fitting = [
            p
            for level, p in sorted(programs[s.competency_id], key=lambda x: (-x[0], x[1].cost_per_participant))
            if level >= s.required_level
        ]
        out.append(Gap(s.competency, s.required_level, held.get((employee.pk, s.competency_id)), fitting))
    out.sort(key=lambda g: (-(g.gap if g.gap is not None else -99), g.competency.code))
    return out


# --- A year's JP: one definition (rules.year_jp), one expression for every query -------------------------


def minutes_per_jp(on: datetime.date) -> int:
    """The length of one JP on a date (RULES.md §6: 45 minutes, W — kept as a rule parameter)."""
    return int(rule_param("learning.minutes_per_jp", on=on, default=rules.MINUTES_PER_JP))


def year_minutes_per_jp(year: int) -> int:
    """The JP length a year's JP is counted with: the one in force on 31 December of that year."""
    return minutes_per_jp(rules.year_end(year))


def counts_in_year(year: int, event: str = "event") -> Q:
    """Events whose JP and cost belong to ``year`` (rules.ledger_year and rules.budget_year: the year the
    event ends); ``event`` is the path to the event, "" for TrainingEvent itself."""
    return Q(**{f"{event}__ends_on__year" if event else "ends_on__year": year})


class JpField(IntegerField):
    """A year's JP as the database computes it (``year_jp``): whole hundredths in SQL, so SQLite and
    PostgreSQL compare, add and order it exactly alike; a Decimal with two places in Python. A value
    compared with it in a lookup (``jp__lt=20``) is turned into hundredths too."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else rules.jp_from_hundredths(int(value))

    def get_prep_value(self, value):
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def year_jp(minutes, minutes_per_jp: int) -> ExpressionWrapper:
    """rules.year_jp in SQL: ``minutes`` (an integer expression, e.g. a year's Sum of JpEntry.minutes) to
    the year's JP, in hundredths (200·m + L) / 2L — integers and integer division on SQLite and PostgreSQL
    alike (both truncate an integer quotient), so no float sum and no rounding of a decimal ever enters.
    ``minutes_per_jp`` is L for the year (year_minutes_per_jp)."""
    per_jp = int(minutes_per_jp)
    if per_jp <= 0:
        raise ValueError("a JP longer than 0")
    return ExpressionWrapper((minutes * Value(200) + Value(per_jp)) / Value(2 * per_jp), output_field=JpField())


def year_minutes(year: int, relation: str = "jp_entries") -> Coalesce:
    """For an Employee queryset: the minutes booked to ``year`` in the ledger (0 without any)."""
    return Coalesce(Sum(f"{relation}__minutes", filter=Q(**{f"{relation}__year": year})), 0)


def employee_year_jp(year: int, minutes_per_jp: int) -> ExpressionWrapper:
    """For an Employee queryset: the employee's JP of ``year`` (``year_jp`` of ``year_minutes``)."""
    return year_jp(year_minutes(year), minutes_per_jp)


def jp_of_year(employee_id: int, year: int, *, plus_minutes: int = 0, minutes_per_jp: int | None = None) -> Decimal:
    """The employee's JP of a year; with ``plus_minutes`` of learning not booked yet counted in the same sum
    (``minutes_per_jp``: the year's JP length when the caller has read it already)."""
    per_jp = minutes_per_jp or year_minutes_per_jp(year)
    return JpEntry.objects.filter(employee_id=employee_id, year=year).aggregate(
        jp=year_jp(Coalesce(Sum("minutes"), 0) + Value(int(plus_minutes)), per_jp)
    )["jp"]


def year_total(employee_id: int, year: int) -> dict:
    """The employee's year in the ledger: its minutes, the JP length it is counted with, and its JP."""
    per_jp = year_minutes_per_jp(year)
    total = JpEntry.objects.filter(employee_id=employee_id, year=year).aggregate(
        total=Coalesce(Sum("minutes"), 0), jp=year_jp(Coalesce(Sum("minutes"), 0), per_jp)
    )
    return {"minutes": total["total"], "minutes_per_jp": per_jp, "jp": total["jp"]}


def jp_by_employee(employee_ids, year: int) -> dict[int, Decimal]:
    """The JP of ``year`` of each of the employees with any (``year_jp`` per employee), in one grouped query."""
    per_jp = year_minutes_per_jp(year)
    return dict(
        JpEntry.objects.filter(employee_id__in=employee_ids, year=year)
        .values("employee_id")
        .annotate(jp=year_jp(Sum("minutes"), per_jp))
        .values_list("employee_id", "jp")
        .order_by()
    )


def booked_minutes(seats, minutes_per_jp: int) -> dict[int, int]:
    """Per employee: the minutes ``seats`` (enrolments) will book once completed, each programme's JP in
    minutes as enrollment_complete books them (rules.jp_to_minutes), counted in one grouped query."""
    out: dict[int, int] = defaultdict(int)
    rows = seats.values_list("employee_id", "event__program__jp").annotate(n=Count("pk")).order_by()
    for employee_id, jp, n in rows:
        out[employee_id] += n * rules.jp_to_minutes(jp, minutes_per_jp)
    return dict(out)


def ledger(employee_id: int, year: int):
    return (
        JpEntry.objects.filter(employee_id=employee_id, year=year)
        .select_related("enrollment__event__program")
        .order_by("booked_on", "pk")
    )


GROUPS = {
    "unit": ("current_unit_id", "current_unit__name"),
    "agency": ("agency_id", "agency__name"),
    "region": ("agency__province_id", "agency__province__name"),
}
GROUP_MODELS = {"unit": OrgUnit, "agency": Agency, "region": Province}


def compliance_by(employees, year: int, group: str) -> list[dict]:
    """Per unit, agency or region: PNS counted, how many reached 20 JP, the rate, mean JP; PPPK over 24 JP.

    Counted in the database, one query and one row per group: the caller's employees (its scope and filters
    kept), each with the year's JP (``year_jp`` of the minutes summed over a join that carries the year, so
    other years' entries are never read), counted per group in an outer query with learning.rules'
    thresholds; the group's name is joined once per group. At 4.2 million employees this is as fast as a
    hand-written aggregate (bench/README.md); counting per employee in Python was 5–6× slower."""
    key, _label = GROUPS[group]
    per_employee = (
        employees.annotate(
            ledger=FilteredRelation("jp_entries", condition=Q(jp_entries__year=year)),
            grp=F(key),
            kind=F("employee_type"),
        )
        .values("pk", "grp", "kind")
        .annotate(jp=year_jp(Coalesce(Sum("ledger__minutes"), 0), year_minutes_per_jp(year)))
        .order_by()
    )
    try:
        inner, params = per_employee.query.sql_with_params()
    except EmptyResultSet:  # the caller's scope holds no one (e.g. .none())
        return []
    names = connection.ops.quote_name(GROUP_MODELS[group]._meta.db_table)
    # x.jp is whole hundredths of a JP (year_jp): compared, and added, as integers on both databases. The
    # thresholds are the rules' constants in hundredths, written as numbers.
    minimum, ceiling = int(rules.PNS_MIN_JP * 100), int(rules.PPPK_MAX_JP * 100)
    sql = f"""
        SELECT x.grp, n.name,
               count(*) FILTER (WHERE x.kind <> %s),
               count(*) FILTER (WHERE x.kind <> %s AND x.jp >= {minimum:d}),
               coalesce(sum(x.jp) FILTER (WHERE x.kind <> %s), 0),
               count(*) FILTER (WHERE x.kind = %s),
               count(*) FILTER (WHERE x.kind = %s AND x.jp > {ceiling:d})
        FROM ({inner}) x
        LEFT JOIN {names} n ON n.id = x.grp
        GROUP BY x.grp, n.name
    """
    pppk = EmployeeType.PPPK.value
    with connection.cursor() as cur:
        cur.execute(sql, [pppk, pppk, pppk, pppk, pppk, *params])
        rows = cur.fetchall()
    out = []
    for grp, name, pns, met, jp_sum, n_pppk, over in rows:
        jp_sum = rules.jp_from_hundredths(int(jp_sum))
        out.append(
            {
                "id": grp,
                "name": name,
                "pns": pns,
                "met": met,
                "jp_sum": jp_sum,
                "pppk": n_pppk,
                "pppk_over": over,
                "rate": met / pns if pns else None,
                "mean_jp": jp_sum / pns if pns else None,
            }
        )
    return sorted(out, key=lambda g: (g["rate"] if g["rate"] is not None else 2, str(g["name"])))


def at_risk(employees, year: int, today: datetime.date, *, minutes_per_jp: int | None = None) -> list[dict]:
    """PNS behind the pace to 20 JP this month whose booked seats for the rest of the year do not cover the
    shortfall. The year's JP with the seats counted in is one rules.year_jp of all the minutes together;
    ``booked`` is what the seats add to it. ``minutes_per_jp``: the year's JP length when the caller has it."""
    month = today.month if today.year == year else (12 if today.year > year else 1)
    per_jp = minutes_per_jp or year_minutes_per_jp(year)
    done = employees.filter(employee_type__in=["pns", "cpns"]).annotate(
        minutes=year_minutes(year), jp=employee_year_jp(year, per_jp)
    )
    ahead = booked_minutes(
        Enrollment.objects.filter(
            counts_in_year(year),
            employee__in=employees,
            status=EnrollmentStatus.ENROLLED,
            event__ends_on__gte=today,
        ),
        per_jp,
    )
    out = []
    for e in done.select_related("current_unit").order_by("jp", "name"):
        booked = rules.year_jp(e.minutes + ahead.get(e.pk, 0), per_jp) - e.jp
        if rules.at_risk(e.jp, booked, month, e.employee_type):
            out.append({"employee": e, "jp": e.jp, "booked": booked, "short": rules.PNS_MIN_JP - e.jp - booked})
    return out


def gap_heatmap(employees, group: str) -> dict:
    """Mean positive gap per competency and group (unit, agency or region), with the number assessed."""
    key, label = GROUPS[group]
    emp_rows = {
        pk: (g, name, pos) for pk, g, name, pos in employees.values_list("pk", key, label, "current_position_id")
    }
    standards = defaultdict(list)
    for pos, comp, level in CompetencyStandard.objects.filter(
        position_id__in={v[2] for v in emp_rows.values()}
    ).values_list("position_id", "competency_id", "required_level"):
        standards[pos].append((comp, level))
    held = held_levels(list(emp_rows))
    cells: dict = defaultdict(lambda: [0, 0])
    groups, comps = {}, set()
    for emp, (g, name, pos) in emp_rows.items():
        groups[g] = name
        for comp, required in standards.get(pos, ()):
            h = held.get((emp, comp))
            if h is None:
                continue
            comps.add(comp)
            cell = cells[(g, comp)]
            cell[0] += max(0, required - h)
            cell[1] += 1
    from learning.models import Competency

    names = dict(Competency.objects.filter(pk__in=comps).values_list("pk", "code"))
    matrix = {k: round(v[0] / v[1], 2) for k, v in cells.items() if v[1]}
    columns = sorted(comps, key=lambda c: -sum(matrix.get((g, c), 0) for g in groups))
    return {
        "groups": sorted(groups.items(), key=lambda x: str(x[1])),
        "competencies": [(c, names[c]) for c in columns],
        "cells": matrix,
    }


def _use_by(seats, key: str) -> dict:
    """Committed (enrolled) and spent (completed or not) cost of the seats per ``key``, as
    services.budget_position counts them: {key: (committed, spent)} in one grouped query."""
    rows = (
        seats.values(key)
        .annotate(
            committed=Sum("cost", filter=Q(status=EnrollmentStatus.ENROLLED)),
            spent=Sum("cost", filter=Q(status__in=CLOSED_STATUSES)),
        )
        .order_by()
    )
    return {r[key]: (r["committed"] or Decimal(0), r["spent"] or Decimal(0)) for r in rows}


def _budget_row(amount, use: tuple[Decimal, Decimal] | None, **label) -> dict:
    committed, spent = use or (Decimal(0), Decimal(0))
    available = None if amount is None else amount - committed - spent
    return label | {"amount": amount, "committed": committed, "spent": spent, "available": available}


def budget_by_agency(agency_ids: list[int] | None, year: int) -> list[dict]:
    """Per agency with a ceiling or a seat this year (None: every agency): ceiling, committed (enrolled), spent
    (completed or not) and what is left, as services.budget_position counts them, in two grouped queries."""
    budgets = TrainingBudget.objects.filter(year=year, unit__isnull=True)
    seats = Enrollment.objects.filter(counts_in_year(year))
    if agency_ids is not None:
        budgets = budgets.filter(agency_id__in=agency_ids)
        seats = seats.filter(event__agency_id__in=agency_ids)
    ceiling = dict(budgets.values_list("agency_id", "amount"))
    use = _use_by(seats, "event__agency_id")
    ids = set(ceiling) | set(use)
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    out = [_budget_row(ceiling.get(pk), use.get(pk), agency_id=pk, agency=names.get(pk, "")) for pk in ids]
    return sorted(out, key=lambda r: str(r["agency"]))


def budget_by_unit(agency_id: int, year: int) -> list[dict]:
    """The unit ceilings of one agency with what its units' employees hold (services.budget_position per unit)."""
    budgets = list(
        TrainingBudget.objects.filter(agency_id=agency_id, year=year, unit__isnull=False)
        .select_related("unit")
        .order_by("unit__path")
    )
    if not budgets:
        return []
    seats = Enrollment.objects.filter(
        counts_in_year(year),
        event__agency_id=agency_id,
        employee__current_unit_id__in=[b.unit_id for b in budgets],
    )
    use = _use_by(seats, "employee__current_unit_id")
    return [_budget_row(b.amount, use.get(b.unit_id), unit=b.unit.name) for b in budgets]


def effectiveness(
    agency_ids: list[int] | None = None, year: int | None = None, *, per_agency: bool = False
) -> list[dict]:
    """Per programme and provider (and per agency holding the event, with ``per_agency``): participants,
    completion rate, mean reaction, mean pre→post gain, and the share of followed-up participants whose
    behaviour changed; one query for any number of agencies (None: every agency)."""
    qs = Enrollment.objects.filter(status__in=CLOSED_STATUSES)
    if agency_ids is not None:
        qs = qs.filter(event__agency_id__in=agency_ids)
    if year is not None:
        qs = qs.filter(counts_in_year(year))
    group = ["event__program_id", "event__program__title", "event__program__provider"]
    order = ["event__program__title", "event__program_id"]
    if per_agency:
        group = ["event__agency_id", "event__agency__name", *group]
        order = ["event__agency__name", "event__agency_id", *order]
    rows = (
        qs.values(*group)
        .annotate(
            participants=Count("pk"),
            completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
            reaction=Avg(
                (
                    F("reaction__relevance")
                    + F("reaction__material")
                    + F("reaction__facilitator")
                    + F("reaction__organisation")
                )
                / 4.0
            ),
            gain=Avg(F("post_score") - F("pre_score")),
            followed=Count("follow_up"),
            changed=Count("follow_up", filter=Q(follow_up__outcome__in=[FollowUp.CHANGED, FollowUp.PARTLY])),
        )
        .order_by(*order)
    )
    out = []
    for r in rows:
        row = {"agency_id": r["event__agency_id"], "agency": r["event__agency__name"]} if per_agency else {}
        out.append(
            row
            | {
                "program_id": r["event__program_id"],
                "program": r["event__program__title"],
                "provider": r["event__program__provider"],
                "participants": r["participants"],
                "completion": r["completed"] / r["participants"],
                "reaction": r["reaction"],
                "gain": r["gain"],
                "followed": r["followed"],
                "changed": r["changed"] / r["followed"] if r["followed"] else None,
            }
        )
    return out
