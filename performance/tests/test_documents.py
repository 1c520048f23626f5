"""The official PDF documents: the SKP and the evaluation, on A4, in Indonesian, with signature blocks."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from performance.documents import date_range, evaluation_pdf, skp_pdf, tanggal
from performance.services import during, plan
from performance.tests import test_services_rating
from performance.tests.conftest import DAY
from performance.tests.test_services_plan import IND, approved_chain
from performance.tests.test_services_rating import rate_all

pytestmark = pytest.mark.django_db

rated = test_services_rating.rated  # the fixture: every staff plan approved by the Kabid

A4 = (595.28, 841.89)  # points


def finalize(team):
    """The Bidang is Baik; staff 0-2 meet expectations, staff 3 is above, staff 4 below on results."""
    test_services_rating.TestImmutability().finalize(team)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


class TestTanggal:
    def test_dates_are_written_the_indonesian_way(self):
        assert tanggal(datetime.date(2026, 11, 23)) == "23 November 2026"
        assert tanggal(datetime.date(2026, 1, 1)) == "1 Januari 2026"
        assert tanggal(datetime.date(2026, 8, 17)) == "17 Agustus 2026"

    def test_a_span_names_its_year_once_unless_it_spans_two(self):
        assert date_range(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) == "1 Januari – 31 Desember 2026"
        assert date_range(datetime.date(2025, 12, 1), datetime.date(2026, 1, 31)) == "1 Desember 2025 – 31 Januari 2026"


class TestSkpPdf:
    def test_an_approved_plan_prints_on_a4_with_both_parties_and_the_cascade(self, rated):
        skp = rated.skps[0]
        plan.expectation_set(
            actor=rated.actor(rated.u_kabid),
            skp=skp,
            behaviour="akuntabel",
            text="Laporan mutasi tanpa koreksi",
            today=DAY,
        )
        pdf = skp_pdf(skp)
        assert pdf.startswith(b"%PDF")
        box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1)
        text = text_of(pdf)
        employee, kabid = rated.staff[0], rated.kabid
        for expected in (
            "SASARAN KINERJA PEGAWAI",
            "PENDEKATAN HASIL KERJA KUANTITATIF",
            "1 Januari – 31 Desember 2026",
            employee.full_name,
            employee.nip,
            "Penata Muda, III/a",
            "Pengadministrasi Kepegawaian",
            "Bidang Mutasi",
            kabid.full_name,
            kabid.nip,
            "Kepala Bidang Mutasi",
            "RHK Staf Lampung",
            "Mutasi tepat waktu",  # the Kabid's RHK it supports
            "Kuantitas",
            "Jumlah dokumen mutasi",
            "120 dokumen",
            "Berorientasi Pelayanan",
            "Tidak menyalahgunakan kewenangan jabatan",
            "Laporan mutasi tanpa koreksi",
            "Pegawai yang Dinilai",
            "Pejabat Penilai Kinerja",
            "Versi 1",
            "Halaman 1 dari",
        ):
            assert expected in text, expected
        assert "DRAF" not in text
        skp.refresh_from_db()  # signed on the day it was approved
        assert f"Bandar Lampung, {tanggal(timezone.localdate(skp.approved_at))}" in text

    def test_a_plan_not_yet_submitted_is_a_draft_without_an_assessor(self, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        actor = team.actor(team.u_staff[0])
        skp = plan.skp_create(actor=actor, employee=team.staff[0], perf_year=team.year)
        plan.rhk_add(
            actor=actor, skp=skp, text="Usulan mutasi terverifikasi", indicators=IND, supports=kabid_rhk, today=DAY
        )
        text = text_of(skp_pdf(skp, today=DAY))
        assert "DRAF" in text and "Usulan mutasi terverifikasi" in text
        # The assessing official is recorded when the plan is submitted.
        assert "1 NAMA Staf Lampung 1 NAMA -" in text and team.kabid.full_name not in text
        assert "Bandar Lampung, 23 November 2026" in text

    def test_changing_an_approved_plan_prints_the_new_version_as_a_draft(self, rated):
        skp = rated.skps[0]
        kabid_rhk = skp.rhks.get().supports
        plan.rhk_add(
            actor=rated.actor(rated.u_staff[0]),
            skp=skp,
            text="RHK tambahan",
            indicators=IND,
            supports=kabid_rhk,
            today=DAY,
        )
        text = text_of(skp_pdf(skp))
        assert "DRAF" in text and "Versi 2" in text and "RHK tambahan" in text

    def test_a_jpt_plan_names_the_iku_and_the_regional_head(self, rated):
        text = text_of(skp_pdf(rated.head_skp))
        assert "IKU-1 Indeks merit" in text and "Meningkatnya indeks merit" in text
        assert "Gubernur Lampung" in text
        assert "BAGI PEJABAT PIMPINAN TINGGI" in text

    def test_the_queries_do_not_grow_with_the_plan(self, rated):
        skp = rated.skps[0]
        with CaptureQueriesContext(connection) as small:
            skp_pdf(skp)
        kabid_rhk = skp.rhks.get().supports
        for i in range(3):
            plan.rhk_add(
                actor=rated.actor(rated.u_staff[0]),
                skp=skp,
                text=f"RHK {i}",
                indicators=IND,
                supports=kabid_rhk,
                today=DAY,
            )
        plan.expectation_set(actor=rated.actor(rated.u_kabid), skp=skp, behaviour="loyal", text="Setia", today=DAY)
        with CaptureQueriesContext(connection) as large:
            skp_pdf(skp)
        assert len(large.captured_queries) == len(small.captured_queries)


class TestEvaluationPdf:
    def test_a_final_rating_prints_the_predikat_and_three_signatures(self, rated):
        skp = rated.skps[0]
        during.realization_set(
            actor=rated.actor(rated.u_staff[0]), rhk=skp.rhks.get(), period=rated.q1, text="118 dokumen diverifikasi"
        )
        finalize(rated)
        pdf = evaluation_pdf(skp, rated.q1)
        assert pdf.startswith(b"%PDF")
        text = text_of(pdf)
        for expected in (
            "EVALUASI KINERJA PEGAWAI",
            "PERIODE: Triwulan I",
            "1 Januari – 31 Maret 2026",
            rated.staff[0].full_name,
            rated.kabid.full_name,
            f"ATASAN PEJABAT PENILAI KINERJA NAMA {rated.head.full_name} NIP {rated.head.nip}",  # the Kabid's own
            "CAPAIAN KINERJA ORGANISASI Baik (Bidang Mutasi)",
            "RHK Staf Lampung",
            "118 dokumen diverifikasi",
            "RATING HASIL KERJA Sesuai Ekspektasi",
            "RATING PERILAKU KERJA Sesuai Ekspektasi",
            "PREDIKAT KINERJA PEGAWAI Baik",
            "Pegawai yang Dinilai",
            "Pejabat Penilai Kinerja",
            "Atasan Pejabat Penilai Kinerja",
        ):
            assert expected in text, expected
        assert "DRAF" not in text

    def test_the_predikat_follows_the_rating(self, rated):
        finalize(rated)
        text = text_of(evaluation_pdf(rated.skps[3], rated.q1))
        assert "RATING HASIL KERJA Di Atas Ekspektasi" in text and "PREDIKAT KINERJA PEGAWAI Sangat Baik" in text

    def test_a_rating_not_yet_final_is_a_draft(self, rated):
        rate_all(rated, [("meets", "meets")])
        text = text_of(evaluation_pdf(rated.skps[0], rated.q1, today=DAY))
        assert "DRAF" in text and "PREDIKAT KINERJA PEGAWAI Baik" in text
        assert "Bandar Lampung, 23 November 2026" in text

    def test_an_unrated_period_is_a_draft_with_no_predikat(self, rated):
        text = text_of(evaluation_pdf(rated.skps[0], rated.periods[-1]))
        assert "DRAF" in text and "PERIODE: Triwulan IV-AKHIR" in text
        assert "PREDIKAT KINERJA PEGAWAI -" in text and "CAPAIAN KINERJA ORGANISASI - (Bidang Mutasi)" in text

    def test_nobody_is_printed_above_an_assessor_outside_the_registry(self, rated):
        # The BKD head is assessed by the Gubernur, outside the registry: nobody is recorded above him.
        text = text_of(evaluation_pdf(rated.head_skp, rated.q1))
        assert "PEJABAT PENILAI KINERJA NAMA Gubernur Lampung NIP -" in text
        assert "ATASAN PEJABAT PENILAI KINERJA NAMA - NIP -" in text

    def test_an_assessors_superior_outside_the_registry_is_printed_by_title(self, rated):
        # The Kabid is assessed by the BKD head, who answers to the Gubernur.
        text = text_of(evaluation_pdf(rated.kabid_skp, rated.q1))
        assert f"PEJABAT PENILAI KINERJA NAMA {rated.head.full_name} NIP {rated.head.nip}" in text
        assert "ATASAN PEJABAT PENILAI KINERJA NAMA Gubernur Lampung NIP -" in text
