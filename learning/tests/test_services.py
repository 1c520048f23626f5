"""Competency development services: gaps, plans, enrolment with seats, waiting list and budget, completion
booking JP, external learning, evaluation, and every refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditRecord
from learning import rules, selectors, services
from learning.choices import EnrollmentStatus, PlanStatus
from learning.models import Enrollment, JpEntry, TrainingEvent
from tests.factories import make_employee

pytestmark = pytest.mark.django_db


def staff(lw, n=1):
    people = [lw["lpg"]["e_staff"]]
    for i in range(n - 1):
        people.append(
            make_employee(
                lw["lpg"]["agency"], lw["lpg"]["staff"], name=f"Staf {i}", birth=datetime.date(1991, 1, 1 + i)
            )
        )
    return people


class TestGaps:
    def test_the_latest_result_counts_and_the_largest_gap_comes_first(self, learning_world, actors):
        lw, emp = learning_world, learning_world["lpg"]["e_staff"]
        today = timezone.localdate()
        services.assessment_record(
            actor=actors["admin_lpg"],
            employee=emp,
            competency=lw["asn"],
            level=3,
            source="cact",
            assessed_on=today - datetime.timedelta(days=400),
        )
        services.assessment_record(
            actor=actors["admin_lpg"],
            employee=emp,
            competency=lw["asn"],
            level=1,
            source="assessment_centre",
            assessed_on=today,
        )
        services.assessment_record(
            actor=actors["employee_lpg"], employee=emp, competency=lw["asn"], level=4, source="self", assessed_on=today
        )
        services.assessment_record(
            actor=actors["supervisor_lpg"],
            employee=emp,
            competency=lw["integrity"],
            level=2,
            source="supervisor",
            assessed_on=today,
        )
        gaps = selectors.employee_gaps(emp)
        assert [(g.competency.code, g.held, g.gap) for g in gaps] == [("T-ASN", 1, 2), ("M1", 2, 1)]
        assert gaps[0].programs == [lw["program"]]

    def test_who_may_record_what(self, learning_world, actors, world):
        emp = learning_world["lpg"]["e_staff"]
        today = timezone.localdate()
        with pytest.raises(PermissionDenied):
            services.assessment_record(
                actor=actors["employee_lpg"],
                employee=emp,
                competency=learning_world["asn"],
                level=2,
                source="cact",
                assessed_on=today,
            )
        with pytest.raises(PermissionDenied):
            services.assessment_record(
                actor=actors["admin_gtlo"],
                employee=emp,
                competency=learning_world["asn"],
                level=2,
                source="cact",
                assessed_on=today,
            )
        with pytest.raises(DomainError, match="Level harus"):
            services.assessment_record(
                actor=actors["admin_lpg"],
                employee=emp,
                competency=learning_world["asn"],
                level=5,
                source="cact",
                assessed_on=today,
            )
        with pytest.raises(DomainError, match="masa depan"):
            services.assessment_record(
                actor=actors["admin_lpg"],
                employee=emp,
                competency=learning_world["asn"],
                level=2,
                source="cact",
                assessed_on=today + datetime.timedelta(days=1),
            )


class TestPlan:
    def test_build_submit_approve(self, learning_world, actors):
        lw, emp = learning_world, learning_world["lpg"]["e_staff"]
        services.assessment_record(
            actor=actors["admin_lpg"],
            employee=emp,
            competency=lw["asn"],
            level=1,
            source="cact",
            assessed_on=timezone.localdate(),
        )
        plan = services.plan_build(
            actor=actors["employee_lpg"], employee=emp, year=lw["year"], career_goal="Analis SDM Aparatur"
        )
        assert [(i.origin, i.gap, i.program_id) for i in plan.items.all()] == [("gap", 2, lw["program"].pk)]
        with pytest.raises(DomainError, match="tidak sedang menunggu"):
            services.plan_decide(actor=actors["supervisor_lpg"], plan=plan, approve=True)
        with pytest.raises(PermissionDenied):
            services.plan_submit(actor=actors["admin_lpg"], plan=plan)

    def test_return_needs_a_note_and_only_the_direct_supervisor_decides(self, learning_world, actors):
        lw, emp = learning_world, learning_world["lpg"]["e_staff"]
        services.assessment_record(
            actor=actors["admin_lpg"],
            employee=emp,
            competency=lw["asn"],
            level=1,
            source="cact",
            assessed_on=timezone.localdate(),
        )
        plan = services.plan_build(actor=actors["employee_lpg"], employee=emp, year=lw["year"])
        services.plan_submit(actor=actors["employee_lpg"], plan=plan)
        with pytest.raises(PermissionDenied):
            services.plan_decide(actor=actors["admin_lpg"], plan=plan, approve=True)
        with pytest.raises(DomainError, match="alasan"):
            services.plan_decide(actor=actors["supervisor_lpg"], plan=plan, approve=False)
        assert (
            services.plan_decide(actor=actors["supervisor_lpg"], plan=plan, approve=True).status == PlanStatus.APPROVED
        )
        with pytest.raises(DomainError):
            services.plan_build(actor=actors["employee_lpg"], employee=emp, year=lw["year"])


class TestEnrolment:
    def test_seats_then_waiting_list_then_promotion_on_cancel(self, learning_world, actors):
        lw = learning_world
        a, b, c = staff(lw, 3)
        ea = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=a)
        eb = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=b)
        ec = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=c)
        assert [x.status for x in (ea, eb, ec)] == ["enrolled", "enrolled", "waitlisted"]
        assert services.budget_position(lw["lpg"]["agency"].pk, lw["year"])["committed"] == Decimal(2_000_000)
        services.enrollment_cancel(actor=actors["admin_lpg"], enrollment=ea, reason="sakit")
        assert Enrollment.objects.get(pk=ec.pk).status == EnrollmentStatus.ENROLLED
        with pytest.raises(DomainError, match="sudah terdaftar"):
            services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=b)

    def test_beyond_the_budget_is_refused_unless_overridden_with_a_reason(self, learning_world, actors):
        lw = learning_world
        services.budget_set(
            actor=actors["admin_lpg"], agency=lw["lpg"]["agency"], year=lw["year"], amount=Decimal(1_500_000)
        )
        a, b = staff(lw, 2)
        services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=a)
        with pytest.raises(DomainError, match="Anggaran tidak cukup: sisa Rp500.000"):
            services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=b)
        assert Enrollment.objects.filter(employee=b).count() == 0
        e = services.enroll(
            actor=actors["admin_lpg"], event=lw["event"], employee=b, override_reason="Prioritas pimpinan"
        )
        assert e.status == "enrolled" and e.over_budget_reason == "Prioritas pimpinan"
        assert AuditRecord.objects.filter(action="learning.enroll", reason="Prioritas pimpinan").exists()

    def test_no_budget_recorded_refuses(self, learning_world, actors):
        lw = learning_world
        from learning.models import TrainingBudget

        TrainingBudget.objects.all().delete()
        with pytest.raises(DomainError, match="belum ditetapkan"):
            services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=staff(lw)[0])

    def test_a_request_goes_to_the_supervisor(self, learning_world, actors):
        lw, emp = learning_world, learning_world["lpg"]["e_staff"]
        e = services.enrollment_request(actor=actors["employee_lpg"], event=lw["event"], employee=emp)
        assert e.status == "requested"
        with pytest.raises(PermissionDenied):
            services.enrollment_decide(actor=actors["admin_gtlo"], enrollment=e, approve=True)
        assert (
            services.enrollment_decide(actor=actors["supervisor_lpg"], enrollment=e, approve=True).status == "enrolled"
        )

    def test_hr_may_decide_a_request_and_override_the_budget(self, learning_world, actors):
        lw, emp = learning_world, learning_world["lpg"]["e_staff"]
        services.budget_set(actor=actors["admin_lpg"], agency=lw["lpg"]["agency"], year=lw["year"], amount=Decimal(0))
        e = services.enrollment_request(actor=actors["employee_lpg"], event=lw["event"], employee=emp)
        with pytest.raises(DomainError, match="Anggaran tidak cukup"):
            services.enrollment_decide(actor=actors["supervisor_lpg"], enrollment=e, approve=True)
        done = services.enrollment_decide(
            actor=actors["admin_lpg"], enrollment=e, approve=True, override_reason="Wajib bagi pejabat baru"
        )
        assert done.status == "enrolled" and done.over_budget_reason == "Wajib bagi pejabat baru"

    def test_no_cancelling_once_the_event_started(self, learning_world, actors):
        lw = learning_world
        e = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
        TrainingEvent.objects.filter(pk=lw["event"].pk).update(starts_on=timezone.localdate())
        with pytest.raises(DomainError, match="sudah dimulai"):
            services.enrollment_cancel(actor=actors["admin_lpg"], enrollment=e, reason="sakit")

    def test_hr_of_another_agency_cannot_enrol(self, learning_world, actors):
        with pytest.raises(PermissionDenied):
            services.enroll(
                actor=actors["admin_gtlo"], event=learning_world["event"], employee=learning_world["lpg"]["e_staff"]
            )


class TestCompletionAndLedger:
    def _finished(self, lw, actors, post=Decimal(80)):
        emp = lw["lpg"]["e_staff"]
        e = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=emp)
        past = timezone.localdate() - datetime.timedelta(days=3)
        TrainingEvent.objects.filter(pk=lw["event"].pk).update(
            starts_on=past - datetime.timedelta(days=2), ends_on=past
        )
        return services.enrollment_complete(
            actor=actors["admin_lpg"], enrollment=e, pre_score=Decimal(50), post_score=post
        )

    def test_passing_books_the_programmes_jp_and_issues_a_certificate(self, learning_world, actors):
        e = self._finished(learning_world, actors)
        assert e.status == "completed" and len(e.certificate) == 12
        entry = JpEntry.objects.get(enrollment=e)
        assert entry.jp == Decimal(20) and entry.minutes == 900
        assert selectors.jp_of_year(e.employee_id, entry.year) == Decimal(20)
        # The event as it is now (moved into the past by _finished), not the fixture's stale copy of it.
        event = TrainingEvent.objects.get(pk=learning_world["event"].pk)
        assert entry.year == rules.ledger_year(event.ends_on)
        position = services.budget_position(learning_world["lpg"]["agency"].pk, rules.budget_year(event.ends_on))
        assert position["spent"] == Decimal(1_000_000) and position["committed"] == 0

    def test_failing_the_post_test_books_nothing_but_spends(self, learning_world, actors):
        e = self._finished(learning_world, actors, post=Decimal(40))
        assert e.status == "not_completed" and not e.certificate and not JpEntry.objects.exists()

    def test_external_learning_counts_only_after_verification(self, learning_world, actors):
        emp = learning_world["lpg"]["e_staff"]
        pdf = SimpleUploadedFile("s.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
        day = timezone.localdate() - datetime.timedelta(days=10)
        item = services.external_submit(
            actor=actors["employee_lpg"],
            employee=emp,
            title="Webinar SAKIP",
            provider="KemenPANRB",
            modality="seminar",
            started_on=day,
            ended_on=day,
            minutes=150,
            evidence=pdf,
        )
        assert selectors.jp_of_year(emp.pk, day.year) == 0
        services.external_verify(actor=actors["admin_lpg"], item=item, accept=True)
        assert selectors.jp_of_year(emp.pk, day.year) == Decimal("3.33")
        with pytest.raises(DomainError, match="sudah diverifikasi"):
            services.external_verify(actor=actors["admin_lpg"], item=item, accept=True)

    def test_external_refusals(self, learning_world, actors):
        emp = learning_world["lpg"]["e_staff"]
        day = timezone.localdate() - datetime.timedelta(days=10)
        txt = SimpleUploadedFile("s.pdf", b"not a pdf", content_type="application/pdf")
        with pytest.raises(DomainError, match="PDF atau JPG"):
            services.external_submit(
                actor=actors["employee_lpg"],
                employee=emp,
                title="X",
                provider="Y",
                modality="seminar",
                started_on=day,
                ended_on=day,
                minutes=60,
                evidence=txt,
            )
        with pytest.raises(DomainError, match="tidak masuk akal"):
            services.external_submit(
                actor=actors["employee_lpg"],
                employee=emp,
                title="X",
                provider="Y",
                modality="seminar",
                started_on=day,
                ended_on=day,
                minutes=2000,
                evidence=txt,
            )
        with pytest.raises(PermissionDenied):
            services.external_submit(
                actor=actors["supervisor_lpg"],
                employee=emp,
                title="X",
                provider="Y",
                modality="seminar",
                started_on=day,
                ended_on=day,
                minutes=60,
                evidence=txt,
            )
