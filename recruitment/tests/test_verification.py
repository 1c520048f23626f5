"""Administrative verification by the committee (optionally two checks), appeals, announcements."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.access import build_actor
from accounts.choices import Role
from core.errors import DomainError
from core.models import AuditRecord
from personnel.models import EducationLevel
from recruitment.services import (
    announcement_publish,
    appeal_decide,
    appeal_submit,
    applicant_register,
    application_submit,
    verification_decide,
)
from recruitment.tests.conftest import make_formation
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(world, period):
    f = make_formation(world, period)
    a = applicant_register(
        nik="1871010101990021",
        name="Pelamar",
        birth_date=datetime.date(1999, 1, 1),
        education=EducationLevel.objects.get(code="S1"),
        password="Sandi-Pelamar-2026!",
    )
    app = application_submit(actor=build_actor(a.user), formation=f, category="umum", idempotency_key="v1")
    committee = build_actor(world["committee_lpg"])
    return {"app": app, "applicant": build_actor(a.user), "committee": committee, "period": period}


def open_appeals(period):
    now = timezone.now()
    period.appeal_opens, period.appeal_closes = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=3)
    period.save()


class TestVerification:
    def test_eligible_in_one_check(self, applied):
        verification_decide(actor=applied["committee"], application=applied["app"], eligible=True)
        applied["app"].refresh_from_db()
        assert applied["app"].status == "eligible"
        assert AuditRecord.objects.filter(action="recruitment.verify", object_id=str(applied["app"].pk)).exists()

    def test_ineligible_needs_a_reason_from_the_list(self, applied):
        with pytest.raises(DomainError, match="daftar"):
            verification_decide(actor=applied["committee"], application=applied["app"], eligible=False, reason="malas")
        with pytest.raises(DomainError, match="catatan"):
            verification_decide(actor=applied["committee"], application=applied["app"], eligible=False, reason="other")
        verification_decide(actor=applied["committee"], application=applied["app"], eligible=False, reason="education")
        applied["app"].refresh_from_db()
        assert applied["app"].status == "ineligible"

    def test_only_the_agencys_committee_verifies(self, world, applied):
        with pytest.raises(PermissionDenied):
            verification_decide(actor=build_actor(world["committee_gtlo"]), application=applied["app"], eligible=True)
        with pytest.raises(PermissionDenied):
            verification_decide(actor=applied["applicant"], application=applied["app"], eligible=True)

    def test_a_second_check_by_another_member(self, world, applied):
        period = applied["period"]
        period.second_check = True
        period.save()
        verification_decide(actor=applied["committee"], application=applied["app"], eligible=True)
        applied["app"].refresh_from_db()
        assert applied["app"].status == "submitted"  # not decided until the second check
        with pytest.raises(DomainError, match="anggota panitia yang lain"):
            verification_decide(actor=applied["committee"], application=applied["app"], eligible=True)
        other = make_user("panitia2.lpg", Role.SELECTION_COMMITTEE, agency=world["lpg"]["agency"])
        verification_decide(actor=build_actor(other), application=applied["app"], eligible=False, reason="documents_invalid")
        applied["app"].refresh_from_db()
        assert applied["app"].status == "ineligible"
        with pytest.raises(DomainError, match="sudah selesai"):
            verification_decide(actor=build_actor(other), application=applied["app"], eligible=True)


class TestAppeals:
    def test_appeal_granted_makes_the_application_eligible(self, applied):
        verification_decide(actor=applied["committee"], application=applied["app"], eligible=False, reason="documents_missing")
        open_appeals(applied["period"])
        appeal = appeal_submit(actor=applied["applicant"], application=applied["app"], text="Ijazah sudah diunggah di halaman 2.")
        with pytest.raises(DomainError, match="satu kali"):
            appeal_submit(actor=applied["applicant"], application=applied["app"], text="lagi")
        appeal_decide(actor=applied["committee"], appeal=appeal, granted=True, response="Dokumen ditemukan; memenuhi syarat.")
        applied["app"].refresh_from_db()
        assert applied["app"].status == "eligible"
        with pytest.raises(DomainError, match="sudah diputuskan"):
            appeal_decide(actor=applied["committee"], appeal=appeal, granted=False, response="x")
        with pytest.raises(DomainError, match="final"):
            verification_decide(actor=applied["committee"], application=applied["app"], eligible=False, reason="age")

    def test_appeal_refusals(self, world, applied):
        with pytest.raises(DomainError, match="tidak memenuhi syarat"):
            appeal_submit(actor=applied["applicant"], application=applied["app"], text="x")
        verification_decide(actor=applied["committee"], application=applied["app"], eligible=False, reason="age")
        with pytest.raises(DomainError, match="Masa sanggah"):
            appeal_submit(actor=applied["applicant"], application=applied["app"], text="x")
        open_appeals(applied["period"])
        with pytest.raises(PermissionDenied):
            appeal_submit(actor=applied["committee"], application=applied["app"], text="x")
        with pytest.raises(DomainError, match="alasan sanggah"):
            appeal_submit(actor=applied["applicant"], application=applied["app"], text=" ")


def test_announcements(world, applied):
    a = announcement_publish(
        actor=applied["committee"], period=applied["period"], agency=world["lpg"]["agency"], title="Hasil administrasi", body="Terlampir."
    )
    assert a.published_at and AuditRecord.objects.filter(action="recruitment.announce").exists()
    with pytest.raises(PermissionDenied):
        announcement_publish(actor=applied["committee"], period=applied["period"], title="Nasional", body="x")
