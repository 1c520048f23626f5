"""The citizen's pages without an account: the report form and its spam defences, the receipt that shows the
reply key once, the status page with and without the key, the public list and the dashboards, and that a
confidential report or an anonymous reporter's name never leaks onto any of them."""

import datetime
import io
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from publicservice import antispam, selectors, services
from publicservice.models import Complaint, ComplaintAttachment, ComplaintEvent, ServiceUnit

pytestmark = pytest.mark.django_db

REPORT = reverse("publicservice:report")
RECEIPT = reverse("publicservice:receipt")
LIST = reverse("publicservice:list")
DASHBOARD = reverse("publicservice:dashboard")
SHOTS = Path(os.environ.get("PAMONG_SCREENSHOTS", "/tmp/pamong-screens"))


class Clock:
    """The anti-spam module's clock, moved by hand so that 'too fast' and 'too old' can be tried."""

    def __init__(self):
        self.t = 1_800_000_000.0

    def __call__(self):
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(autouse=True)
def quick(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLICSERVICE_ANTISPAM = {"POW_BITS": 8}
    clock = Clock()
    monkeypatch.setattr(antispam, "_now", clock)
    return clock


@pytest.fixture
def browser():
    """Another browser: its own cookies and session (and, with REMOTE_ADDR=…, its own address)."""
    return Client


def fields(ps, **kw) -> dict:
    data = {
        "kind": "complaint",
        "unit": ps["unit"].code,
        "title": "Antrean obat lama",
        "description": "Antrean di loket obat lebih dari tiga jam tanpa kejelasan.",
        "location": "Loket obat",
        "confidentiality": "public",
        "reporter_name": "Siti Pelapor",
        "reporter_contact": "siti@example.org",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def challenge(client) -> str:
    page = client.get(REPORT)
    assert page.status_code == 200
    return page.context["antispam"]["token"]


def send(client, clock, ps, *, wait=5, token=None, nonce=None, **kw):
    """Open the form, wait like a person, solve the work, and post."""
    token = token or challenge(client)
    clock.advance(wait)
    data = fields(ps, **kw)
    data[antispam.TOKEN] = token
    data[antispam.NONCE] = nonce if nonce is not None else antispam.solve(token, antispam.config()["POW_BITS"])
    return client.post(REPORT, data)


def jpeg_with_gps(name="foto.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (20, 10), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (5.0, 25.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def nothing_written():
    return not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def page_text(response) -> str:
    return response.content.decode()


class TestIntake:
    def test_a_report_is_filed_and_the_receipt_shows_the_key_once(self, client, ps, quick):
        resp = send(client, quick, ps, attachments=[jpeg_with_gps()])
        assert resp.status_code == 302 and resp["Location"] == RECEIPT
        c = Complaint.objects.get()
        assert (c.title, c.unit, c.agency, c.reporter_name, c.reporter_contact) == (
            "Antrean obat lama",
            ps["unit"],
            ps["unit"].agency,
            "Siti Pelapor",
            "siti@example.org",
        )
        receipt = client.get(RECEIPT)
        assert receipt["Cache-Control"] == "no-store"
        html = page_text(receipt)
        key = re.search(r'data-testid="reply-key">([^<]+)<', html).group(1)
        assert c.tracking_code in html and services.citizen_complaint(c.tracking_code, key) == c
        again = page_text(client.get(RECEIPT))
        assert c.tracking_code in again and key not in again and 'data-testid="key-gone"' in again

    def test_the_receipt_without_a_report_sends_to_the_form(self, client):
        assert client.get(RECEIPT)["Location"] == REPORT

    def test_photo_metadata_is_stripped_end_to_end(self, client, ps, quick):
        raw = jpeg_with_gps()
        assert b"KameraRahasia" in raw.read()
        raw.seek(0)
        send(client, quick, ps, attachments=[raw])
        att = ComplaintAttachment.objects.get()
        stored = att.file.read()
        assert b"KameraRahasia" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
        served = client.get(reverse("publicservice:attachment", args=[att.complaint.tracking_code, att.pk]))
        body = b"".join(served.streaming_content)
        assert served.status_code == 200 and body == stored

    def test_attachments_are_for_the_key_holder_or_published_by_an_officer(self, client, browser, ps, quick):
        send(client, quick, ps, attachments=[jpeg_with_gps()])
        att = ComplaintAttachment.objects.select_related("complaint").get()
        url = reverse("publicservice:attachment", args=[att.complaint.tracking_code, att.pk])
        forward_and_respond(ps, att.complaint)
        assert browser().get(url).status_code == 404
        services.attachment_publish(actor=ps["officer"], attachment=att, public=True)
        assert browser().get(url).status_code == 200
        Complaint.objects.filter(pk=att.complaint_id).update(confidentiality="confidential")
        assert browser().get(url).status_code == 404
        assert client.get(url).status_code == 200

    def test_the_unit_can_be_chosen_beforehand_by_its_code(self, client, ps):
        page = client.get(REPORT + f"?unit={ps['unit'].code}")
        assert page.context["chosen_unit"] == ps["unit"]

    def test_the_default_work_is_real_and_solvable(self, client, ps, quick, settings):
        settings.PUBLICSERVICE_ANTISPAM = {}
        assert antispam.config()["POW_BITS"] >= 16
        assert send(client, quick, ps).status_code == 302


class TestRefusals:
    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"website": "http://spam.example"}, "honeypot"),
            ({"wait": 1}, "too_fast"),
            ({"wait": 2 * 3600 + 5}, "expired"),
            ({"nonce": "1"}, "work"),
            ({"token": "forged:token"}, "token"),
        ],
    )
    def test_automated_posts_are_refused_and_write_nothing(self, client, ps, quick, change, code):
        kw = dict(change)
        if code == "work":  # a nonce that does not solve the challenge
            token = challenge(client)
            kw = {"token": token, "nonce": next(str(n) for n in range(999) if not antispam.work_ok(token, str(n), 8))}
        resp = send(client, quick, ps, **kw)
        assert resp.status_code == 400
        assert resp.context["refusal"].code == code
        assert nothing_written()

    def test_a_token_from_another_form_is_refused(self, client, ps, quick, rf):
        other = antispam.issue_challenge(rf.get("/"), "survey", now=quick())["token"]
        resp = send(client, quick, ps, token=other)
        assert resp.status_code == 400 and resp.context["refusal"].code == "token" and nothing_written()

    def test_a_solved_form_cannot_be_posted_twice(self, client, ps, quick):
        token = challenge(client)
        assert send(client, quick, ps, token=token).status_code == 302
        again = send(client, quick, ps, token=token, title="Antrean obat lama sekali")
        assert again.status_code == 400 and again.context["refusal"].code == "replay"
        assert Complaint.objects.count() == 1

    def test_a_device_is_limited_per_hour_with_429(self, client, ps, quick):
        for _i in range(5):
            assert send(client, quick, ps).status_code == 302
        resp = send(client, quick, ps)
        assert resp.status_code == 429 and resp["Retry-After"] == "3600"
        assert "Terlalu banyak kiriman" in page_text(resp)
        assert Complaint.objects.count() == 5

    def test_an_address_is_limited_across_devices(self, browser, ps, quick, settings):
        settings.PUBLICSERVICE_ANTISPAM = {"POW_BITS": 8, "PER_ADDRESS": (2, 3600)}
        for _i in range(2):
            assert send(browser(), quick, ps).status_code == 302
        resp = send(browser(), quick, ps)
        assert resp.status_code == 429 and Complaint.objects.count() == 2
        other_address = browser(REMOTE_ADDR="10.1.2.3")
        assert send(other_address, quick, ps).status_code == 302

    @pytest.mark.parametrize(
        ("kw", "field", "message"),
        [
            ({"title": None}, "title", ""),
            ({"title": "abc"}, "title", ""),
            ({"description": "pendek"}, "description", ""),
            ({"kind": "x"}, "kind", ""),
            ({"kind": None}, "kind", ""),
            ({"unit": ""}, "unit", "Pilih unit layanan"),
            ({"unit": "TIDAKADA12345"}, "unit", "Pilih unit layanan"),
            ({"confidentiality": "semua"}, "confidentiality", ""),
            ({"reporter_contact": "bukan kontak"}, "reporter_contact", "valid"),
        ],
    )
    def test_missing_or_wrong_fields_write_nothing(self, client, ps, quick, kw, field, message):
        resp = send(client, quick, ps, **kw)
        assert resp.status_code == 400
        errors = resp.context["form"].errors
        assert field in errors and message in " ".join(errors[field])
        assert nothing_written()

    def test_an_inactive_unit_is_refused(self, client, ps, quick):
        ServiceUnit.objects.filter(pk=ps["unit"].pk).update(active=False)
        resp = send(client, quick, ps)
        assert resp.status_code == 400 and "unit" in resp.context["form"].errors and nothing_written()

    @pytest.mark.parametrize(
        ("files", "message"),
        [
            ([SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 100)], "JPG/PNG"),
            ([SimpleUploadedFile("palsu.jpg", b"MZ" + b"0" * 100, content_type="image/jpeg")], "JPG/PNG"),
            (
                [SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")],
                "5 MB",
            ),
            ([jpeg_with_gps(f"f{i}.jpg") for i in range(4)], "Paling banyak 3"),
        ],
    )
    def test_wrong_attachments_write_nothing(self, client, ps, quick, files, message):
        resp = send(client, quick, ps, attachments=files)
        assert resp.status_code == 400
        assert message in " ".join(resp.context["form"].errors["attachments"])
        assert nothing_written()


