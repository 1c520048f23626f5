"""The import workflow: upload → validate (a task) → preview → commit (a task), each step atomic."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for
from core.errors import DomainError
from organization.models import Agency
from personnel.importing.commit import write_rows
from personnel.importing.reader import read_sheet
from personnel.importing.validate import validate_sheet
from personnel.models import ImportIssue, ImportJob

S = ImportJob.Status


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def job_progress(job: ImportJob) -> int:
    """Rows processed so far; read from the cache while a commit holds its transaction open."""
    return cache.get(_progress_key(job.pk)) or job.processed_rows


def _report(job_id: int, n: int, *, persist: bool) -> None:
    cache.set(_progress_key(job_id), n, 3600)
    if persist:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=n)


@transaction.atomic
def import_job_create(*, actor, agency: Agency, upload) -> ImportJob:
    """Store an uploaded file and queue its validation."""
    if not actor.can_write_agency(agency.pk):
        raise DomainError(_("Anda tidak berwenang mengimpor pegawai ke instansi ini."), code="forbidden")
    if upload.size > settings.PAMONG_IMPORT_MAX_BYTES:
        raise DomainError(
            _("Berkas terlalu besar (paling besar %(mb)s MB).") % {"mb": settings.PAMONG_IMPORT_MAX_BYTES // 2**20},
            field="file",
        )
    name = upload.name or "impor"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise DomainError(_("Unggah berkas .xlsx atau .csv."), field="file")
    data = upload.read()
    if not data.strip():
        raise DomainError(_("Berkas kosong."), field="file")
    job = ImportJob(
        uid=secrets.token_hex(12),
        agency=agency,
        created_by=actor.user,
        file_name=name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
    )
    job.file.save(f"{job.uid}{name[name.rfind('.') :].lower()}", ContentFile(data), save=False)
    job.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(job, "import.upload", agency_id=agency.pk, after={"file": name, "sha256": job.file_sha256}),
    )
    from personnel.tasks import validate_import

    transaction.on_commit(lambda: validate_import.enqueue(job.pk))
    return job


def _read(job: ImportJob):
    with job.file.open("rb") as fh:
        return read_sheet(fh.read(), job.file_name)


def import_job_validate(job_id: int) -> ImportJob:
    """Check every row and keep every problem; nothing is written to the registry."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != S.PENDING:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=S.VALIDATING)
    today = timezone.localdate()
    try:
        result = validate_sheet(
            _read(job), agency_id=job.agency_id, today=today, progress=lambda n: _report(job.pk, n, persist=True)
        )
    except DomainError as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=S.FAILED, message=exc.message, finished_at=timezone.now())
        job.refresh_from_db()
        return job
    with transaction.atomic():
        ImportIssue.objects.filter(job=job).delete()
        ImportIssue.objects.bulk_create(
            [
                ImportIssue(job=job, row=i.row, column=i.column, message=i.message[:300], severity=i.severity)
                for i in result.issues
            ],
            batch_size=5000,
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=S.VALIDATED,
            total_rows=result.total,
            processed_rows=result.total,
            valid_rows=len(result.valid),
            error_rows=result.error_rows,
            warning_count=sum(1 for i in result.issues if i.severity == "warning"),
        )
    job.refresh_from_db()
    return job


