"""The officers' pages: the agency's queue with its clocks, filters, counts and export; one report with every
action and every refusal; who sees the reporter; the unit's queue; the escalation job and its emails (the
holiday list: test_holidays_pages)."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import calendar
from core.models import AuditRecord
from publicservice import notify, services, tasks
from publicservice.models import Complaint, ComplaintEvent, ServiceUnit

pytestmark = pytest.mark.django_db

DESCRIPTION = "Antrean di loket obat lebih dari tiga jam tanpa kejelasan."
PDF = b"%PDF-1.4\n%test\n"
# Friday 13 March 2026, 10:00 WIB (as in test_services): forwarded then, the response is due 10 April.
T0 = datetime.datetime(2026, 3, 13, 3, 0, tzinfo=datetime.UTC)


def file(ps, *, unit=None, now=None, **kw) -> Complaint:
    args = {
        "kind": "complaint",
        "unit": unit or ps["unit"],
        "title": "Antrean obat lama",
        "description": DESCRIPTION,
        "reporter_name": "Budi Santoso",
        "reporter_contact": "budi@warga.example",
    }
    args.update(kw)
    return services.complaint_submit(now=now or timezone.now(), **args)[0]


def forwarded(ps, *, classification="dispute", **kw) -> Complaint:
    c = file(ps, **kw)
    return services.complaint_forward(actor=ps["officer"], complaint=c, classification=classification)


def u(name, c=None, *args):
    return reverse(f"publicservice:{name}", args=([c.tracking_code] if c is not None else []) + list(args))


def page(client, c):
    return client.get(u("officer_complaint", c))


def audits(action: str) -> int:
    return AuditRecord.objects.filter(action=f"publicservice.{action}").count()


@pytest.fixture
def emails(world):
    for key, address in (
        ("complaints_lpg", "pengaduan@lampung.example"),
        ("complaints_gtlo", "pengaduan@gorontalo.example"),
        ("supervisor_lpg", "kabid@lampung.example"),
    ):
        world[key].email = address
        world[key].save(update_fields=["email"])
    return world


# --- the agency's queue ------------------------------------------------------------------------------


class TestQueue:
    def test_the_officer_sees_the_agencys_reports_by_deadline_late_ones_first_with_how_late(
        self, client, login, ps, world
    ):
        now = timezone.now()
        ok = file(ps, title="Laporan biasa")
        soon = file(ps, title="Laporan hampir jatuh tempo")
        late = file(ps, title="Laporan terlambat")
        Complaint.objects.filter(pk=soon.pk).update(verify_due=calendar.due_at(now, 1))
        late_due = calendar.due_at(now - datetime.timedelta(days=30), 3)
        Complaint.objects.filter(pk=late.pk).update(verify_due=late_due)
        elsewhere = file(ps, unit=ps["gtlo"], title="Laporan Gorontalo")
        login(world["complaints_lpg"])
        r = client.get(u("officer_queue"))
        assert r.status_code == 200
        html = r.content.decode()
        assert html.index(late.tracking_code) < html.index(soon.tracking_code) < html.index(ok.tracking_code)
        assert elsewhere.tracking_code not in html
        days = calendar.working_days_between(
            late_due.astimezone(calendar.WIB).date(), now.astimezone(calendar.WIB).date()
        )
        assert f"terlambat {days} hari kerja" in html and days > 10
        rows = {c.tracking_code: c.clock for c in r.context["page"]}
        assert rows[late.tracking_code] == ("late", days)
        assert rows[soon.tracking_code][0] == "soon" and rows[ok.tracking_code][0] == "ok"
        assert r.context["counts"]["late"] == 1 and r.context["counts"]["open"] == 3

    def test_counts_per_status(self, client, login, ps, world):
        forwarded(ps)
        file(ps)
        rejected = file(ps)
        services.complaint_reject(actor=ps["officer"], complaint=rejected, reason="Bukan layanan publik")
        login(world["complaints_lpg"])
        counts = {v: n for v, _label, n in client.get(u("officer_queue")).context["counts"]["statuses"]}
        assert (counts["received"], counts["forwarded"], counts["rejected"], counts["closed"]) == (1, 1, 1, 0)

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, {"a", "b", "c"}),
            ({"status": "forwarded"}, {"b", "c"}),
            ({"status": "semua"}, {"a", "b", "c", "d"}),
            ({"status": "rejected"}, {"d"}),
            ({"kind": "information"}, {"c"}),
            ({"confidentiality": "confidential"}, {"b"}),
            ({"unit": "OTHER"}, {"c"}),
            ({"escalation": "dieskalasi"}, {"b"}),
            ({"escalation": "2"}, {"b"}),
            ({"escalation": "1"}, set()),
            ({"deadline": "terlambat"}, {"b"}),
            ({"q": "wifi"}, {"c"}),
            ({"q": "CODE_A"}, {"a"}),
            ({"status": "bogus", "kind": "x"}, {"a", "b", "c"}),  # a bad filter shows everything, not an error
        ],
    )
    def test_filters(self, client, login, ps, world, params, expected):
        reports = {
            "a": file(ps),
            "b": forwarded(ps, confidentiality="confidential"),
            "c": forwarded(ps, unit=ps["other"], kind="information", title="Wifi ruang tunggu mati"),
            "d": file(ps),
        }
        services.complaint_reject(actor=ps["officer"], complaint=reports["d"], reason="Ganda")
        Complaint.objects.filter(pk=reports["b"].pk).update(
            escalation=2, response_due=timezone.now() - datetime.timedelta(days=20)
        )
        params = {
            k: {"OTHER": ps["other"].code, "CODE_A": reports["a"].tracking_code.lower()}.get(v, v)
            for k, v in params.items()
        }
        login(world["complaints_lpg"])
        r = client.get(u("officer_queue"), params)
        assert r.status_code == 200
        shown = {c.tracking_code for c in r.context["page"]}
        assert shown == {reports[k].tracking_code for k in expected}

    def test_the_national_admin_sees_every_agency_and_can_pick_one(self, client, login, ps, world):
        lpg, gtlo = file(ps), file(ps, unit=ps["gtlo"])
        login(world["national"])
        everything = {c.tracking_code for c in client.get(u("officer_queue")).context["page"]}
        assert everything == {lpg.tracking_code, gtlo.tracking_code}
        one = client.get(u("officer_queue"), {"agency": world["gtlo"]["agency"].pk})
        assert [c.tracking_code for c in one.context["page"]] == [gtlo.tracking_code]
        assert "unit" in one.context["form"].fields  # units are offered once one agency is chosen

    @pytest.mark.parametrize("role", ["employee_lpg", "supervisor_lpg", "auditor_lpg", "committee_lpg", "applicant"])
    def test_who_does_not_handle_complaints_gets_404(self, client, login, world, ps, role):
        login(world[role])
        assert client.get(u("officer_queue")).status_code == 404

    def test_the_agency_admin_handles_the_agencys_reports_too(self, client, login, ps, world):
        c = file(ps)
        login(world["admin_lpg"])
        assert [x.tracking_code for x in client.get(u("officer_queue")).context["page"]] == [c.tracking_code]

    def test_anonymous_visitors_are_sent_to_log_in(self, client, ps):
        assert client.get(u("officer_queue")).status_code == 302

    def test_the_officer_of_another_agency_sees_none_of_them(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_gtlo"])
        r = client.get(u("officer_queue"))
        assert r.status_code == 200 and c.tracking_code not in r.content.decode()

    def test_query_count_does_not_grow_with_rows(self, client, login, ps, world, django_assert_max_num_queries):
        for _i in range(3):
            forwarded(ps, confidentiality="confidential")
        login(world["complaints_lpg"])
        url = u("officer_queue")
        client.get(url)
        with django_assert_max_num_queries(13) as few:
            assert client.get(url).status_code == 200
        for _i in range(30):
            file(ps)
        with django_assert_max_num_queries(13) as many:
            assert client.get(url).status_code == 200
        assert len(many.captured_queries) == len(few.captured_queries)


class TestExport:
    def test_csv_lists_the_filtered_reports_marks_confidential_ones_and_names_no_reporter(
        self, client, login, ps, world
    ):
        secret = forwarded(ps, confidentiality="confidential", title="Pungutan liar di loket")
        plain = file(ps, title='=HYPERLINK("x")')
        file(ps, unit=ps["gtlo"], title="Laporan Gorontalo")
        login(world["complaints_lpg"])
        r = client.get(u("officer_queue"), {"export": "csv"})
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
        text = b"".join(r.streaming_content).decode("utf-8-sig")
        lines = {line.split(",")[0]: line for line in text.splitlines()[1:]}
        assert set(lines) == {secret.tracking_code, plain.tracking_code}
        assert ",RAHASIA," in lines[secret.tracking_code] and ",RAHASIA," not in lines[plain.tracking_code]
        assert "'=HYPERLINK" in lines[plain.tracking_code]  # a formula stays text
        assert "Budi Santoso" not in text and "budi@warga.example" not in text

    def test_xlsx_follows_the_filters(self, client, login, ps, world):
        late = forwarded(ps)
        Complaint.objects.filter(pk=late.pk).update(response_due=timezone.now() - datetime.timedelta(days=10))
        file(ps)
        login(world["complaints_lpg"])
        r = client.get(u("officer_queue"), {"export": "xlsx", "deadline": "terlambat"})
        rows = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
        assert rows[0][0] == "kode" and [row[0] for row in rows[1:]] == [late.tracking_code]
        assert rows[1][11] >= 1  # working days late

    def test_unit_staff_have_no_export(self, client, login, ps, world):
        forwarded(ps)
        login(world["employee_lpg"])
        r = client.get(u("officer_unit_queue"), {"export": "csv"})
        assert r.status_code == 200 and r["Content-Type"].startswith("text/html")


# --- one report -----------------------------------------------------------------------------------


class TestReportPage:
    def test_the_officer_sees_everything_including_internal_events(self, client, login, ps, world):
        c = forwarded(ps)
        services.escalate_overdue(now=c.response_due + datetime.timedelta(days=1))
        login(world["complaints_lpg"])
        r = page(client, c)
        html = r.content.decode()
        assert r.status_code == 200
        assert DESCRIPTION in html and "Budi Santoso" in html and "budi@warga.example" in html
        assert [e.kind for e in r.context["events"]] == ["submitted", "verified", "escalated"]
        assert "internal" in html
        assert r.context["can"]["forward"] and r.context["can"]["merge"] and not r.context["can"]["reject"]

    def test_an_anonymous_reporter_is_shown_to_handlers_with_a_badge_and_never_to_the_unit(
        self, client, login, ps, world
    ):
        c = forwarded(ps, confidentiality="anonymous")
        login(world["complaints_lpg"])
        r = page(client, c)
        assert 'data-testid="anonymous-badge"' in r.content.decode() and "Budi Santoso" in r.content.decode()
        for staff in ("employee_lpg", "supervisor_lpg"):
            login(world[staff])
            html = page(client, c).content.decode()
            assert DESCRIPTION in html
            assert "Budi Santoso" not in html and "budi@warga.example" not in html
            assert 'data-testid="attachments-withheld"' in html

    def test_the_unit_sees_a_public_report_but_not_who_filed_it(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["employee_lpg"])
        r = page(client, c)
        assert r.status_code == 200 and "Budi Santoso" not in r.content.decode()
        assert not r.context["can"]["forward"] and r.context["can"]["respond"]

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("complaints_gtlo", 404),  # another agency's officer
            ("admin_gtlo", 404),
            ("employee_gtlo", 404),
            ("auditor_lpg", 404),
            ("committee_lpg", 404),
            ("national", 200),
            ("admin_lpg", 200),
        ],
    )
    def test_scope(self, client, login, ps, world, role, status):
        c = forwarded(ps)
        login(world[role])
        assert page(client, c).status_code == status

    def test_the_unit_does_not_see_a_report_before_it_is_forwarded(self, client, login, ps, world):
        c = file(ps)
        login(world["employee_lpg"])
        assert page(client, c).status_code == 404

    def test_staff_of_another_unit_do_not_see_it(self, client, login, ps, world):
        from tests.factories import make_user

        c = forwarded(ps)  # with the Puskesmas, whose org unit is the Bidang Mutasi
        login(make_user("kepala.bkd", employee=world["lpg"]["e_head"]))  # works in the BKD, above it
        assert page(client, c).status_code == 404

    def test_a_report_re_routed_away_leaves_the_units_reach(self, client, login, ps, world):
        c = forwarded(ps)
        services.complaint_forward(actor=ps["officer"], complaint=c, to_unit=ps["gtlo"])
        login(world["employee_lpg"])
        assert page(client, c).status_code == 404

    def test_unknown_code_is_404(self, client, login, ps, world):
        login(world["complaints_lpg"])
        assert client.get(reverse("publicservice:officer_complaint", args=["ZZZZZZZZZZZZZZ"])).status_code == 404


class TestAttachments:
    def with_pdf(self, ps, **kw):
        return file(ps, attachments=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")], **kw)

    def test_the_officer_opens_it_and_publishes_it(self, client, login, ps, world):
        c = self.with_pdf(ps)
        att = c.attachments.get()
        login(world["complaints_lpg"])
        r = client.get(u("officer_attachment", c, att.pk))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert b"".join(r.streaming_content) == PDF and r["X-Content-Type-Options"] == "nosniff"
        r = client.post(u("officer_attachment_publish", c, att.pk), {"public": "on"})
        assert r.status_code == 302
        att.refresh_from_db()
        assert att.public and audits("attachment_publish") == 1
        client.post(u("officer_attachment_publish", c, att.pk), {})
        att.refresh_from_db()
        assert not att.public

    def test_the_unit_sees_the_evidence_of_a_public_report_but_may_not_publish_it(self, client, login, ps, world):
        c = self.with_pdf(ps)
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute")
        att = c.attachments.get()
        login(world["employee_lpg"])
        assert client.get(u("officer_attachment", c, att.pk)).status_code == 200
        assert client.post(u("officer_attachment_publish", c, att.pk), {"public": "on"}).status_code == 403
        att.refresh_from_db()
        assert not att.public

    def test_the_unit_never_sees_the_attachments_of_an_anonymous_report(self, client, login, ps, world):
        c = self.with_pdf(ps, confidentiality="anonymous")
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute")
        login(world["employee_lpg"])
        assert client.get(u("officer_attachment", c, c.attachments.get().pk)).status_code == 404

    def test_another_agency_gets_404(self, client, login, ps, world):
        c = self.with_pdf(ps)
        login(world["complaints_gtlo"])
        assert client.get(u("officer_attachment", c, c.attachments.get().pk)).status_code == 404


class TestActions:
    def refused(self, r, message: str):
        assert r.status_code == 400
        assert message in r.content.decode()
        assert 'data-testid="refused"' in r.content.decode()

    def test_verify_and_forward_to_another_unit_stricter_with_field_inspection(
        self, client, login, ps, world, django_capture_on_commit_callbacks
    ):
        c = file(ps)
        login(world["complaints_lpg"])
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(
                u("officer_forward", c),
                {
                    "to_unit": ps["other"].code.lower(),
                    "field_inspection": "yes",
                    "confidentiality": "anonymous",
                    "classification": "violation",
                    "note": "Wewenang Samsat",
                },
            )
        assert r.status_code == 302 and r["Location"] == u("officer_complaint", c)
        c.refresh_from_db()
        assert (c.status, c.unit, c.field_inspection, c.confidentiality) == (
            "forwarded",
            ps["other"],
            True,
            "anonymous",
        )
        assert c.response_due == calendar.due_at(c.events.get(kind="verified").at, 60)  # field inspection: 60 days
        assert audits("complaint_forward") == 1
        assert [m.to for m in mail.outbox] == [["budi@warga.example"]]
        assert "UPT Samsat" in mail.outbox[0].body

    def test_re_routing_keeps_the_history(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["complaints_lpg"])
        client.post(u("officer_forward", c), {"to_unit": ps["other"].code, "note": "Salah unit"})
        events = list(c.events.filter(kind__in=["verified", "forwarded"]).values_list("kind", "to_unit_id"))
        assert events == [("verified", ps["unit"].pk), ("forwarded", ps["other"].pk)]

    def test_re_routing_to_another_agency_goes_back_to_the_queue(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["complaints_lpg"])
        r = client.post(u("officer_forward", c), {"to_unit": ps["gtlo"].code})
        assert r["Location"] == u("officer_queue")
        assert page(client, c).status_code == 404
        login(world["complaints_gtlo"])
        assert page(client, c).status_code == 200

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"confidentiality": "public"}, "Kerahasiaan hanya dapat diperketat"),
            ({"to_unit": "TIDAKADA"}, "Unit tujuan tidak ditemukan."),
            ({"to_unit": "INACTIVE"}, "Unit tujuan tidak aktif."),
        ],
    )
    def test_forward_refusals(self, client, login, ps, world, data, message):
        c = file(ps, confidentiality="anonymous")
        inactive = ServiceUnit.objects.create(agency=world["lpg"]["agency"], name="Unit tutup", active=False)
        data = {k: inactive.code if v == "INACTIVE" else v for k, v in data.items()}
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_forward", c), data), message)
        c.refresh_from_db()
        assert c.status == "received" and audits("complaint_forward") == 0

    def test_a_closed_report_cannot_be_forwarded(self, client, login, ps, world):
        c = forwarded(ps)
        services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah kami tangani.")
        services.complaint_close(actor=ps["officer"], complaint=c, outcome="Selesai")
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_forward", c), {}), "tidak dapat diteruskan lagi")

    def test_reject_with_a_reason(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_reject", c), {"reason": "  "}), "Tuliskan alasan penolakan.")
        assert client.post(u("officer_reject", c), {"reason": "Bukan layanan publik"}).status_code == 302
        c.refresh_from_db()
        assert (c.status, c.outcome) == ("rejected", "Bukan layanan publik") and audits("complaint_reject") == 1

    def test_a_forwarded_report_cannot_be_rejected(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_reject", c), {"reason": "Spam"}), "belum diverifikasi")

    def test_merge_a_duplicate_by_its_code(self, client, login, ps, world):
        keep, dup = file(ps), file(ps)
        login(world["complaints_lpg"])
        r = client.post(u("officer_merge", dup), {"into": keep.tracking_code.lower()})
        assert r.status_code == 302
        dup.refresh_from_db()
        assert (dup.status, dup.merged_into) == ("merged", keep) and audits("complaint_merge") == 1
        assert dup.tracking_code in page(client, keep).content.decode()  # listed on the surviving report

    @pytest.mark.parametrize(
        ("target", "message"),
        [
            ("", "Laporan dengan kode itu tidak ditemukan."),
            ("TIDAKADA", "Laporan dengan kode itu tidak ditemukan."),
            ("GTLO", "Laporan dengan kode itu tidak ditemukan."),  # out of reach: the same answer as missing
            ("SELF", "Pilih laporan lain yang masih aktif."),
        ],
    )
    def test_merge_refusals(self, client, login, ps, world, target, message):
        c = file(ps)
        other = file(ps, unit=ps["gtlo"])
        target = {"GTLO": other.tracking_code, "SELF": c.tracking_code}.get(target, target)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_merge", c), {"into": target}), message)
        c.refresh_from_db()
        assert c.status == "received" and audits("complaint_merge") == 0

    def test_the_unit_records_progress_and_responds(self, client, login, ps, world, django_capture_on_commit_callbacks):
        c = forwarded(ps)
        login(world["employee_lpg"])
        self.refused(client.post(u("officer_progress", c), {"note": ""}), "Tuliskan tindak lanjutnya.")
        assert client.post(u("officer_progress", c), {"note": "Dicek ke apotek"}).status_code == 302
        self.refused(client.post(u("officer_respond", c), {"text": "Oke"}), "Tanggapan terlalu pendek.")
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(u("officer_respond", c), {"text": "Loket tambahan dibuka mulai Senin."})
        assert r.status_code == 302
        c.refresh_from_db()
        assert c.status == "responded" and c.responded_at is not None
        assert (audits("complaint_progress"), audits("complaint_respond")) == (1, 1)
        assert [m.to for m in mail.outbox] == [["budi@warga.example"]]

    def test_progress_refused_on_an_unverified_report(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_progress", c), {"note": "Dicek"}), "tidak sedang ditindaklanjuti")

    def test_respond_refused_before_forwarding(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_respond", c), {"text": "Sudah kami tangani semua."}), "belum diteruskan")

    def test_close_with_the_outcome_after_the_response(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_close", c), {"outcome": "Selesai"}), "ditutup setelah ditanggapi")
        services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah kami tangani.")
        self.refused(client.post(u("officer_close", c), {"outcome": ""}), "Tuliskan hasil penyelesaiannya.")
        assert client.post(u("officer_close", c), {"outcome": "Loket tambahan dibuka"}).status_code == 302
        c.refresh_from_db()
        assert (c.status, c.outcome) == ("closed", "Loket tambahan dibuka") and audits("complaint_close") == 1

    def test_redact_the_public_text_side_by_side(self, client, login, ps, world):
        c = file(ps, description="Saya Budi Santoso NIK 1871 mengantre lebih dari tiga jam di loket obat.")
        login(world["complaints_lpg"])
        form = page(client, c).context["forms"]["redact"]
        assert form.initial["public_text"] == c.description  # starts from the original
        r = client.post(u("officer_redact", c), {"public_text": "[nama] mengantre lebih dari tiga jam di loket obat."})
        assert r.status_code == 302
        c.refresh_from_db()
        assert c.public_text.startswith("[nama]") and c.description.startswith("Saya Budi")
        html = page(client, c).content.decode()
        assert 'data-testid="original"' in html and "Saya Budi Santoso NIK 1871" in html and "[nama] mengantre" in html
        event = c.events.get(kind=ComplaintEvent.Kind.REDACTED)
        assert not event.citizen_visible and audits("complaint_redact") == 1

    def test_hide_and_show_again_with_a_reason(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        self.refused(client.post(u("officer_hide", c), {"hidden": "on", "reason": ""}), "Tuliskan alasannya.")
        assert client.post(u("officer_hide", c), {"hidden": "on", "reason": "Kata kasar"}).status_code == 302
        c.refresh_from_db()
        assert c.hidden
        assert page(client, c).context["forms"]["hide"].initial["hidden"] is False  # the toggle now shows it again
        client.post(u("officer_hide", c), {"reason": "Sudah disunting"})
        c.refresh_from_db()
        assert not c.hidden and audits("complaint_hide") == 2

    @pytest.mark.parametrize(
        ("action", "data"),
        [
            ("officer_forward", {"to_unit": ""}),
            ("officer_merge", {"into": "X"}),
            ("officer_close", {"outcome": "Selesai"}),
            ("officer_redact", {"public_text": "x"}),
            ("officer_hide", {"hidden": "on", "reason": "x"}),
        ],
    )
    def test_the_unit_may_respond_but_never_handle(self, client, login, ps, world, action, data):
        c = forwarded(ps)
        login(world["employee_lpg"])
        assert client.post(u(action, c), data).status_code == 403
        assert (
            AuditRecord.objects.exclude(action="publicservice.complaint_forward")
            .filter(action__startswith="publicservice.")
            .count()
            == 0
        )

    def test_another_agencys_officer_gets_404_on_every_action(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["complaints_gtlo"])
        for action in ("officer_forward", "officer_reject", "officer_merge", "officer_progress", "officer_respond"):
            assert client.post(u(action, c), {}).status_code == 404

    def test_actions_only_accept_post(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        assert client.get(u("officer_reject", c)).status_code == 405

    def test_forwarding_offers_units_found_by_name_across_agencies(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        r = client.get(u("officer_unit_search"), {"cari_unit": "dukcapil"})
        assert ps["gtlo"].code in r.content.decode() and ps["unit"].code not in r.content.decode()
        r = page(client, c)
        assert {x.code for x in r.context["unit_options"]} >= {ps["unit"].code, ps["other"].code}
        login(world["employee_lpg"])
        assert client.get(u("officer_unit_search"), {"cari_unit": "dukcapil"}).status_code == 404


# --- the unit's queue -------------------------------------------------------------------------------


class TestUnitQueue:
    def test_the_staff_see_what_is_with_their_unit_once_forwarded(self, client, login, ps, world):
        from tests.factories import make_unit

        lpg = world["lpg"]
        sibling = make_unit(lpg["agency"], "BKD-PNG", "Bidang Pengembangan", lpg["root"], kind="bidang")
        beside = ServiceUnit.objects.create(agency=lpg["agency"], org_unit=sibling, name="Layanan Diklat")
        mine = forwarded(ps)
        above = forwarded(ps, unit=ps["other"])  # the BKD's own unit: its staff, the Bidang's included, answer it
        waiting = file(ps)
        elsewhere = forwarded(ps, unit=beside)
        login(world["employee_lpg"])
        r = client.get(u("officer_unit_queue"))
        shown = {c.tracking_code for c in r.context["page"]}
        assert shown == {mine.tracking_code, above.tracking_code}
        assert waiting.tracking_code not in shown and elsewhere.tracking_code not in shown
        assert "Budi Santoso" not in r.content.decode()

    def test_escalated_reports_show_in_the_unit_heads_filter(self, client, login, ps, world):
        late, fine = forwarded(ps), forwarded(ps)
        services.escalate_overdue(now=late.response_due + datetime.timedelta(hours=1))
        Complaint.objects.filter(pk=fine.pk).update(escalation=0)
        login(world["supervisor_lpg"])
        r = client.get(u("officer_unit_queue"), {"escalation": "dieskalasi"})
        assert [c.tracking_code for c in r.context["page"]] == [late.tracking_code]
        assert 'data-testid="escalated"' in r.content.decode()

    def test_an_employee_whose_unit_serves_no_one_sees_an_empty_list(self, client, login, ps, world):
        forwarded(ps)
        login(world["employee_gtlo"])  # Gorontalo's service unit hangs off no org unit
        r = client.get(u("officer_unit_queue"))
        assert r.status_code == 200 and list(r.context["page"]) == []

    def test_someone_without_a_unit_gets_404(self, client, login, ps, world):
        login(world["complaints_lpg"])
        assert client.get(u("officer_unit_queue")).status_code == 404

    def test_query_count(self, client, login, ps, world, django_assert_max_num_queries):
        for _i in range(20):
            forwarded(ps)
        login(world["employee_lpg"])
        client.get(u("officer_unit_queue"))
        with django_assert_max_num_queries(13):
            assert client.get(u("officer_unit_queue")).status_code == 200


# --- the escalation job ---------------------------------------------------------------------------


class TestEscalationJob:
    def test_the_task_escalates_and_emails_the_agencys_officers(self, ps, emails):
        long_ago = timezone.now() - datetime.timedelta(days=60)
        c = file(ps, now=long_ago)
        secret = file(ps, now=long_ago, confidentiality="confidential", title="Pungutan liar petugas")
        file(ps, unit=ps["gtlo"])  # on time: nobody hears of it
        result = tasks.escalate_overdue.enqueue()
        assert result.return_value == {"unit_head": 0, "agency": 2, "emails": 1}
        c.refresh_from_db()
        assert c.escalation == 2
        assert [m.to for m in mail.outbox] == [["pengaduan@lampung.example"]]
        body = mail.outbox[0].body
        assert c.tracking_code in body and secret.tracking_code in body
        assert "Pungutan liar" not in body  # a confidential report's title stays out of email
        assert reverse("publicservice:officer_complaint", args=[c.tracking_code]) in body

    def test_at_the_first_level_the_unit_head_is_told_too(self, ps, emails):
        c = file(ps, now=T0)
        # a sengketa: 14 working days, the response due Friday 10 April
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute", now=T0)
        counts = tasks.run_escalation(now=datetime.datetime(2026, 4, 13, 9, 0, tzinfo=calendar.WIB))
        assert counts == {"unit_head": 1, "agency": 0, "emails": 2}
        assert sorted(m.to[0] for m in mail.outbox) == ["kabid@lampung.example", "pengaduan@lampung.example"]
        mail.outbox.clear()
        counts = tasks.run_escalation(now=datetime.datetime(2026, 4, 14, 9, 0, tzinfo=calendar.WIB))
        assert counts == {"unit_head": 0, "agency": 0, "emails": 0} and mail.outbox == []  # nothing new, no mail
        tasks.run_escalation(now=datetime.datetime(2026, 4, 20, 9, 0, tzinfo=calendar.WIB))
        assert [m.to for m in mail.outbox] == [["pengaduan@lampung.example"]]  # the agency level: officers only

    def test_a_late_verification_is_the_officers_business_not_the_units(self, ps, emails):
        file(ps, now=T0)  # verification due 25 March
        counts = tasks.run_escalation(now=datetime.datetime(2026, 3, 26, 9, 0, tzinfo=calendar.WIB))
        assert counts["unit_head"] == 1
        assert [m.to for m in mail.outbox] == [["pengaduan@lampung.example"]]

    def test_a_failing_mail_server_does_not_undo_the_escalation(self, ps, emails):
        c = file(ps, now=timezone.now() - datetime.timedelta(days=60))
        with mock.patch.object(notify, "send_mass_mail", side_effect=OSError("smtp down")):
            counts = tasks.run_escalation()
        c.refresh_from_db()
        assert counts["agency"] == 1 and counts["emails"] == 0 and c.escalation == 2

    def test_the_command_runs_it_and_can_queue_it(self, ps, emails):
        c = file(ps, now=timezone.now() - datetime.timedelta(days=60))
        out = io.StringIO()
        call_command("complaints_escalate", stdout=out)
        assert "escalated 0 to unit heads and 1 to agencies; 1 emails sent" in out.getvalue()
        c.refresh_from_db()
        assert c.escalation == 2
        out = io.StringIO()
        call_command("complaints_escalate", "--enqueue", stdout=out)
        assert out.getvalue().startswith("escalation queued:")

    def test_escalated_reports_show_in_the_agencys_filter(self, client, login, ps, world):
        late = file(ps, now=timezone.now() - datetime.timedelta(days=60))
        file(ps)
        tasks.run_escalation()
        login(world["complaints_lpg"])
        r = client.get(u("officer_queue"), {"escalation": "dieskalasi"})
        assert [c.tracking_code for c in r.context["page"]] == [late.tracking_code]
        assert r.context["counts"]["escalated"] == 1