class TestUnitSearch:
    def test_finds_active_units_by_name_or_agency(self, client, ps):
        ServiceUnit.objects.create(agency=ps["unit"].agency, name="Puskesmas Lama Tutup", active=False)
        html = page_text(client.get(reverse("publicservice:unit_search"), {"q": "puskesmas"}))
        assert "Puskesmas Kedaton" in html and "Tutup" not in html
        by_agency = page_text(client.get(reverse("publicservice:unit_search"), {"q": "gorontalo"}))
        assert "Dukcapil Gorontalo" in by_agency and "Kedaton" not in by_agency
        assert 'data-unit-code="' not in page_text(client.get(reverse("publicservice:unit_search"), {"q": "x"}))


@pytest.fixture
def filed(client, ps, quick):
    """A public report filed through the form by ``client`` (who keeps its key in the session)."""
    send(client, quick, ps)
    html = page_text(client.get(RECEIPT))
    c = Complaint.objects.get()
    return c, re.search(r'data-testid="reply-key">([^<]+)<', html).group(1)


def status_url(c) -> str:
    return reverse("publicservice:status", args=[c.tracking_code])


def forward_and_respond(ps, c, text="Loket tambahan dibuka mulai Senin."):
    lampung = c.agency_id == ps["unit"].agency_id
    officer, responder = (ps["officer"], ps["staff"]) if lampung else (ps["officer_gtlo"], ps["officer_gtlo"])
    services.complaint_forward(actor=officer, complaint=c, classification="grievance", note="Diteruskan ke puskesmas")
    return services.complaint_respond(actor=responder, complaint=c, text=text)