@transaction.atomic
def import_job_commit(*, actor, job: ImportJob, mode: str) -> ImportJob:
    """Queue the commit of a validated file, for the whole file or, if chosen, only its valid rows."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not actor.can_write_agency(job.agency_id):
        raise DomainError(_("Anda tidak berwenang mengimpor pegawai ke instansi ini."), code="forbidden")
    if job.status != S.VALIDATED:
        raise DomainError(_("Berkas ini tidak dalam keadaan siap disimpan."))
    if mode not in (ImportJob.Mode.ALL, ImportJob.Mode.VALID_ONLY):
        raise DomainError(_("Pilih cakupan penyimpanan."), field="mode")
    if mode == ImportJob.Mode.ALL and job.error_rows:
        raise DomainError(
            _(
                "Ada %(n)s baris bermasalah: perbaiki berkasnya, atau pilih secara tegas untuk menyimpan hanya baris yang sah."
            )
            % {"n": job.error_rows},
            field="mode",
        )
    if job.valid_rows == 0:
        raise DomainError(_("Tidak ada baris sah yang dapat disimpan."))
    job.status, job.mode, job.processed_rows = S.COMMITTING, mode, 0
    job.save(update_fields=["status", "mode", "processed_rows", "updated_at"])
    audit_log(
        actor=actor.user, entry=entry_for(job, "import.commit_request", agency_id=job.agency_id, after={"mode": mode})
    )
    from personnel.tasks import commit_import

    transaction.on_commit(lambda: commit_import.enqueue(job.pk, actor.user.pk))
    return job


def import_job_run_commit(job_id: int, user_id: int) -> ImportJob:
    """Re-validate against the registry as it is now and write, all in one transaction."""
    from accounts.models import User

    job = ImportJob.objects.get(pk=job_id)
    if job.status != S.COMMITTING:
        return job
    user = User.objects.get(pk=user_id)
    today = timezone.localdate()
    cache.set(_progress_key(job.pk), 0, 3600)
    try:
        with transaction.atomic():
            result = validate_sheet(_read(job), agency_id=job.agency_id, today=today)
            if job.mode == ImportJob.Mode.ALL and result.error_rows:
                raise DomainError(
                    _("Registri berubah sejak pemeriksaan: %(n)s baris kini bermasalah. Unggah ulang berkasnya.")
                    % {"n": result.error_rows}
                )
            reason = _("impor %(file)s (%(uid)s)") % {"file": job.file_name, "uid": job.uid}
            written = write_rows(
                actor=user,
                agency_id=job.agency_id,
                rows=result.valid,
                today=today,
                reason=reason,
                progress=lambda n: _report(job.pk, n, persist=False),
            )
            audit_log(
                actor=user,
                entry=entry_for(
                    job,
                    "import.commit",
                    agency_id=job.agency_id,
                    after={"mode": job.mode, "rows": written, "skipped_rows": result.error_rows},
                ),
            )
            ImportJob.objects.filter(pk=job.pk).update(
                status=S.COMMITTED,
                committed_rows=written,
                processed_rows=written,
                finished_at=timezone.now(),
                message="",
            )
    except DomainError as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=S.FAILED, message=exc.message, finished_at=timezone.now())
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=S.FAILED,
            finished_at=timezone.now(),
            message=_(
                "Penyimpanan gagal karena kesalahan sistem; tidak ada data yang tersimpan. Coba lagi atau hubungi admin."
            ),
        )
        raise
    finally:
        cache.delete(_progress_key(job.pk))
    job.refresh_from_db()
    return job


@transaction.atomic
def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != S.VALIDATED:
        raise DomainError(_("Hanya berkas yang selesai diperiksa dan belum disimpan yang dapat dibatalkan."))
    job.status = S.CANCELLED
    job.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor.user, entry=entry_for(job, "import.cancel", agency_id=job.agency_id))
    return job


def preview_rows(job: ImportJob, limit: int = 10) -> list[dict]:
    """The first rows of the file as the user wrote them, each cell with its problems, for the preview table."""
    from personnel.importing.reader import cell_text
    from personnel.importing.template import COLUMNS

    try:
        sheet = _read(job)
    except DomainError:
        return []
    out = []
    for n, raw in sheet.rows:
        values = {k: cell_text(v) for k, v in zip(sheet.keys, raw) if k}
        out.append({"row": n, "values": [values.get(c.key, "") for c in COLUMNS]})
        if len(out) >= limit:
            break
    problems: dict[tuple[int, str], list[str]] = {}
    for issue in job.issues.filter(row__in=[r["row"] for r in out]):
        problems.setdefault((issue.row, issue.column), []).append(issue.message)
    for r in out:
        r["cells"] = [(v, " ".join(problems.get((r["row"], c.header), []))) for v, c in zip(r.pop("values"), COLUMNS)]
        r["bad"] = any(msg for _, msg in r["cells"]) or bool(problems.get((r["row"], "")))
    return out
