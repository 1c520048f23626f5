"""Open selection for senior (JPT) posts: the committee declares conflicts of interest, scores each stage
on its own without seeing the others first, scores never change, and the best three are proposed."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from core.audit import audit_log, entry_for
from core.errors import DomainError
from recruitment.models import OpenSelection, SelectionCandidate, SelectionMember, SelectionStage, StageScore

DEFAULT_STAGES = (
    ("Seleksi administrasi", 10),
    ("Penilaian kompetensi (assessment center)", 30),
    ("Penulisan makalah", 15),
    ("Wawancara", 30),
    ("Penelusuran rekam jejak", 15),
)
THOUSANDTH = Decimal("0.001")
HUNDREDTH = Decimal("0.01")
MIN_MEMBERS = 3
MIN_CANDIDATES = 3
PROPOSED = 3  # the best three go to the appointing official (PPK)


# --- who sees what -------------------------------------------------------------------------------------------


def committee_agency_ids(actor) -> frozenset | None:
    """Agencies whose open selections the actor oversees (admin or selection committee); None: every agency."""
    if actor.write_agency_ids is None:
        return None
    ids = set(actor.write_agency_ids)
    if Role.SELECTION_COMMITTEE in actor.roles and actor.user is not None:
        ids |= set(
            actor.user.role_assignments.filter(role=Role.SELECTION_COMMITTEE).values_list("agency_id", flat=True)
        )
    return frozenset(ids)


def selections_visible_to(actor) -> QuerySet:
    """Selections of the agencies the actor oversees, and those whose committee the actor sits on."""
    if not actor.is_authenticated:
        return OpenSelection.objects.none()
    ids = committee_agency_ids(actor)
    if ids is None:
        return OpenSelection.objects.all()
    mine = SelectionMember.objects.filter(user=actor.user).values("selection_id")
    return OpenSelection.objects.filter(Q(agency_id__in=ids) | Q(pk__in=mine))


def access_selection(actor, selection_id: int, *, for_write: bool = False) -> OpenSelection:
    """The selection if the actor may see it (404 otherwise); 403 for a change they may not make."""
    selection = selections_visible_to(actor).select_related("agency").filter(pk=selection_id).first()
    if selection is None:
        raise Http404
    if for_write and not actor.can_write_agency(selection.agency_id):
        raise PermissionDenied(_("Seleksi terbuka dikelola oleh admin kepegawaian instansi."))
    return selection


def can_oversee(actor, selection: OpenSelection) -> bool:
    """Admins and the selection committee of the agency follow the progress (not the members' desks)."""
    ids = committee_agency_ids(actor)
    return ids is None or selection.agency_id in ids


# --- setting up ----------------------------------------------------------------------------------------------


def _check_stages(stages) -> None:
    for name, weight in stages:
        if not str(name).strip() or not isinstance(weight, int) or weight < 1:
            raise DomainError(_("Setiap tahapan memerlukan nama dan bobot bulat sedikitnya 1%."), field="stages")
    if sum(w for _n, w in stages) != 100:
        raise DomainError(_("Bobot tahapan harus berjumlah 100%."), field="stages")


def _candidate_rows(agency, candidates, existing=()) -> list[SelectionCandidate]:
    """Candidates given as names or as employees of the agency; no name or employee twice."""
    rows, names, employees = [], {c.name.casefold() for c in existing}, {c.employee_id for c in existing} - {None}
    for c in candidates:
        if isinstance(c, str):
            name, employee = c.strip(), None
        else:
            name, employee = c.name, c
            if employee.agency_id != agency.pk:
                raise DomainError(
                    _("Pegawai %(name)s bukan pegawai instansi ini.") % {"name": name}, field="candidates"
                )
            if employee.pk in employees:
                raise DomainError(_("%(name)s sudah menjadi peserta.") % {"name": name}, field="candidates")
            employees.add(employee.pk)
        if not name:
            raise DomainError(_("Nama peserta wajib diisi."), field="candidates")
        if name.casefold() in names:
            raise DomainError(_("%(name)s sudah menjadi peserta.") % {"name": name}, field="candidates")
        names.add(name.casefold())
        rows.append(SelectionCandidate(name=name[:150], employee=employee))
    return rows


def _check_not_candidate(users, candidate_rows) -> None:
    """A candidate does not sit on their own committee."""
    employees = {c.employee_id for c in candidate_rows} - {None}
    if not employees:
        return
    for u in users:
        emp = getattr(u, "employee", None) if hasattr(u, "employee") else None
        if emp is not None and emp.pk in employees:
            raise DomainError(
                _("%(name)s adalah peserta dan tidak dapat menjadi anggota panitia.") % {"name": u}, field="members"
            )


@transaction.atomic
def selection_create(
    *, actor, agency, position_title: str, members: list, candidates: list, stages=DEFAULT_STAGES
) -> OpenSelection:
    """Set up a selection: its stages with weights summing to 100, its committee and its candidates."""
    if not actor.can_write_agency(agency.pk):
        raise PermissionDenied(_("Seleksi terbuka dibentuk oleh admin kepegawaian instansi."))
    stages = [(str(n).strip(), w) for n, w in stages]
    _check_stages(stages)
    if not position_title.strip():
        raise DomainError(_("Jabatan yang diisi wajib diisi."), field="position_title")
    members = list(dict.fromkeys(members))  # the same person once
    if len(members) < MIN_MEMBERS:
        raise DomainError(_("Panitia seleksi sedikitnya tiga orang."), field="members")
    rows = _candidate_rows(agency, candidates)
    if len(rows) < MIN_CANDIDATES:
        raise DomainError(
            _("Seleksi memerlukan sedikitnya tiga peserta agar tiga terbaik dapat diusulkan."), field="candidates"
        )
    _check_not_candidate(members, rows)
    sel = OpenSelection.objects.create(agency=agency, position_title=position_title.strip())
    SelectionStage.objects.bulk_create(
        SelectionStage(selection=sel, name=n, weight=w, order=i) for i, (n, w) in enumerate(stages)
    )
    SelectionMember.objects.bulk_create(SelectionMember(selection=sel, user=u) for u in members)
    for r in rows:
        r.selection = sel
    SelectionCandidate.objects.bulk_create(rows)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            sel,
            "open_selection.create",
            agency_id=agency.pk,
            after={
                "position_title": sel.position_title,
                "stages": [list(s) for s in stages],
                "members": [u.pk for u in members],
                "candidates": [r.name for r in rows],
            },
        ),
    )
    return sel