class TestStatusPage:
    def test_anyone_with_the_code_sees_status_due_date_history_and_response_without_officer_names(
        self, browser, ps, filed, world
    ):
        c, _key = filed
        forward_and_respond(ps, c)
        stranger = browser()
        resp = stranger.get(status_url(c))
        html = page_text(resp)
        assert resp.status_code == 200 and resp["X-Robots-Tag"] == "noindex, nofollow"
        assert "Sudah ditanggapi" in html and "Loket tambahan dibuka mulai Senin." in html
        assert "Diteruskan ke puskesmas" in html and "Antrean obat lama" in html
        for name in ("pengaduan.lpg", "pegawai.lpg", world["employee_lpg"].full_name, "Siti Pelapor", "siti@example"):
            assert name not in html
        assert 'data-testid="key-form"' in html and 'data-testid="reply-form"' not in html

    def test_an_open_report_past_its_deadline_is_marked_overdue(self, client, ps, filed):
        c, _key = filed
        Complaint.objects.filter(pk=c.pk).update(verify_due=timezone.now() - datetime.timedelta(hours=1))
        html = page_text(client.get(status_url(c)))
        assert 'data-testid="overdue"' in html and 'data-testid="due"' in html

    def test_codes_are_case_insensitive_and_unknown_ones_answer_404(self, client, filed):
        c, _key = filed
        assert client.get(reverse("publicservice:status", args=[c.tracking_code.lower()]))["Location"] == status_url(c)
        assert client.get(reverse("publicservice:status", args=["ABCDEFGHJKLMNP"])).status_code == 404
        assert client.get(reverse("publicservice:track"), {"code": c.tracking_code})["Location"] == status_url(c)

    def test_guessing_codes_is_rate_limited(self, client, filed):
        c, _key = filed
        for n in range(30):
            client.get(reverse("publicservice:status", args=[f"ZZZZZZZZZZZ{n:03d}"]))
        assert client.get(reverse("publicservice:status", args=["ZZZZZZZZZZZZZZ"])).status_code == 429
        assert client.get(status_url(c)).status_code == 429

    def test_the_citizens_own_replies_show_only_to_the_key_holder(self, client, browser, ps, filed):
        c, key = filed
        forward_and_respond(ps, c)
        services.complaint_reply(code=c.tracking_code, key=key, text="Nomor antrean saya 0812-1111")
        assert "0812-1111" in page_text(client.get(status_url(c)))
        assert "0812-1111" not in page_text(browser().get(status_url(c)))


