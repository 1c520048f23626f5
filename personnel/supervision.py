"""Who supervises whom, on any date, from the position tree and the assignments.

The direct supervisor (atasan langsung) of an employee is whoever holds the parent of the
employee's definitive position on that date: the definitive holder, else a Plt, else a Plh. When
the employee is himself the acting holder of that parent, the search goes one level higher. A
position marked ``reports_to_head`` answers to the agency's head (Gubernur, Bupati, Menteri),
outside the registry. Anything else is a problem with a name and someone who must fix it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organization.models import Position
from personnel.choices import AssignmentKind
from personnel.models import Assignment, Employee

KIND_PRIORITY = {AssignmentKind.DEFINITIVE: 0, AssignmentKind.PLT: 1, AssignmentKind.PLH: 2}


@dataclass
class Link:
    """One step up the chain: a supervisor, or the reason there is none."""

    employee_id: int | None = None
    position_id: int | None = None
    kind: str = ""
    external: str = ""  # the agency head's title when the chain leaves the registry
    problem: str = ""  # no_position | no_parent | parent_vacant | parent_inactive
    problem_position_id: int | None = None

    @property
    def resolved(self) -> bool:
        return not self.problem


PROBLEM_TEXT = {
    "no_position": lambda p: _(
        "Pegawai belum punya jabatan definitif yang berlaku: admin kepegawaian mencatat riwayat jabatannya."
    ),
    "no_parent": lambda p: (
        _("Jabatan “%(pos)s” tidak punya jabatan atasan: admin kepegawaian menetapkan jabatan atasannya.") % {"pos": p}
    ),
    "parent_vacant": lambda p: (
        _(
            "Jabatan atasan “%(pos)s” kosong tanpa Plt/Plh: pejabat pembina kepegawaian menunjuk pejabat definitif atau Plt/Plh, dan admin kepegawaian mencatatnya."
        )
        % {"pos": p}
    ),
    "parent_inactive": lambda p: (
        _("Jabatan atasan “%(pos)s” sudah tidak aktif: admin kepegawaian memperbaiki jabatan atasan.") % {"pos": p}
    ),
}


@dataclass
class Snapshot:
    """Positions and who holds them on one day, for one agency or for a few positions."""

    day: datetime.date
    positions: dict[int, Position] = field(default_factory=dict)
    holders: dict[int, list[tuple[int, int, datetime.date]]] = field(default_factory=lambda: defaultdict(list))
    definitive: dict[int, int] = field(default_factory=dict)  # employee id -> definitive position id

    def add_assignments(self, rows):
        for employee_id, position_id, kind, tmt in rows:
            self.holders[position_id].append((KIND_PRIORITY[kind], employee_id, tmt))
            if kind == AssignmentKind.DEFINITIVE:
                prev = self.definitive.get(employee_id)
                # Two definitive posts at once is a data error; the most recent one wins.
                if prev is None or tmt >= prev[1]:
                    self.definitive[employee_id] = (position_id, tmt)
        for lst in self.holders.values():
            lst.sort()

    def holder(self, position_id: int, *, besides: int | None) -> tuple[int, str] | None:
        for prio, emp, _tmt in self.holders.get(position_id, ()):
            if emp != besides:
                return emp, [AssignmentKind.DEFINITIVE, AssignmentKind.PLT, AssignmentKind.PLH][prio]
        return None

    def position_of(self, employee_id: int) -> int | None:
        hit = self.definitive.get(employee_id)
        return hit[0] if hit else None

    def supervisor_of(self, employee_id: int, position_id: int | None = None) -> Link:
        position_id = position_id or self.position_of(employee_id)
        if position_id is None:
            return Link(problem="no_position")
        pos = self.positions[position_id]
        seen = {position_id}
        while True:
            if pos.reports_to_head:
                return Link(external=pos.agency.head_title or _("Pejabat Pembina Kepegawaian"))
            if pos.parent_id is None:
                return Link(problem="no_parent", problem_position_id=pos.id)
            parent = self.positions[pos.parent_id]
            if not parent.is_active:
                return Link(problem="parent_inactive", problem_position_id=parent.id)
            found = self.holder(parent.id, besides=employee_id)
            if found:
                return Link(employee_id=found[0], position_id=parent.id, kind=found[1])
            if any(emp == employee_id for _p, emp, _t in self.holders.get(parent.id, ())):
                # The employee acts in the parent post himself: his supervisor is one level higher.
                pos = parent
                if pos.id in seen:
                    return Link(problem="no_parent", problem_position_id=pos.id)
                seen.add(pos.id)
                continue
            return Link(problem="parent_vacant", problem_position_id=parent.id)


def _assignment_rows(day: datetime.date, q: Q):
    return (
        Assignment.objects.effective_on(day)
        .filter(q, employee__status="active")
        .values_list("employee_id", "position_id", "kind", "tmt")
    )


def agency_snapshot(agency_id: int, day: datetime.date | None = None) -> Snapshot:
    """Load an agency's whole tree and its holders in three queries."""
    day = day or timezone.localdate()
    snap = Snapshot(day=day)
    snap.positions = {p.id: p for p in Position.objects.filter(agency_id=agency_id).select_related("agency", "unit")}
    snap.add_assignments(_assignment_rows(day, Q(position__agency_id=agency_id)))
    return snap


