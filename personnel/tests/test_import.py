import csv
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from accounts.access import get_actor
from core.errors import DomainError
from core.models import AuditRecord
from personnel.importing import jobs
from personnel.importing.template import HEADERS
from personnel.models import Assignment, Employee, ImportJob, RankHistory

pytestmark = pytest.mark.django_db


def row(**over):
    base = {
        "NIP": "199001152015031002",
        "NIK": "1871011501900003",
        "Nama": "Budi Santoso",
        "Gelar Depan": "",
        "Gelar Belakang": "S.Kom.",
        "Jenis Kelamin": "L",
        "Tempat Lahir": "Metro",
        "Tanggal Lahir": "1990-01-15",
        "Jenis Pegawai": "PNS",
        "TMT Pengangkatan": "2015-03-01",
        "Golongan": "III/b",
        "TMT Golongan": "2019-04-01",
        "Nomor SK Golongan": "SK/1",
        "Kode Jabatan": "PL",
        "TMT Jabatan": "2020-01-02",
        "Nomor SK Jabatan": "SK/2",
        "Pendidikan": "S1",
        "Tanggal Lulus": "2012-08-20",
        "Nomor Ijazah": "IJZ/1",
        "Email": "",
        "Telepon": "",
    }
    base.update(over)
    return base


def good_rows(n, start=1):
    out = []
    for i in range(start, start + n):
        out.append(
            row(
                NIP=f"19900115201503100{i}" if i < 10 else f"1990011520150310{i:02d}",
                NIK=f"18710115019{i:05d}",
                Nama=f"Pegawai {i}",
            )
        )
    return out