class TestReporterActions:
    def test_the_filer_can_reply_with_the_key_kept_in_the_session(self, client, filed):
        c, _key = filed
        client.post(status_url(c), {"action": "reply", "text": "Tambahan: terjadi setiap Senin."})
        assert c.events.filter(kind=ComplaintEvent.Kind.CITIZEN_REPLY, text="Tambahan: terjadi setiap Senin.").exists()

    def test_without_the_key_or_with_a_wrong_one_nothing_happens(self, browser, ps, filed):
        c, _key = filed
        forward_and_respond(ps, c)
        stranger = browser()
        stranger.post(status_url(c), {"action": "reply", "text": "Balasan orang lain."})
        stranger.post(status_url(c), {"action": "rate", "rating": "1"})
        stranger.post(status_url(c), {"action": "unlock", "key": "tebakan-salah"})
        resp = stranger.post(status_url(c), {"action": "reply", "text": "Balasan kedua.", "key": "tebakan-salah"})
        c.refresh_from_db()
        assert not c.events.filter(kind=ComplaintEvent.Kind.CITIZEN_REPLY).exists() and c.rating is None
        assert "salah" in page_text(stranger.get(resp["Location"]))

    def test_the_key_typed_on_another_device_unlocks_the_actions(self, browser, ps, filed):
        c, key = filed
        forward_and_respond(ps, c)
        phone = browser()
        phone.post(status_url(c), {"action": "unlock", "key": key})
        html = page_text(phone.get(status_url(c)))
        assert 'data-testid="reply-form"' in html and 'data-testid="rate-form"' in html
        phone.post(status_url(c), {"action": "rate", "rating": "4", "comment": "Cukup cepat"})
        c.refresh_from_db()
        assert (c.rating, c.rating_comment) == (4, "Cukup cepat")
        phone.post(status_url(c), {"action": "forget"})
        assert 'data-testid="reply-form"' not in page_text(phone.get(status_url(c)))

    def test_rating_waits_for_a_response(self, client, filed):
        c, _key = filed
        resp = client.post(status_url(c), {"action": "rate", "rating": "5"}, follow=True)
        c.refresh_from_db()
        assert c.rating is None and "setelah laporan ditanggapi" in page_text(resp)

    def test_reopen_within_the_window_and_not_after(self, client, ps, filed):
        c, _key = filed
        forward_and_respond(ps, c)
        services.complaint_close(actor=ps["officer"], complaint=c, outcome="Loket tambahan dibuka")
        assert 'data-testid="reopen-form"' in page_text(client.get(status_url(c)))
        client.post(status_url(c), {"action": "reopen", "reason": "Loket tambahan tidak pernah buka."})
        c.refresh_from_db()
        assert c.status == "in_progress" and c.reopened == 1

        forward_and_respond(ps, c, text="Loket tambahan kini dibuka setiap hari.")
        services.complaint_close(actor=ps["officer"], complaint=c, outcome="Selesai")
        Complaint.objects.filter(pk=c.pk).update(closed_at=timezone.now() - datetime.timedelta(days=11))
        assert 'data-testid="reopen-form"' not in page_text(client.get(status_url(c)))
        resp = client.post(status_url(c), {"action": "reopen", "reason": "Masih terjadi lagi minggu ini."}, follow=True)
        c.refresh_from_db()
        assert c.status == "closed" and c.reopened == 1 and "sudah lewat" in page_text(resp)