def _lock_for_change(actor, selection: OpenSelection) -> OpenSelection:
    selection = OpenSelection.objects.select_for_update().get(pk=selection.pk)
    if not actor.can_write_agency(selection.agency_id):
        raise PermissionDenied(_("Seleksi terbuka dikelola oleh admin kepegawaian instansi."))
    if selection.proposed_at:
        raise DomainError(_("Hasil seleksi sudah diusulkan."), code="closed")
    return selection


@transaction.atomic
def candidate_add(*, actor, selection: OpenSelection, name: str = "", employee=None) -> SelectionCandidate:
    """Add a candidate (a name, or an employee of the agency) before any member has declared conflicts."""
    selection = _lock_for_change(actor, selection)
    if selection.members.filter(declared_at__isnull=False).exists():
        raise DomainError(
            _("Peserta tidak dapat ditambah setelah anggota panitia menyatakan konflik kepentingan."), code="declared"
        )
    existing = list(selection.candidates.all())
    (row,) = _candidate_rows(selection.agency, [employee if employee is not None else name], existing)
    _check_not_candidate([m.user for m in selection.members.select_related("user__employee")], [row])
    row.selection = selection
    row.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(
            selection,
            "open_selection.candidate_add",
            agency_id=selection.agency_id,
            after={"candidate": row.pk, "name": row.name, "employee": row.employee_id},
        ),
    )
    return row


