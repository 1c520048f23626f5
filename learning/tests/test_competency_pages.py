# ruff: noqa: F811  (the browser test uses the `page` fixture imported from tests.test_browser)
"""The competency pages for every role: the dictionary, position standards, assessments and their import,
gaps per employee, the heat map, and development plans — allowed, refused with the reason (403) and out of
scope (404), with query counts that do not grow with the rows."""

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.errors import DomainError
from core.models import AuditRecord
from learning import plan_items, services
from learning.assessment_import import HEADERS
from learning.choices import CompetencyKind, PlanStatus
from learning.models import Competency, CompetencyAssessment, CompetencyStandard, DevelopmentPlan
from tests.factories import make_employee, make_position, make_user
from tests.test_browser import CHROMIUM, SHOTS, log_in, page  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/pengembangan"


def text(resp) -> str:
    return resp.content.decode()


@pytest.fixture
def national_dictionary(world):
    """The national competencies a migration loads; a transactional test's flush removes them, so put them back."""
    import importlib

    from django.apps import apps

    if not Competency.objects.filter(code="M1", agency=None).exists():
        importlib.import_module("learning.migrations.0002_national_competencies").forwards(apps, None)


@pytest.fixture
def cw(world, actors, national_dictionary):
    """National 'Integritas' (M1, 5 levels, loaded by migration) and Lampung's technical 'Manajemen ASN'
    (4 levels) required at level 3 of the staff post; the staff member holds ASN 1 (CACT) and Integritas 2
    (supervisor): gaps 2 and 1. A programme reaches ASN 3. Gorontalo has its own technical competency."""
    lpg, gtlo = world["lpg"], world["gtlo"]
    integrity = Competency.objects.get(code="M1", agency=None)
    asn = services.competency_create(
        actor=actors["admin_lpg"],
        kind=CompetencyKind.TECHNICAL,
        code="T-ASN",
        name="Manajemen ASN",
        max_level=4,
        levels={k: f"Deskripsi ASN {k}" for k in range(1, 5)},
        agency=lpg["agency"],
        family="Kepegawaian",
    )
    gtlo_tech = services.competency_create(
        actor=actors["admin_gtlo"],
        kind=CompetencyKind.TECHNICAL,
        code="T-GTL",
        name="Tata Kelola Gorontalo",
        max_level=3,
        levels={k: f"Level {k}" for k in range(1, 4)},
        agency=gtlo["agency"],
    )
    services.standard_set(actor=actors["admin_lpg"], position=lpg["staff"], competency=integrity, required_level=3)
    services.standard_set(actor=actors["admin_lpg"], position=lpg["staff"], competency=asn, required_level=3)
    program = services.program_create(
        actor=actors["admin_lpg"],
        code="P-ASN",
        title="Pelatihan Manajemen ASN",
        jp=Decimal(20),
        modality="classical",
        provider="BPSDM Provinsi Lampung",
        cost=Decimal(1_000_000),
        targets={asn: 3},
    )
    today = timezone.localdate()
    staff = lpg["e_staff"]
    services.assessment_record(
        actor=actors["admin_lpg"], employee=staff, competency=asn, level=1, source="cact", assessed_on=today
    )
    services.assessment_record(
        actor=actors["supervisor_lpg"],
        employee=staff,
        competency=integrity,
        level=2,
        source="supervisor",
        assessed_on=today,
    )
    return {
        "integrity": integrity,
        "asn": asn,
        "gtlo_tech": gtlo_tech,
        "program": program,
        "lpg": lpg,
        "gtlo": gtlo,
        "staff": staff,
        "today": today,
    }


@pytest.fixture
def head_user(world):
    """The Lampung head: staff report to him only indirectly (through the head of division)."""
    return make_user("kepala.lpg", employee=world["lpg"]["e_head"])


def more_staff(cw, actors, n: int, *, start: int = 0):
    """n more staff in Lampung's staff post, each assessed in both competencies."""
    lpg = cw["lpg"]
    pos = make_position(lpg["agency"], lpg["div"], f"PL{start}", f"Analis {start}", lpg["kabid"], capacity=n)
    services.standard_set(actor=actors["admin_lpg"], position=pos, competency=cw["asn"], required_level=4)
    people = []
    for i in range(start, start + n):
        e = make_employee(lpg["agency"], pos, name=f"Analis {i}", birth=datetime.date(1992, 1 + i % 12, 1 + i % 28))
        services.assessment_record(
            actor=actors["admin_lpg"],
            employee=e,
            competency=cw["asn"],
            level=1 + i % 3,
            source="cact",
            assessed_on=cw["today"],
        )
        people.append(e)
    return people


# --- Dictionary -------------------------------------------------------------------------------------