def make(ps, *, confidentiality="public", title="Antrean obat lama", name="", unit=None, respond=True, **kw):
    c, key = services.complaint_submit(
        kind=kw.pop("kind", "complaint"),
        unit=unit or ps["unit"],
        title=title,
        description=kw.pop("description", "Antrean di loket obat lebih dari tiga jam tanpa kejelasan."),
        confidentiality=confidentiality,
        reporter_name=name,
    )
    if respond:
        forward_and_respond(ps, c)
    return Complaint.objects.get(pk=c.pk), key


class TestConfidentiality:
    @pytest.fixture
    def three(self, ps):
        secret, _k = make(
            ps,
            confidentiality="confidential",
            title="Pungli petugas loket RAHASIA",
            description="Petugas meminta uang RAHASIA-ISI di luar tarif.",
        )
        anon, _k = make(ps, confidentiality="anonymous", title="Toilet rusak anonim", name="Budi Anonim")
        public, _k = make(ps, title="Parkir penuh publik", name="Ani Terbuka")
        return secret, anon, public

    def pages(self, client, ps):
        agency = ps["unit"].agency
        urls = [
            LIST,
            LIST + f"?instansi={agency.code}",
            DASHBOARD,
            DASHBOARD + "?format=json",
            reverse("publicservice:dashboard_agency", args=[agency.code]),
            reverse("publicservice:dashboard_agency", args=[agency.code]) + "?format=json",
            reverse("publicservice:dashboard_unit", args=[ps["unit"].code]),
            reverse("publicservice:dashboard_unit", args=[ps["unit"].code]) + "?format=json",
        ]
        for url in urls:
            resp = client.get(url)
            assert resp.status_code == 200, url
            yield url, page_text(resp)

    def test_a_confidential_report_never_appears_but_is_counted(self, client, ps, three):
        secret, anon, public = three
        for url, html in self.pages(client, ps):
            for leak in (secret.tracking_code, "RAHASIA", "Pungli"):
                assert leak not in html, (url, leak)
        list_html = page_text(client.get(LIST))
        assert public.tracking_code in list_html and anon.tracking_code in list_html
        data = client.get(reverse("publicservice:dashboard_unit", args=[ps["unit"].code]) + "?format=json").json()
        assert data["totals"]["total"] == 3 and data["totals"]["confidential"] == 1

    def test_an_anonymous_reporters_name_is_on_no_public_page(self, client, ps, three):
        secret, anon, public = three
        for url, html in self.pages(client, ps):
            assert "Budi Anonim" not in html, url
        status = page_text(client.get(status_url(anon)))
        assert "Toilet rusak anonim" in status and "Budi Anonim" not in status
        assert "Ani Terbuka" in page_text(client.get(LIST))

    def test_the_status_page_of_a_confidential_report_shows_no_text_without_the_key(self, browser, ps):
        secret, key = make(
            ps,
            confidentiality="confidential",
            title="Pungli petugas RAHASIA",
            description="Isi RAHASIA-ISI laporan ini.",
        )
        stranger = browser()
        html = page_text(stranger.get(status_url(secret)))
        assert "Sudah ditanggapi" in html and 'data-testid="text-withheld"' in html
        for leak in ("RAHASIA", "Loket tambahan dibuka"):
            assert leak not in html
        stranger.post(status_url(secret), {"action": "unlock", "key": key})
        html = page_text(stranger.get(status_url(secret)))
        assert "Isi RAHASIA-ISI laporan ini." in html and "Loket tambahan dibuka" in html

    def test_a_report_made_confidential_by_the_verifier_leaves_the_list(self, client, ps):
        c, _key = make(ps, confidentiality="anonymous", title="Nama pihak ketiga disebut", respond=False)
        services.complaint_forward(
            actor=ps["officer"], complaint=c, classification="grievance", confidentiality="confidential"
        )
        assert "Nama pihak ketiga" not in page_text(client.get(LIST))


