"""Open selection for senior (JPT) posts: the committee declares conflicts of interest, scores each stage
on its own without seeing the others first, scores never change, and the best three are proposed."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


@transaction.atomic
def selection_create(*, actor, agency, position_title: str, members: list, candidates: list[str], stages=DEFAULT_STAGES) -> OpenSelection:
    """Set up a selection: its stages with weights summing to 100, its committee and its candidates."""
    if not actor.can_write_agency(agency.pk):
        raise PermissionDenied(_("Seleksi terbuka dibentuk oleh admin kepegawaian instansi."))
    if sum(w for _n, w in stages) != 100:
        raise DomainError(_("Bobot tahapan harus berjumlah 100%."), field="stages")
    if len(members) < 3:
        raise DomainError(_("Panitia seleksi sedikitnya tiga orang."), field="members")
    if len(candidates) < 3:
        raise DomainError(_("Seleksi memerlukan sedikitnya tiga peserta agar tiga terbaik dapat diusulkan."), field="candidates")
    sel = OpenSelection.objects.create(agency=agency, position_title=position_title.strip())
    SelectionStage.objects.bulk_create(SelectionStage(selection=sel, name=n, weight=w, order=i) for i, (n, w) in enumerate(stages))
    SelectionMember.objects.bulk_create(SelectionMember(selection=sel, user=u) for u in members)
    SelectionCandidate.objects.bulk_create(SelectionCandidate(selection=sel, name=c) for c in candidates)
    audit_log(
        actor=actor.user,
        entry=entry_for(sel, "open_selection.create", agency_id=agency.pk, after={"stages": list(stages), "members": [u.pk for u in members]}),
    )
    return sel


def _member(actor, selection) -> SelectionMember:
    m = SelectionMember.objects.filter(selection=selection, user=actor.user).first() if actor.user else None
    if m is None:
        raise PermissionDenied(_("Hanya anggota panitia seleksi ini yang dapat melakukan ini."))
    return m


@transaction.atomic
def conflicts_declare(*, actor, selection: OpenSelection, conflicts: list[SelectionCandidate], note: str = "") -> SelectionMember:
    """A member's statement of conflicts of interest (possibly none), once, before any score."""
    m = _member(actor, selection)
    if m.declared_at:
        raise DomainError(_("Pernyataan konflik kepentingan sudah dibuat."), code="declared")
    if any(c.selection_id != selection.pk for c in conflicts):
        raise DomainError(_("Peserta bukan bagian dari seleksi ini."))
    m.declared_at, m.conflict_note = timezone.now(), note.strip()
    m.save(update_fields=["declared_at", "conflict_note"])
    m.conflicts.set(conflicts)
    audit_log(
        actor=actor.user,
        entry=entry_for(selection, "open_selection.conflicts", agency_id=selection.agency_id, after={"conflicts": [c.pk for c in conflicts]}),
    )
    return m


@transaction.atomic
def score_submit(*, actor, stage: SelectionStage, candidate: SelectionCandidate, score: Decimal) -> StageScore:
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
        raise DomainError(_("Anda menyatakan konflik kepentingan dengan peserta ini dan tidak menilainya."), code="conflict")
    score = Decimal(score)
    if not (0 <= score <= 100):
        raise DomainError(_("Nilai antara 0 dan 100."), field="score")
    try:
        with transaction.atomic():
            s = StageScore.objects.create(stage=stage, candidate=candidate, member=m, score=score, submitted_at=timezone.now())
    except IntegrityError:
        raise DomainError(_("Nilai sudah dikirim dan tidak dapat diubah."), code="immutable") from None
    audit_log(
        actor=actor.user,
        entry=entry_for(selection, "open_selection.score", agency_id=selection.agency_id, after={"stage": stage.pk, "candidate": candidate.pk, "score": str(score)}),
    )
    return s


def scores_visible_to(actor, stage: SelectionStage, candidate: SelectionCandidate) -> list[StageScore]:
    """Other members' scores, shown to a member only after submitting their own (or declaring a conflict)."""
    m = _member(actor, stage.selection)
    own = StageScore.objects.filter(stage=stage, candidate=candidate, member=m).exists()
    if not own and not m.conflicts.filter(pk=candidate.pk).exists():
        return []
    return list(StageScore.objects.filter(stage=stage, candidate=candidate).select_related("member__user"))


def ranking(selection: OpenSelection) -> list[dict]:
    """Weighted final score per candidate (mean of the members' scores per stage), complete or not."""
    stages = list(selection.stages.all())
    members = list(selection.members.prefetch_related("conflicts"))
    scores = defaultdict(list)
    for s in StageScore.objects.filter(stage__selection=selection).values("stage_id", "candidate_id", "score"):
        scores[(s["stage_id"], s["candidate_id"])].append(s["score"])
    rows = []
    for c in selection.candidates.all():
        expected = sum(1 for m in members if c.pk not in {x.pk for x in m.conflicts.all()})
        total, complete = Decimal(0), True
        for st in stages:
            got = scores.get((st.pk, c.pk), [])
            complete &= len(got) == expected and expected > 0
            if got:
                total += Decimal(st.weight) / 100 * (sum(got) / len(got))
        rows.append({"candidate": c, "score": total.quantize(THOUSANDTH, rounding=ROUND_HALF_UP), "complete": complete})
    rows.sort(key=lambda r: (-r["score"], r["candidate"].name))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


@transaction.atomic
def selection_propose(*, actor, selection: OpenSelection) -> list[dict]:
    """Propose the best three to the appointing official, once every score is in."""
    selection = OpenSelection.objects.select_for_update().get(pk=selection.pk)
    if not actor.can_write_agency(selection.agency_id):
        raise PermissionDenied(_("Usulan disampaikan oleh admin kepegawaian instansi."))
    if selection.proposed_at:
        raise DomainError(_("Hasil seleksi sudah diusulkan."), code="closed")
    rows = ranking(selection)
    if not all(r["complete"] for r in rows):
        raise DomainError(_("Belum semua anggota panitia menilai semua tahap."), code="incomplete")
    top = [{"rank": r["rank"], "candidate": r["candidate"].name, "score": str(r["score"])} for r in rows[:3]]
    selection.proposed_at, selection.proposal = timezone.now(), top
    selection.save(update_fields=["proposed_at", "proposal", "updated_at"])
    audit_log(actor=actor.user, entry=entry_for(selection, "open_selection.propose", agency_id=selection.agency_id, after={"proposal": top}))
    return top
