"""Import assessment-centre and CACT results from a spreadsheet: every row valid, or nothing written."""

import datetime
import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log_many, entry_for
from core.errors import DomainError
from learning.choices import AssessmentSource
from learning.models import Competency, CompetencyAssessment
from personnel.models import Employee

HEADERS = ("NIP", "Kode kompetensi", "Level", "Sumber", "Tanggal penilaian", "Catatan")
_HEADER_KEYS = {
    "nip": "nip",
    "kode kompetensi": "code",
    "kode": "code",
    "level": "level",
    "sumber": "source",
    "tanggal penilaian": "on",
    "tanggal": "on",
    "catatan": "note",
}
# Only the instruments an agency receives as files; supervisors and employees record their own ratings.
_SOURCES = {
    "assessment_centre": AssessmentSource.ASSESSMENT_CENTRE,
    "assessment center": AssessmentSource.ASSESSMENT_CENTRE,
    "assessment centre": AssessmentSource.ASSESSMENT_CENTRE,
    "ac": AssessmentSource.ASSESSMENT_CENTRE,
    "cact": AssessmentSource.CACT,
}
MAX_ROWS = 5000


def _read(data: bytes) -> list[tuple[int, dict]]:
    if data[:2] != b"PK":
        raise DomainError(_("Unggah berkas xlsx dari templat hasil penilaian."), field="file")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        table = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise DomainError(_("Berkas xlsx tidak dapat dibaca: pastikan berkas tidak rusak."), field="file") from exc
    if not table:
        raise DomainError(_("Berkas kosong."), field="file")
    keys = [_HEADER_KEYS.get(str(h or "").strip().lower()) for h in table[0]]
    required = (
        ("nip", HEADERS[0]),
        ("code", HEADERS[1]),
        ("level", HEADERS[2]),
        ("source", HEADERS[3]),
        ("on", HEADERS[4]),
    )
    missing = [label for key, label in required if key not in keys]
    if missing:
        raise DomainError(
            _("Kolom wajib tidak ditemukan di baris judul: %(cols)s. Gunakan templat yang disediakan.")
            % {"cols": ", ".join(missing)},
            field="file",
        )
    rows = []
    for n, values in enumerate(table[1:], start=2):
        cells = {k: v for k, v in zip(keys, values, strict=False) if k}
        if any(v is not None and str(v).strip() for v in cells.values()):
            rows.append((n, cells))
    if not rows:
        raise DomainError(_("Berkas tidak berisi baris hasil penilaian."), field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(_("Paling banyak %(n)s baris dalam satu berkas.") % {"n": MAX_ROWS}, field="file")
    return rows


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def assessment_import(*, actor, agency, data: bytes, filename: str = "") -> int:
    """Record an agency's assessment-centre and CACT results from an xlsx file; returns how many were recorded.
    Any bad row cancels the whole file, and every bad row is named."""
    if not actor.can_write_agency(agency.pk):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat mengimpor hasil penilaian."))
    rows = _read(data)
    nips = {_text(c.get("nip")).replace(" ", "") for _n, c in rows}
    employees = {e.nip: e for e in Employee.objects.filter(agency=agency, nip__in=nips)}
    competencies = {
        c.code.lower(): c for c in Competency.objects.filter(Q(agency__isnull=True) | Q(agency=agency), active=True)
    }
    today = timezone.localdate()
    errors: list[tuple[int, str]] = []
    seen: dict[tuple, int] = {}
    results = []
    for line, cells in rows:
        nip = _text(cells.get("nip")).replace(" ", "")
        problems = []
        employee = employees.get(nip)
        if not nip:
            problems.append(_("NIP kosong."))
        elif employee is None:
            problems.append(_("NIP %(nip)s tidak ditemukan di instansi ini.") % {"nip": nip})
        code = _text(cells.get("code"))
        comp = competencies.get(code.lower())
        if comp is None:
            problems.append(_("Kode kompetensi “%(c)s” tidak dikenal.") % {"c": code})
        raw_level = _text(cells.get("level"))
        level = int(raw_level) if raw_level.isdigit() else None
        if level is None:
            problems.append(_("Level harus berupa bilangan bulat."))
        elif comp is not None and not 1 <= level <= comp.max_level:
            problems.append(_("Level harus 1 sampai %(n)s.") % {"n": comp.max_level})
        source = _SOURCES.get(_text(cells.get("source")).lower())
        if source is None:
            problems.append(_("Sumber harus Assessment center atau CACT."))
        on = _date(cells.get("on"))
        if on is None:
            problems.append(_("Tanggal penilaian tidak terbaca (tulis HH-BB-TTTT)."))
        elif on > today:
            problems.append(_("Tanggal penilaian tidak boleh di masa depan."))
        if not problems:
            key = (nip, comp.pk, source, on)
            if key in seen:
                problems.append(_("Hasil yang sama sudah ada di baris %(n)s.") % {"n": seen[key]})
            seen[key] = line
        if problems:
            errors.append((line, " ".join(problems)))
            continue
        results.append((employee, comp, level, source, on, _text(cells.get("note"))[:300]))
    if errors:
        raise DomainError(
            _("Impor dibatalkan: %(n)s baris bermasalah; tidak ada hasil yang disimpan.") % {"n": len(errors)},
            errors={"file": [_("Baris %(n)s: %(msg)s") % {"n": n, "msg": msg} for n, msg in errors]},
        )
    created = CompetencyAssessment.objects.bulk_create(
        CompetencyAssessment(
            employee=e, competency=c, level=lv, source=s, assessed_on=on, recorded_by=actor.user, note=note
        )
        for e, c, lv, s, on, note in results
    )
    audit_log_many(
        actor=actor.user,
        entries=[
            entry_for(
                e,
                "learning.assessment_record",
                agency_id=agency.pk,
                after={"competency": c.code, "level": lv, "source": s, "on": on.isoformat(), "file": filename[:100]},
            )
            for e, c, lv, s, on, _note in results
        ],
    )
    return len(created)