class TestPublicList:
    def test_only_verified_visible_public_reports_are_listed_with_redacted_text(self, client, ps):
        waiting, _k = make(ps, title="Belum diverifikasi", respond=False)
        hidden, _k = make(ps, title="Kata kasar tersembunyi")
        services.complaint_hide(actor=ps["officer"], complaint=hidden, hidden=True, reason="Kasar")
        rejected, _k = make(ps, title="Laporan ditolak", respond=False)
        services.complaint_reject(actor=ps["officer"], complaint=rejected, reason="Tidak jelas")
        shown, _k = make(ps, title="Parkir penuh", description="Nama saya Ani, NIK 1871xxxx, parkir penuh sekali.")
        services.complaint_redact(actor=ps["officer"], complaint=shown, public_text="Parkir penuh sekali.")
        html = page_text(client.get(LIST))
        assert "Parkir penuh sekali." in html and "NIK 1871" not in html
        for absent in ("Belum diverifikasi", "Kata kasar", "Laporan ditolak"):
            assert absent not in html

    def test_filters_by_agency_unit_and_status(self, client, ps):
        make(ps, title="Di puskesmas")
        make(ps, title="Di samsat", unit=ps["other"])
        make(ps, title="Di gorontalo", unit=ps["gtlo"])
        agency = ps["unit"].agency.code
        by_agency = page_text(client.get(LIST, {"instansi": agency}))
        assert "Di puskesmas" in by_agency and "Di samsat" in by_agency and "Di gorontalo" not in by_agency
        by_unit = page_text(client.get(LIST, {"instansi": agency, "unit": ps["other"].code}))
        assert "Di samsat" in by_unit and "Di puskesmas" not in by_unit
        assert "Di puskesmas" not in page_text(client.get(LIST, {"status": "closed"}))
        assert "Di puskesmas" in page_text(client.get(LIST, {"status": "responded"}))

    def test_the_list_is_paginated_with_bounded_queries(self, client, ps, django_assert_max_num_queries):
        for i in range(25):
            make(ps, title=f"Laporan nomor {i:02d}", name=f"Warga {i}", respond=False)
        Complaint.objects.update(status="forwarded")
        with django_assert_max_num_queries(5):  # count, page, agencies and units for the filters
            first = client.get(LIST, {"instansi": ps["unit"].agency.code})
        assert len(first.context["rows"]) == 20 and first.context["page"].paginator.count == 25
        second = client.get(LIST, {"page": 2})
        assert len(second.context["rows"]) == 5