class TestDictionary:
    def test_an_employee_reads_the_national_competencies_with_their_levels(self, client, login, world, cw):
        login(world["employee_lpg"])
        page = text(client.get(f"{BASE}/kompetensi/"))
        assert "Integritas" in page and "Kerja Sama" in page
        assert "Memahami dan menerapkan dalam tugas sendiri" in page  # level 1 of the national scale
        social = text(client.get(f"{BASE}/kompetensi/?jenis=socio_cultural"))
        assert "Perekat Bangsa" in social and "Integritas" not in social

    def test_technical_ones_are_those_of_the_agencies_in_scope(self, client, login, world, cw):
        login(world["employee_lpg"])
        page = text(client.get(f"{BASE}/kompetensi/?jenis=technical"))
        assert "Manajemen ASN" in page and "Deskripsi ASN 4" in page and "rumpun Kepegawaian" in page
        assert "Tata Kelola Gorontalo" not in page
        assert client.get(f"{BASE}/kompetensi/?jenis=technical&instansi={cw['gtlo']['agency'].pk}").status_code == 404
        login(world["national"])
        page = text(client.get(f"{BASE}/kompetensi/?jenis=technical&instansi={cw['gtlo']['agency'].pk}"))
        assert "Tata Kelola Gorontalo" in page and "Manajemen ASN" not in page

    def test_family_filter(self, client, login, world, cw, actors):
        services.competency_create(
            actor=actors["admin_lpg"],
            kind="technical",
            code="T-KEU",
            name="Pengelolaan Keuangan",
            max_level=2,
            levels={1: "a", 2: "b"},
            agency=cw["lpg"]["agency"],
            family="Keuangan",
        )
        login(world["admin_lpg"])
        url = f"{BASE}/kompetensi/?jenis=technical&instansi={cw['lpg']['agency'].pk}&rumpun=Keuangan"
        page = text(client.get(url))
        assert "Pengelolaan Keuangan" in page and "Manajemen ASN" not in page

    def test_an_applicant_is_refused_with_the_reason(self, client, login, world, cw):
        login(world["applicant"])
        resp = client.get(f"{BASE}/kompetensi/")
        assert resp.status_code == 403 and "Kamus kompetensi terbuka bagi pegawai" in text(resp)

    def test_an_unknown_kind_is_404(self, client, login, world, cw):
        login(world["employee_lpg"])
        assert client.get(f"{BASE}/kompetensi/?jenis=lainnya").status_code == 404

    def test_queries_do_not_grow_with_the_dictionary(
        self, client, login, world, cw, actors, django_assert_max_num_queries
    ):
        login(world["admin_lpg"])
        url = f"{BASE}/kompetensi/?jenis=technical"
        with django_assert_max_num_queries(12):
            client.get(url)
        for i in range(30):
            services.competency_create(
                actor=actors["admin_lpg"],
                kind="technical",
                code=f"T-{i}",
                name=f"Teknis {i}",
                max_level=3,
                levels={1: "a", 2: "b", 3: "c"},
                agency=cw["lpg"]["agency"],
                family=f"Rumpun {i % 4}",
            )
        with django_assert_max_num_queries(12):
            page = text(client.get(url))
        assert "Teknis 29" in page


class TestCompetencyCreate:
    def form(self, **extra):
        data = {
            "kind": "technical",
            "code": "T-ARS",
            "name": "Kearsipan",
            "family": "Arsiparis",
            "description": "",
            "max_level": "3",
            "level_1": "Mengenal",
            "level_2": "Menerapkan",
            "level_3": "Mengembangkan",
            "level_4": "diabaikan karena di atas jumlah level",
        }
        return data | extra

    def test_hr_adds_a_technical_competency_of_their_agency(self, client, login, world, cw):
        login(world["admin_lpg"])
        page = text(client.get(f"{BASE}/kompetensi/baru/"))
        assert 'value="technical"' in page and 'value="managerial"' not in page
        resp = client.post(f"{BASE}/kompetensi/baru/", self.form(agency=cw["lpg"]["agency"].pk))
        assert resp.status_code == 302
        comp = Competency.objects.get(code="T-ARS")
        assert comp.agency == cw["lpg"]["agency"] and comp.family == "Arsiparis"
        assert list(comp.levels.values_list("level", "description")) == [
            (1, "Mengenal"),
            (2, "Menerapkan"),
            (3, "Mengembangkan"),
        ]
        assert AuditRecord.objects.filter(action="learning.competency_create", object_id=str(comp.pk)).exists()

    def test_hr_cannot_add_for_another_agency_nor_a_national_kind(self, client, login, world, cw):
        login(world["admin_lpg"])
        client.post(f"{BASE}/kompetensi/baru/", self.form(agency=cw["gtlo"]["agency"].pk))
        client.post(f"{BASE}/kompetensi/baru/", self.form(kind="managerial", code="M9"))
        assert not Competency.objects.filter(code__in=["T-ARS", "M9"]).exists()

    def test_the_national_admin_adds_a_managerial_one(self, client, login, world, cw):
        login(world["national"])
        resp = client.post(f"{BASE}/kompetensi/baru/", self.form(kind="managerial", code="M9", name="Visi"))
        assert resp.status_code == 302
        comp = Competency.objects.get(code="M9")
        assert comp.agency is None and comp.levels.count() == 3

    def test_a_missing_level_description_is_named(self, client, login, world, cw):
        login(world["admin_lpg"])
        resp = client.post(f"{BASE}/kompetensi/baru/", self.form(agency=cw["lpg"]["agency"].pk, level_2=""))
        assert resp.status_code == 200 and "Setiap level dari 1 sampai 3 perlu deskripsi." in text(resp)
        assert not Competency.objects.filter(code="T-ARS").exists()

    def test_a_technical_one_needs_an_agency_and_a_code_is_used_once(self, client, login, world, cw):
        login(world["national"])
        resp = client.post(f"{BASE}/kompetensi/baru/", self.form())
        assert "Kompetensi teknis milik satu instansi." in text(resp)
        login(world["admin_lpg"])
        resp = client.post(f"{BASE}/kompetensi/baru/", self.form(agency=cw["lpg"]["agency"].pk, code="T-ASN"))
        assert "Kode kompetensi sudah dipakai." in text(resp)

    @pytest.mark.parametrize("who", ["employee_lpg", "supervisor_lpg", "auditor_lpg", "kanreg_lpg"])
    def test_others_are_refused_with_the_reason(self, client, login, world, cw, who):
        login(world[who])
        for resp in (client.get(f"{BASE}/kompetensi/baru/"), client.post(f"{BASE}/kompetensi/baru/", self.form())):
            assert resp.status_code == 403
            assert "Kamus kompetensi diisi admin kepegawaian" in text(resp)
        assert not Competency.objects.filter(code="T-ARS").exists()


# --- Standards --------------------------------------------------------------------------------------