@transaction.atomic
def member_add(*, actor, selection: OpenSelection, user) -> SelectionMember:
    """Add a committee member; they declare conflicts and score like every other member."""
    selection = _lock_for_change(actor, selection)
    if selection.members.filter(user=user).exists():
        raise DomainError(_("%(name)s sudah menjadi anggota panitia.") % {"name": user}, field="user")
    _check_not_candidate([user], list(selection.candidates.all()))
    m = SelectionMember.objects.create(selection=selection, user=user)
    audit_log(
        actor=actor.user,
        entry=entry_for(selection, "open_selection.member_add", agency_id=selection.agency_id, after={"user": user.pk}),
    )
    return m


# --- the members' work ---------------------------------------------------------------------------------------


def _member(actor, selection) -> SelectionMember:
    m = SelectionMember.objects.filter(selection=selection, user=actor.user).first() if actor.user else None
    if m is None:
        raise PermissionDenied(_("Hanya anggota panitia seleksi ini yang dapat melakukan ini."))
    return m


def member_of(actor, selection: OpenSelection) -> SelectionMember | None:
    """The actor's seat on this selection's committee, if any."""
    if actor.user is None:
        return None
    return SelectionMember.objects.filter(selection=selection, user=actor.user).first()


@transaction.atomic
def conflicts_declare(
    *, actor, selection: OpenSelection, conflicts: list[SelectionCandidate], note: str = ""
) -> SelectionMember:
    """A member's statement of conflicts of interest (possibly none), once, before any score."""
    m = _member(actor, selection)
    if m.declared_at:
        raise DomainError(_("Pernyataan konflik kepentingan sudah dibuat."), code="declared")
    if any(c.selection_id != selection.pk for c in conflicts):
        raise DomainError(_("Peserta bukan bagian dari seleksi ini."))
    if conflicts and not note.strip():
        raise DomainError(_("Jelaskan hubungan Anda dengan peserta yang Anda nyatakan."), field="note")
    m.declared_at, m.conflict_note = timezone.now(), note.strip()[:500]
    m.save(update_fields=["declared_at", "conflict_note"])
    m.conflicts.set(conflicts)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            selection,
            "open_selection.conflicts",
            agency_id=selection.agency_id,
            after={"member": m.pk, "conflicts": [c.pk for c in conflicts], "note": m.conflict_note},
        ),
    )
    return m


def _as_score(value) -> Decimal:
    try:
        score = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Nilai harus berupa angka."), field="score") from None
    if not score.is_finite() or not (0 <= score <= 100):
        raise DomainError(_("Nilai antara 0 dan 100."), field="score")
    if score != score.quantize(HUNDREDTH):
        raise DomainError(_("Nilai paling banyak dua angka desimal."), field="score")
    return score


@transaction.atomic
def score_submit(*, actor, stage: SelectionStage, candidate: SelectionCandidate, score) -> StageScore:
    """A member's own score for a candidate at a stage; immutable once submitted."""
    selection = OpenSelection.objects.select_for_update().get(pk=stage.selection_id)  # fresh: a proposal closes it
    m = _member(actor, selection)
    if selection.proposed_at:
        raise DomainError(_("Hasil seleksi sudah diusulkan."), code="closed")
    if m.declared_at is None:
        raise DomainError(_("Nyatakan konflik kepentingan sebelum menilai."), code="undeclared")
    if candidate.selection_id != selection.pk:
        raise DomainError(_("Peserta bukan bagian dari seleksi ini."))
    if m.conflicts.filter(pk=candidate.pk).exists():
        raise DomainError(
            _("Anda menyatakan konflik kepentingan dengan peserta ini dan tidak menilainya."), code="conflict"
        )
    score = _as_score(score)
    try:
        with transaction.atomic():
            s = StageScore.objects.create(
                stage=stage, candidate=candidate, member=m, score=score, submitted_at=timezone.now()
            )
    except IntegrityError:
        raise DomainError(_("Nilai sudah dikirim dan tidak dapat diubah."), code="immutable") from None
    audit_log(
        actor=actor.user,
        entry=entry_for(
            selection,
            "open_selection.score",
            agency_id=selection.agency_id,
            after={"stage": stage.pk, "candidate": candidate.pk, "member": m.pk, "score": str(score)},
        ),
    )
    return s