class TestDashboard:
    def test_numbers_on_time_rate_median_and_rating(self, client, ps):
        now = timezone.now()
        durations = [1, 2, 4, 10]  # days from filing to the first response
        for i, days in enumerate(durations):
            c, _k = make(ps, title=f"Laporan {i}", respond=False)
            filed_at = now - datetime.timedelta(days=20)
            Complaint.objects.filter(pk=c.pk).update(
                created_at=filed_at,
                status="responded",
                responded_at=filed_at + datetime.timedelta(days=days),
                response_due=filed_at + datetime.timedelta(days=5),
                rating=i + 2,
            )
        late_open, _k = make(ps, title="Terlambat", respond=False, kind="information")
        Complaint.objects.filter(pk=late_open.pk).update(
            status="forwarded", response_due=now - datetime.timedelta(days=1)
        )
        make(ps, title="Baru masuk", respond=False, unit=ps["other"])
        data = client.get(
            reverse("publicservice:dashboard_agency", args=[ps["unit"].agency.code]) + "?format=json"
        ).json()
        t = data["totals"]
        assert (t["total"], t["responded"], t["on_time"], t["late"], t["overdue"], t["open"]) == (6, 4, 3, 2, 1, 2)
        assert t["on_time_rate"] == 60.0 and t["median_days_to_first_response"] == 3.0 and t["rating"] == 3.5
        assert data["by_kind"] == {"complaint": 5, "aspiration": 0, "information": 1}
        units = {r["code"]: r for r in data["unit"]}
        assert units[ps["unit"].code]["total"] == 5 and units[ps["other"].code]["total"] == 1
        assert units[ps["unit"].code]["median_days_to_first_response"] == 3.0
        assert units[ps["other"].code]["median_days_to_first_response"] is None
        assert sum(m["by_kind"]["complaint"] for m in data["by_month"]) == 5 and len(data["by_month"]) == 12

    def test_the_odd_median_is_the_middle_one_per_unit(self, ps):
        now = timezone.now()
        for i, days in enumerate([3, 1, 7]):
            c, _k = make(ps, title=f"Laporan {i}", respond=False)
            Complaint.objects.filter(pk=c.pk).update(responded_at=c.created_at + datetime.timedelta(days=days))
        d = selectors.dashboard(agency=ps["unit"].agency, now=now)
        assert d["totals"]["median_days"] == 3.0 and d["rows"][0]["median_days"] == 3.0

    def test_merged_reports_are_counted_once_and_old_ones_not_at_all(self, ps):
        a, _k = make(ps, respond=False)
        b, _k = make(ps, title="Duplikat", respond=False)
        services.complaint_merge(actor=ps["officer"], complaint=b, into=a)
        old, _k = make(ps, title="Tahun lalu", respond=False)
        Complaint.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
        assert selectors.dashboard(unit=ps["unit"])["totals"]["total"] == 1

    @pytest.mark.parametrize("scope", ["all", "agency", "unit"])
    def test_dashboards_run_a_fixed_number_of_queries(self, client, ps, scope, django_assert_max_num_queries):
        url = {
            "all": DASHBOARD,
            "agency": reverse("publicservice:dashboard_agency", args=[ps["unit"].agency.code]),
            "unit": reverse("publicservice:dashboard_unit", args=[ps["unit"].code]),
        }[scope]
        make(ps, title="Satu laporan")
        with django_assert_max_num_queries(6) as few:  # the scope, three aggregates, the filter's agencies
            client.get(url)
        from django.core.cache import cache

        for i in range(15):
            make(ps, title=f"Lagi {i}", unit=ps["other"] if i % 2 else ps["unit"])
        cache.clear()
        with django_assert_max_num_queries(len(few.captured_queries)):
            resp = client.get(url)
        assert resp.status_code == 200

    def test_unknown_agency_or_unit_answers_404(self, client):
        assert client.get(reverse("publicservice:dashboard_agency", args=["TIDAK-ADA"])).status_code == 404
        assert client.get(reverse("publicservice:dashboard_unit", args=["TIDAKADA"])).status_code == 404


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_a_citizen_files_a_report_in_the_browser(live_server, ps, settings, monkeypatch, tmp_path):
    """The typeahead, the browser's check of attachments, the proof of work with its progress, the receipt."""
    monkeypatch.setattr(antispam, "_now", time.time)
    settings.PUBLICSERVICE_ANTISPAM = {"MIN_SECONDS": 1}  # the real work (16 bits), a quicker typist
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    big = tmp_path / "besar.pdf"
    big.write_bytes(b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1))
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(jpeg_with_gps().read())
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        page = browser.new_context(locale="id-ID").new_page()
        page.set_default_timeout(20000)
        page.goto(live_server.url + REPORT)
        page.check("input[name=kind][value=information]")
        page.fill("#unit-search", "kedaton")
        page.click("[data-unit-code]")
        assert "Puskesmas Kedaton" in page.inner_text("[data-testid=unit-chosen]")
        page.fill("#id_title", "Jadwal imunisasi anak")
        page.fill("#id_description", "Kapan jadwal imunisasi campak bulan depan di puskesmas ini?")
        page.set_input_files("#id_attachments", str(big))
        assert "5 MB" in page.inner_text("#attachments-error")
        page.set_input_files("#id_attachments", str(photo))
        assert page.is_hidden("#attachments-error")
        page.check("input[name=confidentiality][value=anonymous]")
        page.wait_for_selector("[data-pow-submit]:not([disabled])")
        page.click("[data-testid=submit]")
        page.wait_for_selector("[data-testid=reply-key]")
        key = page.inner_text("[data-testid=reply-key]")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "complaint-receipt.png"), full_page=True)
        browser.close()
    c = Complaint.objects.get()
    assert (c.kind, c.unit, c.confidentiality) == ("information", ps["unit"], "anonymous")
    assert services.citizen_complaint(c.tracking_code, key) == c
    assert b"KameraRahasia" not in c.attachments.get().file.read()