def csv_bytes(rows, headers=HEADERS, delimiter=","):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=headers, delimiter=delimiter, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append([r.get(h, "") for h in HEADERS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(world, data, name="pegawai.csv", user="admin_lpg", capture=None):
    actor = get_actor(world[user])
    f = SimpleUploadedFile(name, data)
    job = jobs.import_job_create(actor=actor, agency=world["lpg"]["agency"], upload=f)
    job.refresh_from_db()
    return job


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the queued task right after the service's transaction, as the immediate backend does."""

    def _run(fn, *a, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*a, **kw)
        result.refresh_from_db()
        return result

    return _run


class TestValidation:
    def test_a_clean_file_validates_with_every_row_valid(self, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(3)))
        assert (job.status, job.total_rows, job.valid_rows, job.error_rows) == ("validated", 3, 3, 0)
        assert Employee.objects.filter(name__startswith="Pegawai").count() == 0  # nothing written yet

    def test_every_error_is_reported_at_once_with_row_and_column(self, world, run_on_commit):
        rows = good_rows(4)
        rows[0]["Tanggal Lahir"] = "1990-01-16"  # NIP disagrees
        rows[1]["Jenis Kelamin"] = "X"
        rows[2]["Kode Jabatan"] = "TIDAK-ADA"
        rows[2]["Golongan"] = "V/z"
        rows[3]["NIK"] = "123"
        job = run_on_commit(upload, world, csv_bytes(rows))
        got = sorted((i.row, i.column) for i in job.issues.filter(severity="error"))
        assert got == [(2, "Tanggal Lahir"), (3, "Jenis Kelamin"), (4, "Golongan"), (4, "Kode Jabatan"), (5, "NIK")]
        assert job.error_rows == 4 and job.valid_rows == 0

    def test_messages_are_in_indonesian(self, world, run_on_commit):
        rows = good_rows(1)
        rows[0]["Jenis Kelamin"] = "P"
        job = run_on_commit(upload, world, csv_bytes(rows))
        assert job.issues.get().message == "Jenis kelamin tidak sesuai dengan digit ke-15 NIP."

    def test_duplicates_inside_the_file_and_against_the_registry_are_refused(self, world, run_on_commit):
        rows = good_rows(2)
        rows[1]["NIP"] = rows[0]["NIP"]
        rows.append(row(NIP=world["gtlo"]["e_staff"].nip, Nama="Sudah Ada"))
        job = run_on_commit(upload, world, csv_bytes(rows))
        messages = [(i.row, i.message) for i in job.issues.all()]
        assert (3, "NIP sama dengan baris 2 di berkas ini.") in messages
        assert any(r == 4 and "sudah terdaftar" in m for r, m in messages)

    def test_a_file_without_the_required_columns_fails_with_their_names(self, world, run_on_commit):
        job = run_on_commit(upload, world, b"NIP,Nama\n1,2\n")
        assert job.status == "failed" and "NIK" in job.message and "Golongan" in job.message

    def test_xlsx_and_semicolon_csv_are_read_like_the_template(self, world, run_on_commit):
        assert run_on_commit(upload, world, xlsx_bytes(good_rows(2)), name="p.xlsx").valid_rows == 2
        assert run_on_commit(upload, world, csv_bytes(good_rows(2, start=5), delimiter=";")).valid_rows == 2

    def test_a_nip_typed_as_a_number_in_excel_is_refused_with_the_reason(self, world, run_on_commit):
        rows = good_rows(1)
        rows[0]["NIP"] = 199001152015031002
        job = run_on_commit(upload, world, xlsx_bytes(rows), name="p.xlsx")
        assert "teks" in job.issues.get(column="NIP").message

    @pytest.mark.parametrize(
        "name,data,msg",
        [
            ("p.pdf", b"%PDF-1.4", "Unggah berkas .xlsx atau .csv."),
            ("p.csv", b"   ", "Berkas kosong."),
        ],
    )
    def test_bad_uploads_are_refused_before_anything_is_stored(self, world, name, data, msg):
        with pytest.raises(DomainError, match=msg):
            upload(world, data, name=name)
        assert ImportJob.objects.count() == 0

    def test_a_broken_xlsx_fails_with_a_clear_message(self, world, run_on_commit):
        job = run_on_commit(upload, world, b"PK\x03\x04broken", name="p.xlsx")
        assert job.status == "failed" and "xlsx" in job.message

    def test_someone_without_write_scope_cannot_upload(self, world):
        with pytest.raises(DomainError):
            upload(world, csv_bytes(good_rows(1)), user="auditor_lpg")


class TestCommit:
    def test_commit_all_writes_every_row_with_histories_and_audit(self, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(3)))
        before = AuditRecord.objects.count()
        job = run_on_commit(jobs.import_job_commit, actor=get_actor(world["admin_lpg"]), job=job, mode="all")
        assert (job.status, job.committed_rows) == ("committed", 3)
        emps = Employee.objects.filter(name__startswith="Pegawai")
        assert emps.count() == 3
        e = emps.get(name="Pegawai 1")
        assert (e.current_rank.code, e.current_position.code, e.current_unit_id, e.agency_id) == (
            "III/b",
            "PL",
            world["lpg"]["div"].pk,
            world["lpg"]["agency"].pk,
        )
        assert (
            RankHistory.objects.filter(employee__in=emps).count() == 3
            and Assignment.objects.filter(employee__in=emps).count() == 3
        )
        assert AuditRecord.objects.count() == before + 1 + 3 + 1  # the request, each row, the commit

    def test_commit_all_is_refused_while_any_row_has_an_error(self, world, run_on_commit):
        rows = good_rows(3)
        rows[1]["Golongan"] = "IX"  # a PPPK rank for a PNS
        job = run_on_commit(upload, world, csv_bytes(rows))
        with pytest.raises(DomainError, match="1 baris bermasalah"):
            jobs.import_job_commit(actor=get_actor(world["admin_lpg"]), job=job, mode="all")
        assert Employee.objects.filter(name__startswith="Pegawai").count() == 0

    def test_valid_rows_only_when_chosen_explicitly(self, world, run_on_commit):
        rows = good_rows(3)
        rows[1]["Golongan"] = "IX"
        job = run_on_commit(upload, world, csv_bytes(rows))
        job = run_on_commit(jobs.import_job_commit, actor=get_actor(world["admin_lpg"]), job=job, mode="valid_only")
        assert job.committed_rows == 2
        assert sorted(Employee.objects.filter(name__startswith="Pegawai").values_list("name", flat=True)) == [
            "Pegawai 1",
            "Pegawai 3",
        ]

    def test_a_mode_that_is_neither_choice_is_refused(self, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(1)))
        with pytest.raises(DomainError):
            jobs.import_job_commit(actor=get_actor(world["admin_lpg"]), job=job, mode="")

    def test_a_crash_mid_way_leaves_nothing_half_written(self, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(5)))
        audit_before = AuditRecord.objects.count()
        from personnel.importing import commit

        real = commit.bulk_insert

        def explode(model, objs, **kw):
            real(model, objs, **kw)
            if model is Assignment:
                raise RuntimeError("disk full")
            return objs

        # The task backend records the crash as the task's failure; the job says what happened.
        with mock.patch.object(commit, "bulk_insert", side_effect=explode):
            run_on_commit(jobs.import_job_commit, actor=get_actor(world["admin_lpg"]), job=job, mode="all")
        job.refresh_from_db()
        assert job.status == "failed" and "tidak ada data yang tersimpan" in job.message
        assert Employee.objects.filter(name__startswith="Pegawai").count() == 0
        assert RankHistory.objects.filter(employee__name__startswith="Pegawai").count() == 0
        assert AuditRecord.objects.count() == audit_before + 1  # only the commit request, nothing of the rows

    def test_rows_registered_meanwhile_make_an_all_commit_fail_whole(self, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(3)))
        other = run_on_commit(upload, world, csv_bytes(good_rows(1)))
        run_on_commit(jobs.import_job_commit, actor=get_actor(world["admin_lpg"]), job=other, mode="all")
        job = run_on_commit(jobs.import_job_commit, actor=get_actor(world["admin_lpg"]), job=job, mode="all")
        assert job.status == "failed" and "Registri berubah" in job.message
        assert Employee.objects.filter(name__startswith="Pegawai").count() == 1

    def test_a_job_cannot_be_committed_twice(self, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(1)))
        run_on_commit(jobs.import_job_commit, actor=get_actor(world["admin_lpg"]), job=job, mode="all")
        with pytest.raises(DomainError):
            jobs.import_job_commit(actor=get_actor(world["admin_lpg"]), job=job, mode="all")