@transaction.atomic
def stage_scores_submit(*, actor, stage: SelectionStage, scores: dict) -> list[StageScore]:
    """A member's scores for several candidates at one stage, all of them or none."""
    if not scores:
        raise DomainError(_("Isi sedikitnya satu nilai."), code="empty")
    return [score_submit(actor=actor, stage=stage, candidate=c, score=v) for c, v in scores.items()]


def _stage_submitted(m: SelectionMember, stage: SelectionStage, conflicted: set, candidate_ids: set) -> bool:
    scored = set(StageScore.objects.filter(stage=stage, member=m).values_list("candidate_id", flat=True))
    return candidate_ids - conflicted <= scored


def scores_visible_to(actor, stage: SelectionStage, candidate: SelectionCandidate) -> list[StageScore]:
    """Every member's score of a candidate at a stage, once the actor has submitted that whole stage."""
    m = _member(actor, stage.selection)
    conflicted = set(m.conflicts.values_list("pk", flat=True))
    candidate_ids = set(stage.selection.candidates.values_list("pk", flat=True))
    if m.declared_at is None or not _stage_submitted(m, stage, conflicted, candidate_ids):
        return []
    return list(StageScore.objects.filter(stage=stage, candidate=candidate).select_related("member__user"))


@dataclass
class DeskRow:
    candidate: SelectionCandidate
    conflicted: bool
    own: StageScore | None
    others: list = field(default_factory=list)  # other members' scores, only once the stage is submitted


@dataclass
class DeskStage:
    stage: SelectionStage
    rows: list[DeskRow]
    submitted: bool  # every candidate without a conflict scored by this member
    open: int  # candidates still to score


def member_desk(actor, selection: OpenSelection) -> tuple[SelectionMember, list[DeskStage]]:
    """A member's desk: their own scores per stage; the others' only for stages they have submitted."""
    m = _member(actor, selection)
    conflicted = set(m.conflicts.values_list("pk", flat=True))
    stages = list(selection.stages.all())
    candidates = list(selection.candidates.all())
    own = {(s.stage_id, s.candidate_id): s for s in StageScore.objects.filter(member=m, stage__selection=selection)}
    desk = []
    for st in stages:
        rows = [DeskRow(c, c.pk in conflicted, own.get((st.pk, c.pk))) for c in candidates]
        left = sum(1 for r in rows if not r.conflicted and r.own is None)
        desk.append(DeskStage(st, rows, submitted=m.declared_at is not None and left == 0, open=left))
    done = [d.stage.pk for d in desk if d.submitted]
    if done:
        others = defaultdict(list)
        for s in (
            StageScore.objects.filter(stage_id__in=done, stage__selection=selection)
            .exclude(member=m)
            .select_related("member__user")
            .order_by("member__user__full_name", "member__user__username")
        ):
            others[(s.stage_id, s.candidate_id)].append(s)
        for d in desk:
            for r in d.rows:
                r.others = others.get((d.stage.pk, r.candidate.pk), [])
    return m, desk


# --- results -------------------------------------------------------------------------------------------------


@dataclass
class Board:
    stages: list
    members: list
    rows: list  # ranking rows, best first
    progress: list  # per stage: received and expected scores, and each member's part
    complete: bool  # every member has scored every candidate they have no conflict with, at every stage
    tie_at_cut: bool  # the third and the fourth have the same total: the committee must break the tie


