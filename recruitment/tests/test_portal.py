"""The applicant's pages: register, apply once however often the form is sent, the receipt."""

import pytest

from recruitment.models import Application
from recruitment.tests.conftest import make_formation

pytestmark = pytest.mark.django_db


def test_register_apply_twice_and_see_one_receipt(client, world, period):
    f = make_formation(world, period)
    resp = client.post(
        "/seleksi/daftar/",
        {"nik": "1871010101990009", "name": "Sari Pelamar", "birth_date": "1999-01-01",
         "education": f.education.first().pk, "password": "Sandi-Pelamar-2026!"},
    )
    assert resp.status_code == 302
    form = client.get(f"/seleksi/formasi/{f.pk}/lamar/").content.decode()
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    first = client.post(f"/seleksi/formasi/{f.pk}/lamar/", {"category": "umum", "idempotency_key": key})
    second = client.post(f"/seleksi/formasi/{f.pk}/lamar/", {"category": "umum", "idempotency_key": key})
    assert first["Location"] == second["Location"] and Application.objects.count() == 1
    receipt = client.get(first["Location"]).content.decode()
    number = Application.objects.get().registration_number
    assert number in receipt and "187101••••••••••" in receipt and "1871010101990009" not in receipt
    assert number in client.get("/seleksi/saya/").content.decode()


def test_a_bad_nik_is_reported_in_indonesian(client, db):
    html = client.post(
        "/seleksi/daftar/",
        {"nik": "18710101019900XX", "name": "x", "birth_date": "1999-01-01", "education": 1, "password": "Sandi-Pelamar-2026!"},
    ).content.decode()
    assert "NIK harus 16 digit angka." in html


def test_someone_elses_receipt_is_not_found(client, world, period):
    from datetime import date

    from accounts.access import build_actor
    from personnel.models import EducationLevel
    from recruitment.services import applicant_register, application_submit

    f = make_formation(world, period)
    s1 = EducationLevel.objects.get(code="S1")
    a = applicant_register(nik="1871010101990011", name="A", birth_date=date(1999, 1, 1), education=s1, password="Sandi-Pelamar-2026!")
    b = applicant_register(nik="1871010101990012", name="B", birth_date=date(1999, 1, 1), education=s1, password="Sandi-Pelamar-2026!")
    app = application_submit(actor=build_actor(a.user), formation=f, category="umum", idempotency_key="a1")
    client.force_login(b.user)
    assert client.get(f"/seleksi/lamaran/{app.registration_number}/").status_code == 404
    client.force_login(world["employee_lpg"])  # a civil servant without an applicant account
    assert client.get(f"/seleksi/formasi/{f.pk}/lamar/").status_code == 403


def test_committee_desk_verify_and_appeal_through_the_pages(client, world, period):
    import datetime as dt

    from django.utils import timezone

    from accounts.access import build_actor
    from personnel.models import EducationLevel
    from recruitment.services import applicant_register, application_submit

    f = make_formation(world, period)
    a = applicant_register(
        nik="1871010101990031", name="Budi", birth_date=dt.date(1999, 1, 1),
        education=EducationLevel.objects.get(code="S1"), password="Sandi-Pelamar-2026!",
    )
    app = application_submit(actor=build_actor(a.user), formation=f, category="umum", idempotency_key="p1")
    client.force_login(world["committee_lpg"])
    desk = client.get("/seleksi/panitia/").content.decode()
    assert app.registration_number in desk
    client.post("/seleksi/panitia/", {"action": "verify", "application": app.pk, "eligible": "0", "reason": "education", "note": ""})
    app.refresh_from_db()
    assert app.status == "ineligible"
    now = timezone.now()
    period.appeal_opens, period.appeal_closes = now - dt.timedelta(hours=1), now + dt.timedelta(days=1)
    period.save()
    client.force_login(a.user)
    page = client.get(f"/seleksi/lamaran/{app.registration_number}/").content.decode()
    assert "Kualifikasi pendidikan tidak sesuai" in page and 'data-testid="appeal-form"' in page
    client.post(f"/seleksi/lamaran/{app.registration_number}/", {"text": "S1 Psikologi termasuk kualifikasi."})
    client.force_login(world["committee_lpg"])
    appeal_id = app.appeal.pk
    client.post("/seleksi/panitia/", {"action": "appeal", "appeal": appeal_id, "granted": "1", "response": "Benar, diterima."})
    app.refresh_from_db()
    assert app.status == "eligible"
    client.force_login(world["committee_gtlo"])
    assert app.registration_number not in client.get("/seleksi/panitia/?status=eligible").content.decode()
    client.force_login(world["employee_lpg"])
    assert client.get("/seleksi/panitia/").status_code == 404


def test_announcements_are_public(client, world, period):
    from accounts.access import build_actor
    from recruitment.services import announcement_publish

    announcement_publish(actor=build_actor(world["committee_lpg"]), period=period, agency=world["lpg"]["agency"], title="Hasil seleksi administrasi", body="Daftar terlampir.")
    assert "Hasil seleksi administrasi" in client.get("/seleksi/pengumuman/").content.decode()


def test_documents_checked_by_content_and_size_and_served_to_owner_and_committee(client, world, period, settings, tmp_path):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.access import build_actor
    from personnel.models import EducationLevel
    from recruitment.services import applicant_register, application_submit

    settings.MEDIA_ROOT = tmp_path
    f = make_formation(world, period)
    a = applicant_register(
        nik="1871010101990041", name="Citra", birth_date=dt.date(1999, 1, 1),
        education=EducationLevel.objects.get(code="S1"), password="Sandi-Pelamar-2026!",
    )
    app = application_submit(actor=build_actor(a.user), formation=f, category="umum", idempotency_key="d1")
    client.force_login(a.user)
    url = f"/seleksi/lamaran/{app.registration_number}/"
    page = client.get(url).content.decode()
    assert 'accept=".pdf"' in page and "data-max-bytes" in page  # the browser checks first
    fake = SimpleUploadedFile("ijazah.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    resp = client.post(url, {"action": "document", "kind": "ijazah", "file": fake}, follow=True)
    assert "bukan PDF" in resp.content.decode() and not app.documents.exists()
    big = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff" + b"0" * (301 * 1024), content_type="image/jpeg")
    resp = client.post(url, {"action": "document", "kind": "pas_foto", "file": big}, follow=True)
    assert "melebihi batas 300 KB" in resp.content.decode() and not app.documents.exists()
    good = SimpleUploadedFile("ijazah.pdf", b"%PDF-1.7 ijazah", content_type="application/pdf")
    client.post(url, {"action": "document", "kind": "ijazah", "file": good})
    doc = app.documents.get()
    file_url = f"{url}dokumen/{doc.pk}/"
    assert b"".join(client.get(file_url).streaming_content) == b"%PDF-1.7 ijazah"
    client.force_login(world["committee_lpg"])
    assert client.get(file_url).status_code == 200
    client.force_login(world["committee_gtlo"])
    assert client.get(file_url).status_code == 404
