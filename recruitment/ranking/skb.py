"""The SKB scores (RULES.md §2.3): the committee enters one applicant's score or absence, or imports the
whole agency's from the template file; each write refused once the agency's final result is published, and
audited."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit import Entry, audit_log, audit_log_many, entry_for, snapshot
from core.errors import DomainError
from organization.models import Agency
from recruitment.access import require_committee
from recruitment.models import Application, FinalPublication, RecruitmentPeriod, SkbScore, SkbSource
from recruitment.ranking.reads import SkdRow, agency_rankings, formation_ranking

THOUSANDTH, HUNDREDTH = Decimal("0.001"), Decimal("0.01")


def _decimal(value, places: int = 3) -> Decimal | None:
    """A number from a form or a cell ("78,5" too); None when empty; ValueError when not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not d.is_finite() or d.as_tuple().exponent < -places:
        raise ValueError(text)
    return d


def _check_entry(row: SkdRow | None, *, score, maximum, absent: bool, ipk, reference_max) -> str:
    """Why this SKB entry cannot be recorded ("" when it can)."""
    if row is None or not row.to_skb:
        return _("Pelamar ini tidak masuk daftar peserta SKB formasinya.")
    if maximum is None or not 0 < maximum < 10000:
        return _("Nilai maksimum SKB harus lebih dari 0 dan kurang dari 10000.")
    if reference_max is not None and maximum != reference_max:
        return _("Nilai maksimum %(m)s berbeda dengan nilai maksimum SKB formasi ini (%(r)s).") % {
            "m": _show(maximum),
            "r": _show(reference_max),
        }
    if absent:
        if score is not None:
            return _("Pelamar yang tidak hadir tidak boleh bernilai.")
    elif score is None:
        return _("Isi nilai SKB, atau TH bila tidak hadir.")
    elif not 0 <= score <= maximum:
        return _("Nilai SKB %(s)s di luar 0–%(m)s.") % {"s": _show(score), "m": _show(maximum)}
    if ipk is not None and not 0 <= ipk <= 100:
        return _("IPK / rata-rata nilai ijazah harus antara 0 dan 100.")
    return ""


NOT_A_NUMBER = gettext_noop("'%(x)s' bukan angka (paling banyak tiga angka di belakang koma).")


def _changes(existing: SkbScore | None, *, score, maximum, absent, ipk) -> bool:
    if existing is None:
        return True
    return (existing.score, existing.maximum, existing.absent, existing.ipk) != (score, maximum, absent, ipk)


def _refuse_if_published(period_id: int, agency_id: int) -> None:
    """Refuse once the agency's result is out; the agency row is locked first so that SKB writes and the
    publication of one agency take turns."""
    Agency.objects.select_for_update().filter(pk=agency_id).first()
    if FinalPublication.objects.filter(period_id=period_id, agency_id=agency_id).exists():
        raise DomainError(_("Hasil akhir sudah diumumkan: nilai SKB tidak dapat diubah lagi."), code="published")


def _skb_fields(score, maximum, absent, ipk) -> dict:
    """The stored values, at the scale of their columns, so that a snapshot says what the database holds."""
    return {
        "score": None if absent or score is None else score.quantize(THOUSANDTH),
        "maximum": maximum.quantize(THOUSANDTH),
        "absent": absent,
        "ipk": None if ipk is None else ipk.quantize(HUNDREDTH),
    }


def _show(d: Decimal) -> str:
    """A number as people write it: 100 rather than 100.000 or 1E+2."""
    return format(d.normalize(), "f")