def selection_board(selection: OpenSelection) -> Board:
    """Weighted totals per candidate and the completeness of every stage, in a fixed number of queries."""
    stages = list(selection.stages.all())
    members = list(selection.members.select_related("user").prefetch_related("conflicts"))
    candidates = list(selection.candidates.all())
    conflicts = {m.pk: {c.pk for c in m.conflicts.all()} for m in members}
    scores = defaultdict(list)
    by_member = defaultdict(int)
    for s in StageScore.objects.filter(stage__selection=selection).values(
        "stage_id", "candidate_id", "member_id", "score"
    ):
        scores[(s["stage_id"], s["candidate_id"])].append(s["score"])
        by_member[(s["stage_id"], s["member_id"])] += 1
    expected = {c.pk: sum(1 for m in members if c.pk not in conflicts[m.pk]) for c in candidates}
    rows = []
    for c in candidates:
        total, complete, parts = Decimal(0), expected[c.pk] > 0, []
        for st in stages:
            got = scores.get((st.pk, c.pk), [])
            complete &= len(got) == expected[c.pk]
            mean = sum(got) / len(got) if got else None
            weighted = Decimal(st.weight) / 100 * mean if got else Decimal(0)
            total += weighted
            parts.append(
                {
                    "stage": st,
                    "mean": mean.quantize(HUNDREDTH, rounding=ROUND_HALF_UP) if got else None,
                    "weighted": weighted.quantize(THOUSANDTH, rounding=ROUND_HALF_UP),
                    "count": len(got),
                    "expected": expected[c.pk],
                }
            )
        rows.append(
            {
                "candidate": c,
                "score": total.quantize(THOUSANDTH, rounding=ROUND_HALF_UP),
                "complete": complete,
                "stages": parts,
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["candidate"].name))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    progress = []
    for st in stages:
        per_member = [
            {
                "member": m,
                "declared": m.declared_at is not None,
                "done": by_member[(st.pk, m.pk)],
                "expected": len(candidates) - len(conflicts[m.pk]),
            }
            for m in members
        ]
        received = sum(len(scores.get((st.pk, c.pk), [])) for c in candidates)
        wanted = sum(expected.values())
        progress.append({"stage": st, "received": received, "expected": wanted, "members": per_member})
    complete = bool(rows) and all(r["complete"] for r in rows)
    tie = len(rows) > PROPOSED and rows[PROPOSED - 1]["score"] == rows[PROPOSED]["score"]
    return Board(stages=stages, members=members, rows=rows, progress=progress, complete=complete, tie_at_cut=tie)


def ranking(selection: OpenSelection) -> list[dict]:
    """Weighted final score per candidate (mean of the members' scores per stage), complete or not."""
    return selection_board(selection).rows


@transaction.atomic
def selection_propose(*, actor, selection: OpenSelection) -> list[dict]:
    """Propose the best three to the appointing official, once every score is in."""
    selection = OpenSelection.objects.select_for_update().get(pk=selection.pk)
    if not actor.can_write_agency(selection.agency_id):
        raise PermissionDenied(_("Usulan disampaikan oleh admin kepegawaian instansi."))
    if selection.proposed_at:
        raise DomainError(_("Hasil seleksi sudah diusulkan."), code="closed")
    board = selection_board(selection)
    if not board.complete:
        raise DomainError(_("Belum semua anggota panitia menilai semua tahap."), code="incomplete")
    top = [
        {
            "rank": r["rank"],
            "candidate": r["candidate"].name,
            "candidate_id": r["candidate"].pk,
            "score": str(r["score"]),
        }
        for r in board.rows[:PROPOSED]
    ]
    selection.proposed_at, selection.proposal = timezone.now(), top
    selection.save(update_fields=["proposed_at", "proposal", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(selection, "open_selection.propose", agency_id=selection.agency_id, after={"proposal": top}),
    )
    return top
