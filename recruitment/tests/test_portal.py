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