def employee_snapshot(employee: Employee, day: datetime.date | None = None) -> Snapshot:
    """Load just the employee's ancestor positions and their holders (a few small queries)."""
    day = day or timezone.localdate()
    snap = Snapshot(day=day)
    own = list(_assignment_rows(day, Q(employee=employee)))
    ids = {pid for _e, pid, _k, _t in own}
    paths = Position.objects.filter(id__in=ids).values_list("path", flat=True)
    ancestor_ids = {int(x) for path in paths for x in path.strip("/").split("/") if x}
    snap.positions = {p.id: p for p in Position.objects.filter(id__in=ancestor_ids).select_related("agency", "unit")}
    snap.add_assignments(_assignment_rows(day, Q(position_id__in=ancestor_ids)))
    return snap


@dataclass
class ChainStep:
    employee: Employee | None
    position: Position | None
    kind: str
    external: str = ""
    problem: str = ""
    problem_text: str = ""


def supervisor_chain(employee: Employee, day: datetime.date | None = None, *, limit: int = 12) -> list[ChainStep]:
    """The chain from the employee's direct supervisor up to the agency head, or to the first gap."""
    snap = employee_snapshot(employee, day)
    steps, current, seen = [], employee.pk, set()
    pos_id = None
    for _step in range(limit):
        link = snap.supervisor_of(current, pos_id)
        if not link.resolved:
            pos = snap.positions.get(link.problem_position_id) if link.problem_position_id else None
            steps.append(ChainStep(None, pos, "", problem=link.problem, problem_text=PROBLEM_TEXT[link.problem](pos)))
            break
        if link.external:
            steps.append(ChainStep(None, None, "", external=link.external))
            break
        if link.employee_id in seen:
            break
        seen.add(link.employee_id)
        steps.append(ChainStep(link.employee_id, snap.positions[link.position_id], link.kind))
        current, pos_id = link.employee_id, link.position_id
    people = Employee.objects.in_bulk([s.employee for s in steps if s.employee])
    for s in steps:
        if s.employee:
            s.employee = people[s.employee]
    return steps


def direct_supervisor(employee: Employee, day: datetime.date | None = None) -> Link:
    return employee_snapshot(employee, day).supervisor_of(employee.pk)


def supervised_position_paths(employee: Employee, day: datetime.date | None = None) -> tuple[str, ...]:
    """Paths of the posts under every post the employee holds today (definitive or acting)."""
    day = day or timezone.localdate()
    held = Assignment.objects.effective_on(day).filter(employee=employee).values("position_id")
    return tuple(Position.objects.filter(parent_id__in=held).values_list("path", flat=True))


@dataclass
class WorkItem:
    kind: str  # vacant_position | unresolved_supervisor
    position: Position | None
    employee: Employee | None
    text: str
    acting: str = ""


def supervision_worklist(agency_id: int, day: datetime.date | None = None) -> dict[str, list[WorkItem]]:
    """Positions with no holder, and employees whose supervisor cannot be resolved, with who fixes what."""
    snap = agency_snapshot(agency_id, day)
    vacant = []
    for pos in snap.positions.values():
        if not pos.is_active:
            continue
        holders = snap.holders.get(pos.id, [])
        definitive = sum(1 for prio, _e, _t in holders if prio == 0)
        if definitive < pos.capacity:
            acting = [
                AssignmentKind.PLT.label if prio == 1 else AssignmentKind.PLH.label for prio, _e, _t in holders if prio
            ]
            has_children = any(p.parent_id == pos.id for p in snap.positions.values())
            if has_children and not acting and definitive == 0:
                text = _("Kosong dan membawahi jabatan lain: tunjuk pejabat definitif atau Plt/Plh.")
            else:
                text = _("Terisi %(n)s dari %(cap)s kebutuhan.") % {"n": definitive, "cap": pos.capacity}
            vacant.append(WorkItem("vacant_position", pos, None, text, ", ".join(str(a) for a in acting)))
    employees = Employee.objects.filter(agency_id=agency_id).active().select_related("current_position")
    unresolved = []
    for emp in employees:
        link = snap.supervisor_of(emp.pk)
        if not link.resolved:
            pos = snap.positions.get(link.problem_position_id) if link.problem_position_id else None
            unresolved.append(WorkItem(link.problem, pos, emp, PROBLEM_TEXT[link.problem](pos)))
    vacant.sort(key=lambda w: (w.acting != "", w.position.path))
    unresolved.sort(key=lambda w: (w.kind, w.employee.name))
    return {"vacant": vacant, "unresolved": unresolved}
