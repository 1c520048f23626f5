"""SKP plans: cascade from the supervisor, the workflow and its refusals."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from core.models import AuditRecord
from performance.choices import SkpStatus
from performance.models import Skp
from performance.services import plan
from performance.services.setup import indicator_create
from performance.tests.conftest import DAY
from tests.factories import make_employee, make_position

pytestmark = pytest.mark.django_db
IND = [("quantity", "Jumlah dokumen mutasi", "120 dokumen"), ("time", "Waktu proses", "5 hari")]


def approved_chain(team):
    """Head (JPT, from an IKU) → Kabid → staff[0], each plan approved by the one above."""
    iku = indicator_create(
        actor=team.actor(team.u_admin), perf_year=team.year, unit=None, code="IKU-1", name="Indeks merit", measure="indeks", annual_target=80
    )
    head_skp = plan.skp_create(actor=team.actor(team.u_head), employee=team.head, perf_year=team.year)
    head_rhk = plan.rhk_add(actor=team.actor(team.u_head), skp=head_skp, text="Meningkatnya indeks merit", indicators=IND, indicator=iku, today=DAY)
    plan.skp_submit(actor=team.actor(team.u_head), skp=head_skp, today=DAY)
    plan.skp_approve(actor=team.actor(team.u_admin), skp=head_skp, today=DAY)  # for the Gubernur
    kabid_skp = plan.skp_create(actor=team.actor(team.u_kabid), employee=team.kabid, perf_year=team.year)
    kabid_rhk = plan.rhk_add(actor=team.actor(team.u_kabid), skp=kabid_skp, text="Mutasi tepat waktu", indicators=IND, supports=head_rhk, today=DAY)
    plan.skp_submit(actor=team.actor(team.u_kabid), skp=kabid_skp, today=DAY)
    plan.skp_approve(actor=team.actor(team.u_head), skp=kabid_skp, today=DAY)
    return head_skp, head_rhk, kabid_skp, kabid_rhk


class TestCascade:
    def test_a_staff_rhk_supports_the_direct_supervisors_rhk(self, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        skp = plan.skp_create(actor=team.actor(team.u_staff[0]), employee=team.staff[0], perf_year=team.year)
        rhk = plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="Usulan mutasi terverifikasi", indicators=IND, supports=kabid_rhk, today=DAY)
        assert rhk.supports == kabid_rhk and rhk.indicators.count() == 2

    def test_supporting_another_persons_supervisors_rhk_is_refused(self, team):
        _h, head_rhk, _k, _kr = approved_chain(team)
        skp = plan.skp_create(actor=team.actor(team.u_staff[0]), employee=team.staff[0], perf_year=team.year)
        with pytest.raises(DomainError, match="atasan langsung Anda"):
            plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="x", indicators=IND, supports=head_rhk, today=DAY)

    def test_a_jpt_rhk_must_come_from_an_iku(self, team):
        skp = plan.skp_create(actor=team.actor(team.u_head), employee=team.head, perf_year=team.year)
        with pytest.raises(DomainError, match="IKU"):
            plan.rhk_add(actor=team.actor(team.u_head), skp=skp, text="x", indicators=IND, today=DAY)

    def test_an_rhk_needs_an_indicator_with_a_target(self, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        skp = plan.skp_create(actor=team.actor(team.u_staff[0]), employee=team.staff[0], perf_year=team.year)
        with pytest.raises(DomainError, match="indikator"):
            plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="x", indicators=[], supports=kabid_rhk, today=DAY)
        with pytest.raises(DomainError, match="target"):
            plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="x", indicators=[("quality", "Mutu", "")], supports=kabid_rhk, today=DAY)

    def test_an_employee_without_a_resolvable_supervisor_is_told_who_fixes_what(self, team):
        lpg = team.world["lpg"]
        orphan_pos = make_position(team.agency, lpg["div"], "ORF", "Analis SDM", None, top=False)
        orphan = make_employee(team.agency, orphan_pos, name="Tanpa Atasan")
        from tests.factories import make_user

        user = make_user("tanpa.atasan", employee=orphan)
        skp = plan.skp_create(actor=team.actor(user), employee=orphan, perf_year=team.year)
        with pytest.raises(DomainError, match="admin kepegawaian menetapkan jabatan atasannya") as exc:
            plan.rhk_add(actor=team.actor(user), skp=skp, text="x", indicators=IND, supports=None, today=DAY)
        assert exc.value.code == "no_supervisor"


class TestWorkflow:
    def test_draft_submit_return_resubmit_approve(self, team):
        _h, _hr, kabid_skp, kabid_rhk = approved_chain(team)
        staff, u = team.staff[0], team.u_staff[0]
        skp = plan.skp_create(actor=team.actor(u), employee=staff, perf_year=team.year)
        plan.rhk_add(actor=team.actor(u), skp=skp, text="Usulan mutasi", indicators=IND, supports=kabid_rhk, today=DAY)
        plan.skp_submit(actor=team.actor(u), skp=skp, today=DAY)
        skp.refresh_from_db()
        assert skp.status == SkpStatus.SUBMITTED and skp.assessor == team.kabid
        plan.skp_return(actor=team.actor(team.u_kabid), skp=skp, comment="Target terlalu rendah", today=DAY)
        skp.refresh_from_db()
        assert skp.status == SkpStatus.RETURNED and skp.return_comment == "Target terlalu rendah"
        plan.skp_submit(actor=team.actor(u), skp=skp, today=DAY)
        plan.skp_approve(actor=team.actor(team.u_kabid), skp=skp, today=DAY)
        skp.refresh_from_db()
        assert skp.status == SkpStatus.APPROVED and skp.versions.get().version == 1
        actions = list(AuditRecord.objects.filter(object_type="performance.skp", object_id=str(skp.pk)).values_list("action", flat=True))
        assert {"skp.create", "skp.rhk_add", "skp.submit", "skp.return", "skp.approve"} <= set(actions)

    def test_a_change_after_approval_needs_reapproval_and_keeps_the_earlier_version(self, team):
        _h, _hr, kabid_skp, kabid_rhk = approved_chain(team)
        u = team.u_kabid
        plan.rhk_add(actor=team.actor(u), skp=kabid_skp, text="Layanan kenaikan pangkat", indicators=IND, supports=_hr, today=DAY)
        kabid_skp.refresh_from_db()
        assert kabid_skp.status == SkpStatus.DRAFT and kabid_skp.version == 2
        v1 = kabid_skp.versions.get(version=1).content
        assert [r["text"] for r in v1["rhk"]] == ["Mutasi tepat waktu"]
        plan.skp_submit(actor=team.actor(u), skp=kabid_skp, today=DAY)
        plan.skp_approve(actor=team.actor(team.u_head), skp=kabid_skp, today=DAY)
        assert [v.version for v in kabid_skp.versions.all()] == [2, 1]

    def test_wrong_actor_and_wrong_state_are_refused(self, team):
        _h, _hr, kabid_skp, kabid_rhk = approved_chain(team)
        skp = plan.skp_create(actor=team.actor(team.u_staff[0]), employee=team.staff[0], perf_year=team.year)
        plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="Usulan", indicators=IND, supports=kabid_rhk, today=DAY)
        with pytest.raises(PermissionDenied):
            plan.rhk_add(actor=team.actor(team.u_staff[1]), skp=skp, text="x", indicators=IND, supports=kabid_rhk, today=DAY)
        with pytest.raises(DomainError, match="diajukan"):
            plan.skp_approve(actor=team.actor(team.u_kabid), skp=skp, today=DAY)
        plan.skp_submit(actor=team.actor(team.u_staff[0]), skp=skp, today=DAY)
        with pytest.raises(PermissionDenied):
            plan.skp_approve(actor=team.actor(team.u_head), skp=skp, today=DAY)  # not the direct supervisor
        with pytest.raises(PermissionDenied):
            plan.skp_approve(actor=team.actor(team.u_staff[0]), skp=skp, today=DAY)
        with pytest.raises(DomainError, match="sedang diajukan"):
            plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="x", indicators=IND, supports=kabid_rhk, today=DAY)
        with pytest.raises(DomainError, match="perlu diperbaiki"):
            plan.skp_return(actor=team.actor(team.u_kabid), skp=skp, comment=" ", today=DAY)
        skp.refresh_from_db()
        assert skp.status == SkpStatus.SUBMITTED

    def test_one_plan_per_employee_and_year(self, team):
        plan.skp_create(actor=team.actor(team.u_staff[0]), employee=team.staff[0], perf_year=team.year)
        with pytest.raises(DomainError, match="sudah ada"):
            plan.skp_create(actor=team.actor(team.u_admin), employee=team.staff[0], perf_year=team.year)
        assert Skp.objects.filter(employee=team.staff[0]).count() == 1

    def test_a_supervisor_rhk_supported_by_a_subordinate_cannot_be_deleted(self, team):
        _h, _hr, kabid_skp, kabid_rhk = approved_chain(team)
        skp = plan.skp_create(actor=team.actor(team.u_staff[0]), employee=team.staff[0], perf_year=team.year)
        plan.rhk_add(actor=team.actor(team.u_staff[0]), skp=skp, text="Usulan", indicators=IND, supports=kabid_rhk, today=DAY)
        with pytest.raises(DomainError, match="diintervensi"):
            plan.rhk_delete(actor=team.actor(team.u_kabid), rhk=kabid_rhk)
