"""Applicant accounts tied to a NIK; one application per period; idempotent submission."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from accounts.access import build_actor
from core.errors import DomainError
from personnel.models import EducationLevel
from recruitment.models import Application
from recruitment.services import applicant_register, application_submit
from recruitment.tests.conftest import make_formation

pytestmark = pytest.mark.django_db
PASSWORD = "Sandi-Pelamar-2026!"


def register(nik="1871010101990001", **kw):
    return applicant_register(
        nik=nik,
        name=kw.pop("name", "Pelamar Uji"),
        birth_date=datetime.date(1999, 1, 1),
        education=EducationLevel.objects.get(code=kw.pop("education", "S1")),
        password=PASSWORD,
        **kw,
    )


class TestRegistration:
    def test_an_account_per_nik(self, db):
        a = register()
        assert a.user.username == "1871010101990001" and a.user.check_password(PASSWORD)
        assert a.user.role_assignments.get().role == "applicant"
        with pytest.raises(DomainError, match="sudah terdaftar"):
            register()

    @pytest.mark.parametrize("nik", ["187101010199000", "18710101019900011", "18710101019900AB", ""])
    def test_a_malformed_nik_is_refused(self, db, nik):
        with pytest.raises(DomainError, match="16 digit"):
            register(nik=nik)

    def test_a_weak_password_is_refused_and_nothing_is_written(self, db):
        from accounts.models import User

        with pytest.raises(DomainError):
            applicant_register(
                nik="1871010101990002",
                name="x",
                birth_date=datetime.date(1999, 1, 1),
                education=EducationLevel.objects.get(code="S1"),
                password="123",
            )
        assert not User.objects.filter(username="1871010101990002").exists()


class TestSubmission:
    def test_a_retry_with_the_same_key_returns_the_same_application(self, world, period):
        f = make_formation(world, period)
        actor = build_actor(register().user)
        first = application_submit(actor=actor, formation=f, category="umum", idempotency_key="k1")
        again = application_submit(actor=actor, formation=f, category="umum", idempotency_key="k1")
        assert first.pk == again.pk and Application.objects.count() == 1
        assert first.registration_number == f"CPNS26-{first.pk:08d}"

    def test_one_application_per_period(self, world, period):
        f1 = make_formation(world, period)
        f2 = make_formation(world, period, title="Analis Kebijakan")
        actor = build_actor(register().user)
        first = application_submit(actor=actor, formation=f1, category="umum", idempotency_key="a")
        with pytest.raises(DomainError, match=first.registration_number):
            application_submit(actor=actor, formation=f2, category="umum", idempotency_key="b")
        assert Application.objects.count() == 1

    def test_refusals(self, world, period):
        f = make_formation(world, period)
        actor = build_actor(register(education="SMA").user)
        with pytest.raises(DomainError, match="Pendidikan Anda"):
            application_submit(actor=actor, formation=f, category="umum", idempotency_key="x")
        actor = build_actor(register(nik="1871010101990003").user)
        with pytest.raises(DomainError, match="jenis kebutuhan"):
            application_submit(actor=actor, formation=f, category="papua", idempotency_key="y")
        late = period.registration_closes + datetime.timedelta(minutes=1)
        with pytest.raises(DomainError, match="tidak sedang dibuka"):
            application_submit(actor=actor, formation=f, category="umum", idempotency_key="z", now=late)
        with pytest.raises(PermissionDenied):
            application_submit(actor=build_actor(world["admin_lpg"]), formation=f, category="umum", idempotency_key="w")
        other = build_actor(register(nik="1871010101990004").user)
        application_submit(actor=other, formation=f, category="umum", idempotency_key="mine")
        with pytest.raises(DomainError, match="tidak sah"):  # someone else's key
            application_submit(actor=actor, formation=f, category="umum", idempotency_key="mine")
        assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_creates_one_application(reference_data, world):
    """Two requests with the same key at once (a double click): one application, both get it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that lets two connections write at once")
    import threading

    from django.db import connections

    now = timezone.now()
    from recruitment.services import period_create

    p = period_create(
        actor=build_actor(world["national"]), kind="cpns", year=2026, name="x", opens=now, closes=now + datetime.timedelta(days=1)
    )
    p.published_at = now
    p.save()
    f = make_formation(world, p)
    actor = build_actor(register().user)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def go():
        try:
            barrier.wait()
            results.append(application_submit(actor=actor, formation=f, category="umum", idempotency_key="same").pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 1 and Application.objects.count() == 1