class TestImportPages:
    def test_template_downloads_have_the_columns(self, client, login, world):
        login(world["admin_lpg"])
        wb = load_workbook(io.BytesIO(client.get("/pegawai/impor/templat.xlsx").content))
        assert [c.value for c in wb.active[1]] == HEADERS
        body = client.get("/pegawai/impor/templat.csv")
        assert b"".join(body.streaming_content).decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)

    def test_upload_preview_error_report_and_commit_through_the_pages(
        self, client, login, world, django_capture_on_commit_callbacks
    ):
        login(world["admin_lpg"])
        rows = good_rows(3)
        rows[2]["Tanggal Lahir"] = "31-02-1990"
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(
                "/pegawai/impor/",
                {"agency": world["lpg"]["agency"].pk, "file": SimpleUploadedFile("p.csv", csv_bytes(rows))},
            )
        assert resp.status_code == 302
        page = client.get(resp["Location"]).content.decode()
        assert "Pratinjau" in page and "Pegawai 1" in page and "Tanggal “31-02-1990” tidak sah" in page
        assert page.count('data-testid="preview-bad-row"') == 1
        assert 'table-danger" title="Tanggal “31-02-1990” tidak sah' in page
        uid = resp["Location"].rstrip("/").split("/")[-1]
        report = load_workbook(io.BytesIO(client.get(f"/pegawai/impor/{uid}/galat.xlsx").content)).active
        assert [c.value for c in report[2]][:2] == [4, "Tanggal Lahir"]
        refused = client.post(f"/pegawai/impor/{uid}/simpan/", {"mode": "all", "action": "commit"}, follow=True)
        assert "baris bermasalah" in refused.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/pegawai/impor/{uid}/simpan/", {"mode": "valid_only", "action": "commit"})
        assert "2 pegawai tersimpan" in client.get(f"/pegawai/impor/{uid}/").content.decode()

    def test_another_agencys_job_is_404(self, client, login, world, run_on_commit):
        job = run_on_commit(upload, world, csv_bytes(good_rows(1)))
        login(world["admin_gtlo"])
        assert client.get(f"/pegawai/impor/{job.uid}/").status_code == 404
        assert client.post(f"/pegawai/impor/{job.uid}/simpan/", {"mode": "all"}).status_code == 404