class TestStandards:
    def test_hr_lists_and_searches_the_agencys_positions(self, client, login, world, cw):
        login(world["admin_lpg"])
        page = text(client.get(f"{BASE}/standar/"))
        assert "Pengadministrasi Kepegawaian" in page and "Kepala Bidang Mutasi" in page
        found = text(client.get(f"{BASE}/standar/?q=administrasi"))
        assert "Pengadministrasi Kepegawaian" in found and "Kepala Bidang Mutasi" not in found
        assert client.get(f"{BASE}/standar/?instansi={cw['gtlo']['agency'].pk}").status_code == 404

    def test_the_national_admin_chooses_an_agency_first(self, client, login, world, cw):
        login(world["national"])
        page = text(client.get(f"{BASE}/standar/"))
        assert 'data-testid="agency-choice"' in page and 'data-testid="positions"' not in page
        page = text(client.get(f"{BASE}/standar/?instansi={cw['gtlo']['agency'].pk}"))
        assert "Kepala BKD" in page and 'data-testid="positions"' in page

    def test_an_employee_is_refused_with_the_reason(self, client, login, world, cw):
        login(world["employee_lpg"])
        resp = client.get(f"{BASE}/standar/")
        assert resp.status_code == 403 and "Standar kompetensi jabatan dikelola admin kepegawaian." in text(resp)
        assert client.get(f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/").status_code == 404

    def test_the_position_page_shows_each_required_level(self, client, login, world, cw):
        login(world["admin_lpg"])
        page = text(client.get(f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/"))
        row = page.split(f'id="std-{cw["asn"].pk}"')[1].split("</tr>")[0]
        assert 'value="3" selected' in row and "Level 4" in row and "Level 5" not in row
        assert "Tata Kelola Gorontalo" not in page and "Perekat Bangsa" in page
        assert "Staf Lampung" in page  # the holder, linked to her gaps

    def test_inline_edit_sets_and_removes_a_standard(self, client, login, world, cw):
        login(world["admin_lpg"])
        url = f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/{cw['asn'].pk}/"
        resp = client.post(url, {"required_level": "2"}, HTTP_HX_REQUEST="true")
        assert resp.status_code == 200 and 'data-testid="saved"' in text(resp) and "<html" not in text(resp)
        assert CompetencyStandard.objects.get(position=cw["lpg"]["staff"], competency=cw["asn"]).required_level == 2
        client.post(url, {"required_level": ""}, HTTP_HX_REQUEST="true")
        assert not CompetencyStandard.objects.filter(position=cw["lpg"]["staff"], competency=cw["asn"]).exists()
        assert AuditRecord.objects.filter(action="learning.standard_set").count() >= 4

    def test_a_level_beyond_the_scale_is_refused_in_the_row(self, client, login, world, cw):
        login(world["admin_lpg"])
        url = f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/{cw['asn'].pk}/"
        resp = client.post(url, {"required_level": "7"}, HTTP_HX_REQUEST="true")
        assert "Level harus 1 sampai 4." in text(resp)
        resp = client.post(url, {"required_level": "dua"}, HTTP_HX_REQUEST="true")
        assert "Level harus berupa angka." in text(resp)
        assert CompetencyStandard.objects.get(position=cw["lpg"]["staff"], competency=cw["asn"]).required_level == 3

    def test_without_htmx_the_form_goes_back_to_the_position(self, client, login, world, cw):
        login(world["admin_lpg"])
        url = f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/{cw['integrity'].pk}/"
        resp = client.post(url, {"required_level": "4"})
        assert resp.status_code == 302 and resp["Location"] == f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/"

    def test_another_agencys_competency_or_position_is_404(self, client, login, world, cw):
        login(world["admin_lpg"])
        url = f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/{cw['gtlo_tech'].pk}/"
        assert client.post(url, {"required_level": "1"}).status_code == 404
        login(world["admin_gtlo"])
        assert client.get(f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/").status_code == 404
        url = f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/{cw['asn'].pk}/"
        assert client.post(url, {"required_level": "1"}).status_code == 404

    def test_an_auditor_reads_but_may_not_change(self, client, login, world, cw):
        login(world["auditor_lpg"])
        page = text(client.get(f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/"))
        assert "Manajemen ASN" in page and "hx-post" not in page
        resp = client.post(f"{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/{cw['asn'].pk}/", {"required_level": "1"})
        assert resp.status_code == 403
        assert "Hanya admin kepegawaian instansi ini yang dapat mengubah standar kompetensi." in text(resp)
        assert CompetencyStandard.objects.get(position=cw["lpg"]["staff"], competency=cw["asn"]).required_level == 3

    def test_queries_do_not_grow_with_positions_or_competencies(
        self, client, login, world, cw, actors, django_assert_max_num_queries
    ):
        login(world["admin_lpg"])
        lpg = cw["lpg"]
        with django_assert_max_num_queries(12):
            client.get(f"{BASE}/standar/")
        with django_assert_max_num_queries(12):
            client.get(f"{BASE}/standar/jabatan/{lpg['staff'].pk}/")
        for i in range(25):
            make_position(lpg["agency"], lpg["div"], f"X{i}", f"Jabatan {i}", lpg["kabid"])
            services.competency_create(
                actor=actors["admin_lpg"],
                kind="technical",
                code=f"T-{i}",
                name=f"Teknis {i}",
                max_level=3,
                levels={1: "a", 2: "b", 3: "c"},
                agency=lpg["agency"],
            )
        with django_assert_max_num_queries(12):
            assert "Jabatan 24" in text(client.get(f"{BASE}/standar/"))
        with django_assert_max_num_queries(12):
            assert "Teknis 24" in text(client.get(f"{BASE}/standar/jabatan/{lpg['staff'].pk}/"))


# --- One employee -----------------------------------------------------------------------------------


class TestEmployeeCompetency:
    def test_my_competencies_show_the_largest_gap_first_and_the_programme(self, client, login, world, cw):
        login(world["employee_lpg"])
        page = text(client.get(f"{BASE}/saya/"))
        gaps = page.split('data-testid="gaps"')[1].split("</table>")[0]
        assert gaps.index("Manajemen ASN") < gaps.index("Integritas")
        assert "Pelatihan Manajemen ASN" in gaps and 'data-testid="open-gaps">2<' in page
        form = page.split('data-testid="assessment-form"')[1].split("</form>")[0]
        assert 'value="self"' in form and 'value="cact"' not in form and 'value="supervisor"' not in form

    def test_the_employee_records_a_self_assessment_only(self, client, login, world, cw):
        login(world["employee_lpg"])
        data = {"competency": cw["asn"].pk, "level": "2", "source": "self", "assessed_on": cw["today"].isoformat()}
        assert client.post(f"{BASE}/saya/", data).status_code == 302
        assert CompetencyAssessment.objects.filter(employee=cw["staff"], source="self", level=2).exists()
        resp = client.post(f"{BASE}/saya/", data | {"source": "cact", "level": "4"})
        assert resp.status_code == 200 and not CompetencyAssessment.objects.filter(level=4).exists()

    def test_refusals_of_the_service_are_shown_on_the_form(self, client, login, world, cw):
        login(world["admin_lpg"])
        url = f"{BASE}/pegawai/{cw['staff'].nip}/"
        data = {"competency": cw["asn"].pk, "level": "5", "source": "cact", "assessed_on": cw["today"].isoformat()}
        assert "Level harus 1 sampai 4." in text(client.post(url, data))
        tomorrow = (cw["today"] + datetime.timedelta(days=1)).isoformat()
        assert "Tanggal penilaian tidak boleh di masa depan." in text(
            client.post(url, data | {"level": "2", "assessed_on": tomorrow})
        )
        assert CompetencyAssessment.objects.filter(employee=cw["staff"]).count() == 2

    def test_hr_records_any_source(self, client, login, world, cw):
        login(world["admin_lpg"])
        url = f"{BASE}/pegawai/{cw['staff'].nip}/"
        form = text(client.get(url)).split('data-testid="assessment-form"')[1].split("</form>")[0]
        assert all(f'value="{s}"' in form for s in ("assessment_centre", "cact", "supervisor", "self"))
        data = {
            "competency": cw["asn"].pk,
            "level": "3",
            "source": "assessment_centre",
            "assessed_on": cw["today"].isoformat(),
        }
        assert client.post(url, data).status_code == 302
        page = text(client.get(url))
        assert 'data-testid="open-gaps">1<' in page  # ASN now met: the more trusted source on the same day

    def test_the_direct_supervisor_records_their_rating(self, client, login, world, cw):
        login(world["supervisor_lpg"])
        url = f"{BASE}/pegawai/{cw['staff'].nip}/"
        form = text(client.get(url)).split('data-testid="assessment-form"')[1].split("</form>")[0]
        assert 'value="supervisor"' in form and 'value="cact"' not in form
        data = {
            "competency": cw["integrity"].pk,
            "level": "3",
            "source": "supervisor",
            "assessed_on": cw["today"].isoformat(),
        }
        assert client.post(url, data).status_code == 302
        assert CompetencyAssessment.objects.filter(employee=cw["staff"], source="supervisor").count() == 2

    def test_an_indirect_supervisor_and_other_agencies_are_out_of_scope(self, client, login, world, cw, head_user):
        url = f"{BASE}/pegawai/{cw['staff'].nip}/"
        for user in (head_user, world["admin_gtlo"], world["employee_gtlo"]):
            login(user)
            assert client.get(url).status_code == 404
            assert (
                client.post(url, {"competency": cw["asn"].pk, "level": "1", "source": "supervisor"}).status_code == 404
            )
        login(world["employee_lpg"])
        assert client.get(f"{BASE}/pegawai/{cw['lpg']['e_kabid'].nip}/").status_code == 404

    def test_a_reader_sees_but_may_not_record(self, client, login, world, cw):
        login(world["auditor_lpg"])
        url = f"{BASE}/pegawai/{cw['staff'].nip}/"
        page = text(client.get(url))
        assert "Manajemen ASN" in page and 'data-testid="assessment-form"' not in page
        data = {"competency": cw["asn"].pk, "level": "3", "source": "cact", "assessed_on": cw["today"].isoformat()}
        resp = client.post(url, data)
        assert resp.status_code == 403 and "Anda tidak berwenang mencatat penilaian kompetensi pegawai ini." in text(
            resp
        )
        assert CompetencyAssessment.objects.filter(employee=cw["staff"]).count() == 2

    def test_my_page_needs_an_employee_record(self, client, login, world, cw):
        login(world["national"])
        resp = client.get(f"{BASE}/saya/")
        assert resp.status_code == 403 and "Halaman ini untuk pegawai yang tercatat di registri kepegawaian." in text(
            resp
        )

    def test_queries_do_not_grow_with_results(self, client, login, world, cw, actors, django_assert_max_num_queries):
        login(world["admin_lpg"])
        url = f"{BASE}/pegawai/{cw['staff'].nip}/"
        with django_assert_max_num_queries(13):
            client.get(url)
        for i in range(20):
            services.assessment_record(
                actor=actors["admin_lpg"],
                employee=cw["staff"],
                competency=cw["asn"],
                level=1 + i % 4,
                source="cact",
                assessed_on=cw["today"] - datetime.timedelta(days=i + 1),
            )
        with django_assert_max_num_queries(13):
            client.get(url)


# --- Import -----------------------------------------------------------------------------------------


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes):
    return SimpleUploadedFile("hasil.xlsx", data, content_type="application/octet-stream")


class TestAssessmentImport:
    def test_hr_downloads_the_template_and_imports_every_row(self, client, login, world, cw):
        login(world["admin_lpg"])
        tpl = client.get(f"{BASE}/penilaian/impor/?templat=1")
        assert [c.value for c in next(load_workbook(io.BytesIO(tpl.content)).active.iter_rows(max_row=1))] == list(
            HEADERS
        )
        kabid = cw["lpg"]["e_kabid"]
        data = workbook(
            [
                (cw["staff"].nip, "T-ASN", 3, "Assessment center", cw["today"].strftime("%d-%m-%Y"), "AC 2026"),
                (kabid.nip, "m1", 4, "CACT", datetime.datetime(2026, 1, 15), ""),
            ]
        )
        resp = client.post(f"{BASE}/penilaian/impor/", {"file": upload(data)})
        assert resp.status_code == 302
        assert CompetencyAssessment.objects.filter(employee=cw["staff"], source="assessment_centre", level=3).exists()
        assert CompetencyAssessment.objects.filter(
            employee=kabid, source="cact", assessed_on=datetime.date(2026, 1, 15)
        ).exists()
        assert AuditRecord.objects.filter(action="learning.assessment_record", object_id=str(kabid.pk)).exists()

    def test_one_bad_row_cancels_the_file_and_every_bad_row_is_named(self, client, login, world, cw):
        login(world["admin_lpg"])
        before = CompetencyAssessment.objects.count()
        future = (cw["today"] + datetime.timedelta(days=3)).strftime("%d-%m-%Y")
        data = workbook(
            [
                (cw["staff"].nip, "T-ASN", 2, "CACT", "01-02-2026", ""),
                (cw["gtlo"]["e_staff"].nip, "T-ASN", 2, "CACT", "01-02-2026", ""),
                (cw["staff"].nip, "T-GTL", 2, "CACT", "01-02-2026", ""),
                (cw["staff"].nip, "T-ASN", 9, "atasan", future, ""),
            ]
        )
        page = text(client.post(f"{BASE}/penilaian/impor/", {"file": upload(data)}))
        assert "Impor dibatalkan: 3 baris bermasalah; tidak ada hasil yang disimpan." in page
        assert f"Baris 3: NIP {cw['gtlo']['e_staff'].nip} tidak ditemukan di instansi ini." in page
        assert "Baris 4: Kode kompetensi “T-GTL” tidak dikenal." in page
        assert "Baris 5: Level harus 1 sampai 4. Sumber harus Assessment center atau CACT." in page
        assert "Tanggal penilaian tidak boleh di masa depan." in page
        assert CompetencyAssessment.objects.count() == before

    def test_a_foreign_file_or_missing_columns_are_refused(self, client, login, world, cw):
        login(world["admin_lpg"])
        page = text(client.post(f"{BASE}/penilaian/impor/", {"file": upload(b"NIP;Level\n1;2\n")}))
        assert "Unggah berkas xlsx dari templat hasil penilaian." in page
        page = text(client.post(f"{BASE}/penilaian/impor/", {"file": upload(workbook([], headers=("NIP", "Level")))}))
        assert "Kolom wajib tidak ditemukan di baris judul: Kode kompetensi, Sumber, Tanggal penilaian." in page

    def test_the_national_admin_chooses_the_agency(self, client, login, world, cw):
        login(world["national"])
        assert 'data-testid="agency-choice"' in text(client.get(f"{BASE}/penilaian/impor/"))
        gtlo = cw["gtlo"]
        data = workbook([(gtlo["e_staff"].nip, "T-GTL", 2, "CACT", "01-02-2026", "")])
        resp = client.post(f"{BASE}/penilaian/impor/?instansi={gtlo['agency'].pk}", {"file": upload(data)})
        assert resp.status_code == 302 and CompetencyAssessment.objects.filter(employee=gtlo["e_staff"]).exists()

    @pytest.mark.parametrize("who", ["employee_lpg", "supervisor_lpg", "auditor_lpg"])
    def test_others_are_refused_with_the_reason(self, client, login, world, cw, who):
        login(world[who])
        data = workbook([(cw["staff"].nip, "T-ASN", 2, "CACT", "01-02-2026", "")])
        for resp in (
            client.get(f"{BASE}/penilaian/impor/"),
            client.post(f"{BASE}/penilaian/impor/", {"file": upload(data)}),
        ):
            assert resp.status_code == 403
            assert "Hasil assessment center dan CACT diimpor oleh admin kepegawaian." in text(resp)
        assert CompetencyAssessment.objects.count() == 2

    def test_another_agency_is_out_of_scope(self, client, login, world, cw):
        login(world["admin_gtlo"])
        data = workbook([(cw["staff"].nip, "T-ASN", 2, "CACT", "01-02-2026", "")])
        url = f"{BASE}/penilaian/impor/?instansi={cw['lpg']['agency'].pk}"
        assert client.get(url).status_code == 404 and client.post(url, {"file": upload(data)}).status_code == 404

    def test_the_service_refuses_hr_of_another_agency(self, world, cw, actors):
        from learning.assessment_import import assessment_import

        data = workbook([(cw["staff"].nip, "T-ASN", 2, "CACT", "01-02-2026", "")])
        with pytest.raises(PermissionDenied):
            assessment_import(actor=actors["admin_gtlo"], agency=cw["lpg"]["agency"], data=data)


# --- Heat map ---------------------------------------------------------------------------------------


def heat_cells(page: str) -> dict[str, list[str]]:
    """Row name → cell texts of the heat map table, and the header under the key ''."""
    import re

    table = page.split('data-testid="heatmap"')[1].split("</table>")[0]
    out = {"": re.findall(r"<th>([^<]+)</th>", table.split("</thead>")[0])}
    for row in table.split("<tr>")[2:]:
        name = re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip()
        out[name] = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    return out


class TestHeatmap:
    def test_hr_sees_the_mean_gap_per_unit_largest_first(self, client, login, world, cw):
        login(world["admin_lpg"])
        cells = heat_cells(text(client.get(f"{BASE}/peta-kesenjangan/")))
        assert cells[""] == ["Rata-rata", "T-ASN", "M1"]
        assert cells["Bidang Mutasi"] == ["1,50", "2", "1"]  # Indonesian decimals

    def test_per_employee_rows_link_to_their_gaps(self, client, login, world, cw, actors):
        more_staff(cw, actors, 2)
        login(world["admin_lpg"])
        page = text(client.get(f"{BASE}/peta-kesenjangan/?kelompok=employee"))
        cells = heat_cells(page)
        assert cells["Analis 0"][:2] == ["3", "3"] and cells["Staf Lampung"] == ["1,50", "2", "1"]
        names = list(cells)[1:]
        assert names.index("Analis 0") < names.index("Analis 1") < names.index("Staf Lampung")
        assert f"{BASE}/pegawai/{cw['staff'].nip}/" in page
        largest = page.split('data-testid="largest"')[1].split("</ol>")[0]
        assert "<strong>3</strong> · T-ASN · Analis 0" in largest

    def test_the_national_admin_compares_regions_and_agencies(self, client, login, world, cw, actors):
        gtlo = cw["gtlo"]
        services.standard_set(
            actor=actors["admin_gtlo"], position=gtlo["staff"], competency=cw["gtlo_tech"], required_level=3
        )
        services.assessment_record(
            actor=actors["admin_gtlo"],
            employee=gtlo["e_staff"],
            competency=cw["gtlo_tech"],
            level=1,
            source="cact",
            assessed_on=cw["today"],
        )
        login(world["national"])
        cells = heat_cells(text(client.get(f"{BASE}/peta-kesenjangan/")))
        assert list(cells) == ["", "Gorontalo", "Lampung"]  # provinces, the larger mean gap first
        by_agency = heat_cells(text(client.get(f"{BASE}/peta-kesenjangan/?kelompok=agency")))
        assert list(by_agency)[1] == "Gorontalo"  # mean 2.0 before Lampung's 1.5
        login(world["admin_lpg"])
        assert "Gorontalo" not in text(client.get(f"{BASE}/peta-kesenjangan/?kelompok=agency"))

    def test_a_supervisor_sees_the_direct_team(self, client, login, world, cw, actors, head_user):
        login(world["supervisor_lpg"])
        cells = heat_cells(text(client.get(f"{BASE}/peta-kesenjangan/")))
        assert list(cells)[1:] == ["Staf Lampung"]
        login(head_user)  # the staff are not the head's direct reports
        assert 'data-testid="heatmap-empty"' in text(client.get(f"{BASE}/peta-kesenjangan/"))

    def test_an_employee_is_refused_with_the_reason(self, client, login, world, cw):
        login(world["employee_lpg"])
        resp = client.get(f"{BASE}/peta-kesenjangan/")
        assert resp.status_code == 403 and "Peta kesenjangan kompetensi untuk atasan dan admin kepegawaian." in text(
            resp
        )

    def test_out_of_scope_agency_or_an_unknown_grouping_is_404(self, client, login, world, cw):
        login(world["admin_gtlo"])
        assert client.get(f"{BASE}/peta-kesenjangan/?instansi={cw['lpg']['agency'].pk}").status_code == 404
        assert client.get(f"{BASE}/peta-kesenjangan/?kelompok=planet").status_code == 404
        login(world["national"])  # per employee only within one agency
        assert client.get(f"{BASE}/peta-kesenjangan/?kelompok=employee").status_code == 404

    def test_export(self, client, login, world, cw):
        login(world["admin_lpg"])
        resp = client.get(f"{BASE}/peta-kesenjangan/?kelompok=unit&export=csv")
        body = b"".join(resp.streaming_content).decode("utf-8-sig")
        assert body.splitlines()[0] == "Unit kerja,Rata-rata kesenjangan,T-ASN,M1"
        assert body.splitlines()[1] == "Bidang Mutasi,1.5,2.0,1.0"

    @pytest.mark.parametrize("group", ["unit", "employee", "region"])
    def test_queries_do_not_grow_with_employees(
        self, client, login, world, cw, actors, group, django_assert_max_num_queries
    ):
        login(world["admin_lpg"])
        url = f"{BASE}/peta-kesenjangan/?kelompok={group}"
        with django_assert_max_num_queries(12):
            client.get(url)
        more_staff(cw, actors, 15)
        with django_assert_max_num_queries(12):
            page = text(client.get(url))
        assert "T-ASN" in page


# --- Development plans ------------------------------------------------------------------------------


def build_plan(client, year, goal="Analis SDM Aparatur"):
    return client.post(f"{BASE}/rencana/?tahun={year}", {"action": "build", "career_goal": goal, "tahun": year})


class TestMyPlan:
    def test_the_employee_builds_adds_and_submits(self, client, login, world, cw):
        year = cw["today"].year
        login(world["employee_lpg"])
        assert 'data-testid="no-plan"' in text(client.get(f"{BASE}/rencana/"))
        assert build_plan(client, year).status_code == 302
        plan = DevelopmentPlan.objects.get(employee=cw["staff"], year=year)
        assert plan.career_goal == "Analis SDM Aparatur"
        page = text(client.get(f"{BASE}/rencana/?tahun={year}"))
        items = page.split('data-testid="plan-items"')[1]
        assert items.index("Pelatihan Manajemen ASN") < items.index("Pengembangan Integritas ke level 3")
        resp = client.post(
            f"{BASE}/rencana/", {"action": "item", "activity": "Magang di BKN", "planned_jp": "16", "tahun": year}
        )
        assert resp.status_code == 302
        page = text(client.get(f"{BASE}/rencana/?tahun={year}"))
        assert "Magang di BKN" in page and 'data-testid="planned-jp">36<' in page
        assert AuditRecord.objects.filter(action="learning.plan_item_add", object_id=str(plan.pk)).exists()
        assert client.post(f"{BASE}/rencana/", {"action": "submit", "tahun": year}).status_code == 302
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED and plan.supervisor == cw["lpg"]["e_kabid"]
        page = text(client.get(f"{BASE}/rencana/?tahun={year}"))
        assert "Menunggu keputusan Kabid Lampung." in page and 'data-testid="plan-item-add"' not in page

    def test_a_submitted_plan_can_no_longer_change(self, client, login, world, cw):
        year = cw["today"].year
        login(world["employee_lpg"])
        build_plan(client, year)
        client.post(f"{BASE}/rencana/", {"action": "submit", "tahun": year})
        resp = client.post(
            f"{BASE}/rencana/", {"action": "item", "activity": "Magang", "planned_jp": "8", "tahun": year}, follow=True
        )
        assert "Rencana yang sudah diajukan atau disetujui tidak dapat diubah." in text(resp)
        resp = build_plan(client, year)
        assert "tidak dapat disusun ulang" in text(client.get(resp["Location"]))

    def test_item_refusals_are_shown_on_the_form(self, client, login, world, cw):
        year = cw["today"].year
        login(world["employee_lpg"])
        resp = client.post(
            f"{BASE}/rencana/", {"action": "item", "activity": "Magang", "planned_jp": "8", "tahun": year}, follow=True
        )
        assert "Susun rencana tahun ini terlebih dahulu." in text(resp)
        build_plan(client, year)
        resp = client.post(
            f"{BASE}/rencana/", {"action": "item", "activity": "Magang", "planned_jp": "-2", "tahun": year}
        )
        assert "JP direncanakan 0 sampai 9999.99." in text(resp)
        resp = client.post(f"{BASE}/rencana/", {"action": "item", "activity": "   ", "planned_jp": "2", "tahun": year})
        assert 'data-testid="field-error"' in text(resp)
        assert not DevelopmentPlan.objects.get(employee=cw["staff"]).items.filter(origin="career").exists()

    def test_only_career_items_are_removed_by_hand(self, client, login, world, cw):
        year = cw["today"].year
        login(world["employee_lpg"])
        build_plan(client, year)
        client.post(f"{BASE}/rencana/", {"action": "item", "activity": "Magang", "planned_jp": "8", "tahun": year})
        plan = DevelopmentPlan.objects.get(employee=cw["staff"])
        career = plan.items.get(origin="career")
        gap = plan.items.filter(origin="gap").first()
        resp = client.post(f"{BASE}/rencana/", {"action": "remove", "item": gap.pk, "tahun": year}, follow=True)
        assert "Kegiatan dari kesenjangan dan pembinaan diperbarui dengan menyusun ulang rencana." in text(resp)
        client.post(f"{BASE}/rencana/", {"action": "remove", "item": career.pk, "tahun": year})
        assert not plan.items.filter(origin="career").exists() and plan.items.filter(origin="gap").count() == 2
        assert AuditRecord.objects.filter(action="learning.plan_item_remove").exists()
        other = DevelopmentPlan.objects.create(employee=cw["lpg"]["e_kabid"], year=year)
        foreign = other.items.create(origin="career", activity="x")
        assert (
            client.post(f"{BASE}/rencana/", {"action": "remove", "item": foreign.pk, "tahun": year}).status_code == 404
        )

    def test_an_empty_plan_cannot_be_submitted(self, client, login, world, cw):
        login(world["employee_gtlo"])  # no standards: nothing to derive
        year = cw["today"].year
        build_plan(client, year, goal="")
        resp = client.post(f"{BASE}/rencana/", {"action": "submit", "tahun": year}, follow=True)
        assert "Rencana masih kosong." in text(resp)

    def test_a_user_without_an_employee_record_is_refused(self, client, login, world, cw):
        login(world["admin_lpg"])
        resp = client.get(f"{BASE}/rencana/")
        assert resp.status_code == 403
        assert "Rencana pengembangan disusun oleh pegawai yang tercatat di registri kepegawaian." in text(resp)

    def test_a_bad_year_is_404(self, client, login, world, cw):
        login(world["employee_lpg"])
        assert client.get(f"{BASE}/rencana/?tahun=abad").status_code == 404


class TestPlanItemServices:
    def test_only_the_owner_adds_and_only_to_an_open_plan(self, world, cw, actors):
        plan = DevelopmentPlan.objects.create(employee=cw["staff"], year=2026)
        for who in ("supervisor_lpg", "admin_lpg"):
            with pytest.raises(PermissionDenied):
                plan_items.plan_item_add(actor=actors[who], plan=plan, activity="Magang", planned_jp=8)
        with pytest.raises(DomainError, match="Tuliskan kegiatan"):
            plan_items.plan_item_add(actor=actors["employee_lpg"], plan=plan, activity=" ", planned_jp=8)
        with pytest.raises(DomainError, match="berupa angka"):
            plan_items.plan_item_add(actor=actors["employee_lpg"], plan=plan, activity="Magang", planned_jp="delapan")
        item = plan_items.plan_item_add(actor=actors["employee_lpg"], plan=plan, activity=" Magang ", planned_jp="8.5")
        assert (item.origin, item.activity, item.planned_jp) == ("career", "Magang", Decimal("8.50"))
        plan.status = PlanStatus.APPROVED
        plan.save()
        with pytest.raises(DomainError, match="tidak dapat diubah"):
            plan_items.plan_item_add(actor=actors["employee_lpg"], plan=plan, activity="Lagi", planned_jp=1)
        with pytest.raises(DomainError, match="tidak dapat diubah"):
            plan_items.plan_item_remove(actor=actors["employee_lpg"], item=item)


@pytest.fixture
def submitted(client, login, world, cw):
    year = cw["today"].year
    login(world["employee_lpg"])
    build_plan(client, year)
    client.post(f"{BASE}/rencana/", {"action": "submit", "tahun": year})
    return DevelopmentPlan.objects.get(employee=cw["staff"], year=year)


class TestSupervisorDecides:
    def test_the_team_page_puts_waiting_plans_first(self, client, login, world, cw, submitted):
        login(world["supervisor_lpg"])
        page = text(client.get(f"{BASE}/rencana/tim/"))
        assert "1 rencana menunggu keputusan Anda." in page
        assert f"{BASE}/rencana/{submitted.pk}/" in page and "Diajukan" in page

    def test_return_needs_a_note_then_approve(self, client, login, world, cw, submitted):
        login(world["supervisor_lpg"])
        url = f"{BASE}/rencana/{submitted.pk}/"
        assert 'data-testid="plan-decide"' in text(client.get(url))
        resp = client.post(url, {"decision": "return", "note": ""})
        assert "Tuliskan alasan pengembalian." in text(resp)
        assert client.post(url, {"decision": "return", "note": "Tambahkan mentoring"}).status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == PlanStatus.RETURNED
        login(world["employee_lpg"])
        assert "Tambahkan mentoring" in text(client.get(f"{BASE}/rencana/"))
        client.post(f"{BASE}/rencana/", {"action": "submit", "tahun": submitted.year})
        login(world["supervisor_lpg"])
        assert client.post(url, {"decision": "approve", "note": ""}).status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == PlanStatus.APPROVED
        assert "tidak sedang menunggu" in text(client.post(url, {"decision": "approve"}, follow=True))

    def test_hr_and_readers_see_but_only_the_supervisor_decides(self, client, login, world, cw, submitted):
        url = f"{BASE}/rencana/{submitted.pk}/"
        for who in ("admin_lpg", "auditor_lpg", "national", "employee_lpg"):
            login(world[who])
            page = text(client.get(url))
            assert "Pelatihan Manajemen ASN" in page and 'data-testid="plan-decide"' not in page, who
            resp = client.post(url, {"decision": "approve"})
            assert resp.status_code == 403 and "Hanya atasan langsung yang memutuskan rencana ini." in text(resp)
        submitted.refresh_from_db()
        assert submitted.status == PlanStatus.SUBMITTED

    def test_other_agencies_and_colleagues_are_out_of_scope(self, client, login, world, cw, submitted, head_user):
        url = f"{BASE}/rencana/{submitted.pk}/"
        for user in (world["admin_gtlo"], world["employee_gtlo"], world["supervisor_gtlo"], head_user):
            login(user)
            assert client.get(url).status_code == 404
            assert client.post(url, {"decision": "approve"}).status_code == 404

    def test_the_team_page_is_for_supervisors(self, client, login, world, cw):
        for who in ("employee_lpg", "admin_lpg"):
            login(world[who])
            resp = client.get(f"{BASE}/rencana/tim/")
            assert resp.status_code == 403 and "Halaman ini untuk atasan langsung." in text(resp)

    def test_team_queries_do_not_grow(self, client, login, world, cw, actors, django_assert_max_num_queries):
        login(world["supervisor_lpg"])
        with django_assert_max_num_queries(12):
            client.get(f"{BASE}/rencana/tim/")
        for e in more_staff(cw, actors, 10):
            DevelopmentPlan.objects.create(employee=e, year=cw["today"].year)
        with django_assert_max_num_queries(12):
            page = text(client.get(f"{BASE}/rencana/tim/"))
        assert "Analis 9" in page


class TestAgencyPlans:
    def test_hr_sees_counts_per_status_and_who_has_no_plan(self, client, login, world, cw, submitted):
        login(world["admin_lpg"])
        page = text(client.get(f"{BASE}/rencana/instansi/"))
        counts = page.split('data-testid="status-counts"')[1].split("</div>")[0]
        assert 'data-status="submitted">Diajukan <span class="badge text-bg-light">1<' in counts
        assert 'data-status="draft">Draf <span class="badge text-bg-light">0<' in counts
        assert 'data-testid="without-plan">Belum menyusun <span class="badge text-bg-light">2<' in counts
        assert "Staf Lampung" in page
        assert "Staf Lampung" not in text(client.get(f"{BASE}/rencana/instansi/?status=approved"))
        assert client.get(f"{BASE}/rencana/instansi/?status=lain").status_code == 404

    def test_the_national_admin_chooses_an_agency(self, client, login, world, cw, submitted):
        login(world["national"])
        assert 'data-testid="agency-choice"' in text(client.get(f"{BASE}/rencana/instansi/"))
        assert "Staf Lampung" in text(client.get(f"{BASE}/rencana/instansi/?instansi={cw['lpg']['agency'].pk}"))

    def test_refused_and_out_of_scope(self, client, login, world, cw, submitted):
        login(world["employee_lpg"])
        resp = client.get(f"{BASE}/rencana/instansi/")
        assert resp.status_code == 403 and "Rekap rencana pengembangan instansi untuk admin kepegawaian." in text(resp)
        login(world["admin_gtlo"])
        assert client.get(f"{BASE}/rencana/instansi/?instansi={cw['lpg']['agency'].pk}").status_code == 404
        assert "Staf Lampung" not in text(client.get(f"{BASE}/rencana/instansi/"))

    def test_queries_do_not_grow_with_plans(self, client, login, world, cw, actors, django_assert_max_num_queries):
        login(world["admin_lpg"])
        with django_assert_max_num_queries(11):
            client.get(f"{BASE}/rencana/instansi/")
        for e in more_staff(cw, actors, 12):
            plan = DevelopmentPlan.objects.create(employee=e, year=cw["today"].year)
            plan.items.create(origin="career", activity="Magang", planned_jp=4)
        with django_assert_max_num_queries(11):
            page = text(client.get(f"{BASE}/rencana/instansi/"))
        assert "Analis 11" in page


def test_every_persona_gets_an_answer_on_every_page(client, login, world, cw):
    """No page answers 500 to any role: allowed (200), refused (403) or out of scope (404)."""
    pages = [
        "/kompetensi/",
        "/kompetensi/baru/",
        "/standar/",
        f"/standar/jabatan/{cw['lpg']['staff'].pk}/",
        "/saya/",
        f"/pegawai/{cw['staff'].nip}/",
        "/penilaian/impor/",
        "/peta-kesenjangan/",
        "/rencana/",
        "/rencana/tim/",
        "/rencana/instansi/",
    ]
    who = [
        "admin_lpg",
        "admin_gtlo",
        "supervisor_lpg",
        "employee_lpg",
        "national",
        "auditor_lpg",
        "kanreg_lpg",
        "applicant",
    ]
    for key in who:
        login(world[key])
        for p in pages:
            status = client.get(BASE + p).status_code
            assert status in (200, 403, 404), (key, p, status)
    client.logout()
    assert client.get(f"{BASE}/kompetensi/").status_code == 302  # to the login page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
def test_in_the_browser_standards_change_in_place_and_the_maps_render(page, world, cw):
    """htmx saves a standard from its row; the level fields follow the chosen number of levels; the pages render."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, world["admin_lpg"])
    page.goto(f"{page.base}{BASE}/standar/jabatan/{cw['lpg']['staff'].pk}/")
    page.select_option(f"#std-{cw['asn'].pk} select", "4")
    page.wait_for_selector(f"#std-{cw['asn'].pk} [data-testid=saved]")
    assert CompetencyStandard.objects.get(position=cw["lpg"]["staff"], competency=cw["asn"]).required_level == 4
    page.screenshot(path=str(SHOTS / "learning-standards.png"), full_page=True)
    page.goto(f"{page.base}{BASE}/kompetensi/baru/")
    page.select_option("#id_max_level", "3")
    assert page.is_visible("#id_level_3") and not page.is_visible("#id_level_4")
    page.screenshot(path=str(SHOTS / "learning-competency-form.png"), full_page=True)
    page.goto(f"{page.base}{BASE}/peta-kesenjangan/?kelompok=employee")
    assert "Staf Lampung" in page.inner_text("[data-testid=heatmap]")
    page.screenshot(path=str(SHOTS / "learning-heatmap.png"), full_page=True)
    page.context.clear_cookies()
    log_in(page, world["employee_lpg"])
    page.goto(f"{page.base}{BASE}/rencana/")
    page.click("[data-testid=plan-build] button")
    page.wait_for_selector("[data-testid=plan-items]")
    page.fill("#id_activity", "Magang di BKN")
    page.fill("#id_planned_jp", "16")
    page.click("[data-testid=plan-item-add] button")
    page.wait_for_selector("text=Magang di BKN")
    page.screenshot(path=str(SHOTS / "learning-plan.png"), full_page=True)
    page.goto(f"{page.base}{BASE}/saya/")
    page.screenshot(path=str(SHOTS / "learning-mine.png"), full_page=True)
