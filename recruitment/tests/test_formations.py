"""Formations with quotas, passing grades as data, and the public search."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.access import build_actor
from core.errors import DomainError
from core.models import AuditRecord
from exams.rules import Score
from personnel.models import EducationLevel
from recruitment.models import Formation, PassingGrade
from recruitment.selectors import passing_grade
from recruitment.services import formation_create, period_create
from recruitment.tests.conftest import make_formation

pytestmark = pytest.mark.django_db


class TestPassingGradesAsData:
    def test_loaded_by_migration_with_their_source(self, db):
        row = PassingGrade.objects.get(period_kind="cpns", category="umum", effective_from=datetime.date(2024, 1, 1))
        assert (row.twk, row.tiu, row.tkp, row.total, row.source) == (65, 80, 166, None, "KepmenPANRB 321/2024")

    def test_the_grade_in_force_on_a_date(self, db):
        assert passing_grade("cpns", "cumlaude", datetime.date(2024, 9, 1)).met_by(Score(100, 85, 126))
        assert passing_grade("cpns", "daerah_tertinggal", datetime.date(2023, 9, 1)) is None  # only from 2024
        assert passing_grade("cpns", "daerah_tertinggal", datetime.date(2024, 9, 1)).confidence == "W"
        PassingGrade.objects.create(
            period_kind="cpns", category="umum", effective_from=datetime.date(2026, 1, 1), twk=70, tiu=85, tkp=170, source="uji"
        )
        assert not passing_grade("cpns", "umum", datetime.date(2026, 3, 1)).met_by(Score(65, 80, 166))
        assert passing_grade("cpns", "umum", datetime.date(2025, 3, 1)).met_by(Score(65, 80, 166))


class TestFormations:
    def test_created_with_quotas_and_audited(self, world, period):
        f = make_formation(world, period)
        assert {q.category: q.quota for q in f.quotas.all()} == {"umum": 3, "cumlaude": 1}
        assert AuditRecord.objects.filter(action="recruitment.formation_create", object_id=str(f.pk)).exists()

    def test_refusals(self, world, period):
        with pytest.raises(PermissionDenied):
            formation_create(
                actor=build_actor(world["admin_gtlo"]),
                period=period,
                agency=world["lpg"]["agency"],
                unit=world["lpg"]["div"],
                position_title="x",
                education=[EducationLevel.objects.get(code="S1")],
                quotas={"umum": 1},
            )
        with pytest.raises(DomainError, match="jumlah kebutuhan"):
            make_formation(world, period, quotas={"umum": 0})
        with pytest.raises(DomainError, match="tidak dikenal"):
            make_formation(world, period, quotas={"bangsawan": 2})
        assert not Formation.objects.exists()

    def test_only_the_national_admin_opens_a_period(self, world):
        now = timezone.now()
        with pytest.raises(PermissionDenied):
            period_create(actor=build_actor(world["admin_lpg"]), kind="cpns", year=2027, name="x", opens=now, closes=now)
        with pytest.raises(DomainError, match="ditutup setelah"):
            period_create(actor=build_actor(world["national"]), kind="cpns", year=2027, name="x", opens=now, closes=now)


class TestPublicSearch:
    def test_anyone_searches_published_formations(self, client, world, period):
        make_formation(world, period, title="Analis SDM Aparatur")
        make_formation(world, period, key="gtlo", title="Perawat Terampil", quotas={"umum": 2, "papua": 1})
        html = client.get("/seleksi/formasi/").content.decode()
        assert "Analis SDM Aparatur" in html and "Perawat Terampil" in html and "2 formasi" in html
        html = client.get("/seleksi/formasi/", {"q": "perawat"}).content.decode()
        assert "Perawat Terampil" in html and "Analis SDM" not in html
        html = client.get("/seleksi/formasi/", {"kategori": "cumlaude"}).content.decode()
        assert "Analis SDM Aparatur" in html and "Perawat" not in html

    def test_an_unpublished_period_shows_nothing(self, client, world, period):
        make_formation(world, period)
        period.published_at = None
        period.save()
        assert "0 formasi" in client.get("/seleksi/formasi/").content.decode()

    def test_a_new_formation_shows_at_once_despite_the_cache(self, client, world, period, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            make_formation(world, period, title="Pertama")
        assert "1 formasi" in client.get("/seleksi/formasi/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            make_formation(world, period, title="Kedua")
        assert "2 formasi" in client.get("/seleksi/formasi/").content.decode()

    def test_results_are_cached_and_queries_stay_few(self, client, world, period, django_assert_max_num_queries):
        for i in range(12):
            make_formation(world, period, title=f"Jabatan {i:02d}")
        client.get("/seleksi/formasi/")
        with django_assert_max_num_queries(6):  # the cached page only reads the filter choices
            assert client.get("/seleksi/formasi/").status_code == 200