@transaction.atomic
def skb_enter(
    *, actor, application: Application, score, maximum, absent: bool = False, ipk=None, reason: str = ""
) -> SkbScore:
    """Record (or correct, with a reason) the SKB score or absence of one applicant ranked into the SKB."""
    application = (
        Application.objects.select_for_update()
        .select_related("formation__period", "formation__agency")
        .get(pk=application.pk)
    )
    formation = application.formation
    require_committee(actor, formation.agency_id)
    _refuse_if_published(formation.period_id, formation.agency_id)
    try:
        score, maximum, ipk = _decimal(score), _decimal(maximum), _decimal(ipk, places=2)
    except ValueError as exc:
        raise DomainError(_(NOT_A_NUMBER) % {"x": exc}, field="score") from None
    ranking = formation_ranking(formation)
    row = ranking.row_for(application.pk)
    others = {
        s.maximum for c in ranking.categories for r in c.skb_rows if r.application.pk != application.pk and (s := r.skb)
    }
    problem = _check_entry(
        row, score=score, maximum=maximum, absent=absent, ipk=ipk, reference_max=min(others) if others else None
    )
    if problem:
        raise DomainError(problem, field="score")
    existing = row.skb
    values = _skb_fields(score, maximum, absent, ipk)
    if not _changes(existing, **values):
        return existing
    if existing is not None and not reason.strip():
        raise DomainError(_("Nilai SKB pelamar ini sudah tercatat; tuliskan alasan koreksinya."), field="reason")
    before = snapshot(existing, ["score", "maximum", "absent", "ipk", "source"]) if existing else None
    fields = values | {"source": SkbSource.MANUAL, "entered_by": actor.user, "entered_at": timezone.now()}
    skb, _created = SkbScore.objects.update_or_create(application=application, defaults=fields)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            application,
            "recruitment.skb_enter",
            agency_id=formation.agency_id,
            before=before,
            after=snapshot(skb, ["score", "maximum", "absent", "ipk", "source"]),
            reason=reason.strip(),
        ),
    )
    return skb


# The SKB import file: the template export writes these headers; the import matches them loosely.
SKB_HEADERS = ("Nomor pendaftaran", "Nama", "Nilai SKB", "Nilai maksimum SKB", "IPK / rata-rata nilai ijazah")
_HEADER_KEYS = {
    "nomor pendaftaran": "number",
    "no pendaftaran": "number",
    "nama": "name",
    "nilai skb": "score",
    "nilai maksimum skb": "maximum",
    "nilai maksimum": "maximum",
    "ipk / rata-rata nilai ijazah": "ipk",
    "ipk": "ipk",
}
ABSENT_MARKS = {"th", "tidak hadir"}


def _read_rows(data: bytes, filename: str) -> list[tuple[int, dict]]:
    """The rows of an xlsx or CSV upload, keyed by column, with the spreadsheet's own row numbers."""
    if data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            table = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            wb.close()
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise DomainError(_("Berkas xlsx tidak dapat dibaca: pastikan berkas tidak rusak."), field="file") from exc
    elif filename.lower().endswith(".csv") and b"\x00" not in data[:4096]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        first = text.split("\n", 1)[0]
        table = list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))
    else:
        raise DomainError(_("Unggah berkas xlsx atau CSV dari templat nilai SKB."), field="file")
    if not table:
        raise DomainError(_("Berkas kosong."), field="file")
    keys = [_HEADER_KEYS.get(str(h or "").strip().lower()) for h in table[0]]
    missing = [h for h, k in ((SKB_HEADERS[0], "number"), (SKB_HEADERS[2], "score")) if k not in keys]
    if missing:
        raise DomainError(
            _("Kolom wajib tidak ditemukan di baris judul: %(cols)s. Gunakan templat yang disediakan.")
            % {"cols": ", ".join(missing)},
            field="file",
        )
    rows = []
    for n, values in enumerate(table[1:], start=2):
        cells = {k: v for k, v in zip(keys, values) if k}
        if any(str(v).strip() for v in cells.values() if v is not None):
            rows.append((n, cells))
    if not rows:
        raise DomainError(_("Berkas tidak berisi baris nilai."), field="file")
    return rows


MAX_UPLOAD = 5 * 1024 * 1024


def skb_file_bytes(upload) -> bytes:
    """The content of an uploaded SKB file, refused before it is read when it is past the size limit."""
    if upload.size > MAX_UPLOAD:
        raise DomainError(_("Berkas lebih dari 5 MB."), field="file")
    return upload.read()


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


