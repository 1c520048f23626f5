"""Complaints end to end with working-day clocks, escalation, the citizen's key, moderation, merging,
attachments without metadata; surveys with one response per device and day and the IKM."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core import calendar
from core.errors import DomainError
from core.models import AuditRecord
from publicservice import services
from publicservice.models import Complaint, ComplaintEvent, SurveyCampaign, SurveyPoint

pytestmark = pytest.mark.django_db
# Friday 13 March 2026, 10:00 WIB: Nyepi and Idul Fitri leave follow.
T0 = datetime.datetime(2026, 3, 13, 3, 0, tzinfo=datetime.UTC)


def file(ps, **kw):
    args = {
        "kind": "complaint",
        "unit": ps["unit"],
        "title": "Antrean obat lama",
        "description": "Antrean di loket obat lebih dari tiga jam tanpa kejelasan.",
    }
    args.update(kw)
    return services.complaint_submit(now=T0, **args)


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (20, 10), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (5.0, 25.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


class TestIntake:
    def test_a_report_gets_a_code_a_key_and_a_verification_deadline_on_working_days(self, ps):
        c, key = file(ps)
        assert len(c.tracking_code) == 14 and len(key) >= 16 and key not in c.secret
        assert c.verify_due == datetime.datetime(2026, 3, 25, 23, 59, 59, tzinfo=calendar.WIB)  # 16, 17, 25 March
        assert services.citizen_complaint(c.tracking_code.lower(), key) == c
        with pytest.raises(DomainError, match="salah"):
            services.citizen_complaint(c.tracking_code, "tebakan")

    def test_photo_metadata_is_stripped(self, ps):
        raw = jpeg_with_gps()
        assert b"KameraRahasia" in raw.read()
        raw.seek(0)
        c, _key = file(ps, attachments=[raw])
        stored = c.attachments.get().file.read()
        assert b"KameraRahasia" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}

    @pytest.mark.parametrize(
        ("kw", "message"),
        [
            ({"kind": "x"}, "jenis laporan"),
            ({"confidentiality": "x"}, "kerahasiaan"),
            ({"title": "ab"}, "Judul"),
            ({"description": "pendek"}, "20 huruf"),
            ({"attachments": [SimpleUploadedFile("a.exe", b"MZ....", content_type="image/jpeg")]}, "JPG/PNG"),
            (
                {
                    "attachments": [
                        SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
                    ]
                },
                "5 MB",
            ),
        ],
    )
    def test_refusals_write_nothing(self, ps, kw, message):
        with pytest.raises(DomainError, match=message):
            file(ps, **kw)
        assert not Complaint.objects.exists()


class TestWorkflow:
    def test_forward_respond_rate_close_reopen(self, ps):
        c, key = file(ps)
        c = services.complaint_forward(
            actor=ps["officer"], complaint=c, classification="dispute", now=T0 + datetime.timedelta(hours=2)
        )
        # complaint: 14 working days from Friday 13 March, skipping 18–24 March and Good Friday 3 April
        assert c.response_due.astimezone(calendar.WIB).date() == datetime.date(2026, 4, 10)
        services.complaint_progress(
            actor=ps["staff"], complaint=c, note="Sedang dicek ke apotek", now=T0 + datetime.timedelta(hours=3)
        )
        services.complaint_respond(
            actor=ps["staff"],
            complaint=c,
            text="Loket tambahan dibuka mulai Senin.",
            now=T0 + datetime.timedelta(days=5),
        )
        with pytest.raises(DomainError, match="salah"):
            services.complaint_rate(code=c.tracking_code, key="x", rating=5)
        services.complaint_rate(
            code=c.tracking_code, key=key, rating=4, comment="Cepat", now=T0 + datetime.timedelta(days=5, hours=1)
        )
        closed = services.complaint_close(
            actor=ps["officer"], complaint=c, outcome="Loket tambahan", now=T0 + datetime.timedelta(days=6)
        )
        assert closed.status == "closed" and closed.rating == 4
        reopened = services.complaint_reopen(
            code=c.tracking_code, key=key, reason="Loket tambahan tidak ada.", now=T0 + datetime.timedelta(days=8)
        )
        assert reopened.status == "in_progress" and reopened.reopened == 1
        kinds = list(ComplaintEvent.objects.filter(complaint=c).values_list("kind", flat=True))
        assert kinds == ["submitted", "verified", "accepted", "response", "rated", "closed", "reopened"]
        assert AuditRecord.objects.filter(action__startswith="publicservice.").count() == 4

    def test_reopen_only_within_the_window(self, ps):
        c, key = file(ps)
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute", now=T0)
        services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah ditangani petugas.", now=T0)
        services.complaint_close(actor=ps["officer"], complaint=c, outcome="Selesai", now=T0)
        with pytest.raises(DomainError, match="sudah lewat"):
            services.complaint_reopen(
                code=c.tracking_code, key=key, reason="Masih terjadi lagi.", now=T0 + datetime.timedelta(days=11)
            )

    def test_rerouting_keeps_the_history_and_restarts_the_clock(self, ps):
        c, _key = file(ps)
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute", now=T0)
        moved = services.complaint_forward(
            actor=ps["officer"],
            complaint=c,
            to_unit=ps["other"],
            note="Bukan wewenang puskesmas",
            now=T0 + datetime.timedelta(days=20),
        )
        assert moved.unit == ps["other"]
        assert [e.to_unit_id for e in moved.events.filter(kind__in=["verified", "forwarded"])] == [
            ps["unit"].pk,
            ps["other"].pk,
        ]
        assert moved.response_due.date() > datetime.date(2026, 4, 10)

    def test_confidentiality_can_only_be_made_stricter(self, ps):
        c, _key = file(ps, confidentiality="anonymous")
        with pytest.raises(DomainError, match="diperketat"):
            services.complaint_forward(
                actor=ps["officer"], complaint=c, classification="grievance", confidentiality="public"
            )
        assert (
            services.complaint_forward(
                actor=ps["officer"], complaint=c, classification="grievance", confidentiality="confidential"
            ).confidentiality
            == "confidential"
        )

    def test_officers_of_another_agency_and_staff_of_other_units_are_refused(self, ps, world):
        c, _key = file(ps)
        with pytest.raises(PermissionDenied):
            services.complaint_forward(actor=ps["officer_gtlo"], complaint=c)
        with pytest.raises(PermissionDenied):
            services.complaint_respond(actor=ps["officer_gtlo"], complaint=c, text="Bukan urusan kami sama sekali.")

    def test_merge_reject_hide_redact(self, ps):
        a, _ka = file(ps)
        b, _kb = file(ps, title="Antrean obat sangat lama")
        services.complaint_merge(actor=ps["officer"], complaint=b, into=a)
        assert Complaint.objects.get(pk=b.pk).merged_into == a
        with pytest.raises(DomainError, match="laporan lain"):
            services.complaint_merge(actor=ps["officer"], complaint=a, into=a)
        with pytest.raises(DomainError, match="alasan"):
            services.complaint_reject(actor=ps["officer"], complaint=a, reason="")
        services.complaint_redact(actor=ps["officer"], complaint=a, public_text="Antrean di loket obat lama.")
        services.complaint_hide(actor=ps["officer"], complaint=a, hidden=True, reason="Kata kasar")
        a.refresh_from_db()
        assert a.hidden and a.public_text == "Antrean di loket obat lama."


class TestEscalation:
    def test_overdue_reports_go_to_the_unit_head_then_the_agency(self, ps):
        c, _key = file(ps)  # verify due 25 March
        assert services.escalate_overdue(now=datetime.datetime(2026, 3, 25, 12, 0, tzinfo=calendar.WIB)) == {
            "unit_head": 0,
            "agency": 0,
        }
        assert services.escalate_overdue(now=datetime.datetime(2026, 3, 26, 9, 0, tzinfo=calendar.WIB)) == {
            "unit_head": 1,
            "agency": 0,
        }
        assert services.escalate_overdue(now=datetime.datetime(2026, 3, 27, 9, 0, tzinfo=calendar.WIB)) == {
            "unit_head": 0,
            "agency": 0,
        }
        assert services.escalate_overdue(now=datetime.datetime(2026, 4, 1, 9, 0, tzinfo=calendar.WIB)) == {
            "unit_head": 0,
            "agency": 1,
        }
        c.refresh_from_db()
        assert c.escalation == 2 and c.events.filter(kind="escalated", citizen_visible=False).count() == 2


class TestSurvey:
    @pytest.fixture
    def campaign(self, ps):
        today = timezone.localdate()
        return SurveyCampaign.objects.create(
            unit=ps["unit"],
            name="Triwulan IV",
            starts_on=today - datetime.timedelta(days=5),
            ends_on=today + datetime.timedelta(days=5),
            population=1200,
        )

    PROFILE = {"age_band": "30-39", "gender": "F", "education": "s1", "occupation": "swasta"}

    def test_one_response_per_device_per_day_and_the_ikm(self, campaign):
        answers = {f"U{i}": 4 for i in range(1, 10)}
        services.survey_submit(code=campaign.code, answers=answers, profile=self.PROFILE, device="hp-1")
        with pytest.raises(DomainError, match="sudah mengisi"):
            services.survey_submit(code=campaign.code, answers=answers, profile=self.PROFILE, device="hp-1")
        services.survey_submit(code=campaign.code, answers={**answers, "U3": 2}, profile=self.PROFILE, device="hp-2")
        out = services.campaign_result(campaign)
        assert out["respondents"] == 2 and out["target"] == 291
        assert out["result"].weakest(1) == ["U3"] and out["result"].grade[0] == "A"

    def test_incomplete_or_closed_surveys_are_refused(self, campaign, ps):
        with pytest.raises(DomainError, match="U9"):
            services.survey_submit(
                code=campaign.code, answers={f"U{i}": 3 for i in range(1, 9)}, profile=self.PROFILE, device="x"
            )
        with pytest.raises(DomainError, match="responden"):
            services.survey_submit(
                code=campaign.code, answers={f"U{i}": 3 for i in range(1, 10)}, profile={}, device="x"
            )
        old = SurveyCampaign.objects.create(
            unit=ps["unit"],
            name="Lama",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 3, 31),
            population=100,
        )
        with pytest.raises(DomainError, match="tidak sedang dibuka"):
            services.survey_submit(
                code=old.code, answers={f"U{i}": 3 for i in range(1, 10)}, profile=self.PROFILE, device="x"
            )

    def test_a_desk_link_records_its_desk(self, campaign):
        desk = SurveyPoint.objects.create(campaign=campaign, label="Loket 2")
        r = services.survey_submit(
            code=desk.code, answers={f"U{i}": 3 for i in range(1, 10)}, profile=self.PROFILE, device="hp"
        )
        assert r.point == desk and services.campaign_result(campaign, desk)["respondents"] == 1