@transaction.atomic
def skb_import(
    *, actor, period: RecruitmentPeriod, agency, data: bytes, filename: str, maximum=None, reason: str = ""
) -> int:
    """Record the SKB scores of an agency's SKB participants from a file: every row valid, or nothing written.
    Returns how many scores were recorded or changed."""
    require_committee(actor, agency.pk)
    _refuse_if_published(period.pk, agency.pk)
    try:
        default_max = _decimal(maximum)
    except ValueError:
        raise DomainError(_("Nilai maksimum SKB harus berupa angka."), field="maximum") from None
    rows = _read_rows(data, filename)
    rankings = agency_rankings(period, agency)
    by_number = {r.application.registration_number: (f, r) for f in rankings for c in f.categories for r in c.rows}
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    parsed = []  # (line, formation ranking, row, fields)
    for line, cells in rows:
        number = _cell(cells.get("number"))
        if not number:
            errors.append((line, _("Nomor pendaftaran kosong.")))
            continue
        if number in seen:
            errors.append((line, _("%(no)s sudah ada di baris %(m)s.") % {"no": number, "m": seen[number]}))
            continue
        seen[number] = line
        if number not in by_number:
            errors.append((line, _("%(no)s tidak ditemukan di instansi dan periode ini.") % {"no": number}))
            continue
        raw = _cell(cells.get("score"))
        absent = raw.lower() in ABSENT_MARKS
        try:
            score = None if absent else _decimal(raw)
            row_max = _decimal(cells.get("maximum"))
            ipk = _decimal(cells.get("ipk"), places=2)
        except ValueError as exc:
            errors.append((line, f"{number}: " + _(NOT_A_NUMBER) % {"x": exc}))
            continue
        row_max = default_max if row_max is None else row_max
        f, row = by_number[number]
        if row_max is None:
            errors.append((line, f"{number}: " + _("Isi nilai maksimum SKB (di kolom atau di formulir).")))
            continue
        problem = _check_entry(row, score=score, maximum=row_max, absent=absent, ipk=ipk, reference_max=None)
        if problem:
            errors.append((line, f"{number}: {problem}"))
            continue
        parsed.append((line, f, row, _skb_fields(score, row_max, absent, ipk)))
    # One SKB design per formation: every maximum of a formation must agree, in the file and on record.
    in_file = {row.application.pk for _l, _f, row, _x in parsed}
    reference: dict[int, Decimal] = {}
    for f in rankings:
        kept = {s.maximum for c in f.categories for r in c.skb_rows if r.application.pk not in in_file and (s := r.skb)}
        if kept:
            reference[f.formation.pk] = min(kept)
    for line, f, row, fields in parsed:
        number = row.application.registration_number
        ref = reference.setdefault(f.formation.pk, fields["maximum"])
        if fields["maximum"] != ref:
            msg = _("Nilai maksimum %(m)s berbeda dengan nilai maksimum SKB formasi ini (%(r)s).")
            errors.append((line, f"{number}: " + msg % {"m": _show(fields["maximum"]), "r": _show(ref)}))
        elif row.skb is not None and _changes(row.skb, **fields) and not reason.strip():
            msg = _("Nilai SKB sudah tercatat; isi alasan koreksi untuk mengubahnya.")
            errors.append((line, f"{number}: {msg}"))
    if errors:
        raise DomainError(
            _("Impor dibatalkan: %(n)s baris bermasalah; tidak ada nilai yang disimpan.") % {"n": len(errors)},
            errors={"file": [_("Baris %(n)s: %(msg)s") % {"n": n, "msg": msg} for n, msg in sorted(errors)]},
        )
    now = timezone.now()
    entries: list[Entry] = []
    for _line, _f, row, fields in parsed:
        existing = row.skb
        if not _changes(existing, **fields):
            continue
        before = snapshot(existing, ["score", "maximum", "absent", "ipk", "source"]) if existing else None
        skb, _created = SkbScore.objects.update_or_create(
            application=row.application,
            defaults=fields | {"source": SkbSource.IMPORT, "entered_by": actor.user, "entered_at": now},
        )
        entries.append(
            entry_for(
                row.application,
                "recruitment.skb_import",
                agency_id=agency.pk,
                before=before,
                after=snapshot(skb, ["score", "maximum", "absent", "ipk", "source"]) | {"file": filename[:100]},
                reason=reason.strip(),
            )
        )
    if entries:
        audit_log_many(actor=actor.user, entries=entries)
    return len(entries)
