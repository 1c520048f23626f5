"""The question bank's writes: import from xlsx (every row or none), revise one item, retire one item.

A change to an item never edits it in place: it makes a new version under the same code that supersedes
the old one, and the old one is retired, so sheets already drawn keep the text their participants saw.
The bank is national: only actors with national scope (``write_agency_ids is None``) change it.
"""

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.audit import Entry, audit_log, entry_for
from core.bulk import build, bulk_insert
from core.errors import DomainError
from exams import rules
from exams.models import Option, Question

LABELS = "abcde"
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
CODE_MAX = Question._meta.get_field("code").max_length
POINTS_MAX = 32767  # PositiveSmallIntegerField; the scoring rules refuse anything above 5 anyway
LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    example_keyed: object
    example_weighted: object


def _option_columns():
    keyed = ("Jakarta", "Bandung", "Surabaya", "Yogyakarta", "Medan")
    weighted = (
        "Menunggu atasan memberi perintah",
        "Mengerjakan bila sempat",
        "Bertanya kepada rekan kerja",
        "Menyusun rencana lalu mulai bekerja",
        "Segera menyelesaikan dan melaporkannya",
    )
    for i, label in enumerate(LABELS):
        yield Column(
            f"option_{label}",
            f"pilihan {label.upper()}",
            gettext_lazy("Teks pilihan; kosongkan pilihan yang tidak dipakai (dari E ke belakang)."),
            keyed[i],
            weighted[i],
        )
    for i, label in enumerate(LABELS):
        yield Column(
            f"points_{label}",
            f"nilai {label.upper()}",
            gettext_lazy("Nilai pilihan, bilangan bulat: TWK/TIU 5 untuk kunci dan 0 lainnya; TKP 1–5."),
            5 if i == 0 else 0,
            i + 1,
        )


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "kode",
        gettext_lazy(
            "Kode soal, wajib dan unik dalam berkas (paling panjang 30 karakter). Kode yang sudah ada "
            "dengan isi berbeda menjadi versi baru; isi yang sama dilewati."
        ),
        "CONTOH-TWK-0001",
        "CONTOH-TKP-0001",
    ),
    Column("subtest", "subtes", gettext_lazy("TWK, TIU atau TKP."), "TWK", "TKP"),
    Column(
        "text",
        "soal",
        gettext_lazy("Teks soal, wajib."),
        "Ibu kota Provinsi Jawa Barat adalah …",
        "Anda mendapat tugas mendesak menjelang jam pulang. Sikap Anda …",
    ),
    *_option_columns(),
)
HEADERS = [c.header for c in COLUMNS]
HEADER_OF = {c.key: c.header for c in COLUMNS}


def _norm_header(value) -> str:
    return " ".join(str(value or "").replace("_", " ").split()).lower()


BY_HEADER = {_norm_header(c.header): c.key for c in COLUMNS}


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (1 is the header row); 0 for the file as a whole
    column: str  # the header of the column at fault, "" for the row or file
    message: str


class ImportRefused(DomainError):
    """The file was refused as a whole; ``rows`` says where and why. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.rows = sorted(
            errors, key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else len(HEADERS))
        )
        super().__init__(
            _("Berkas ditolak karena %(n)s kesalahan; tidak ada soal yang disimpan.") % {"n": len(self.rows)},
            code="import_refused",
        )


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    new_versions: int
    unchanged: int


@dataclass(frozen=True)
class Draft:
    """A question as it should read: compared with the latest stored version to tell a change."""

    subtest: str
    text: str
    options: tuple[tuple[str, str, int], ...]  # (label, text, points), by label


def can_manage_bank(actor) -> bool:
    """Whether the actor may see and change the national question bank."""
    return actor.is_authenticated and actor.write_agency_ids is None


def _require_national(actor) -> None:
    if actor.write_agency_ids is not None:
        raise PermissionDenied(_("Bank soal dikelola oleh admin nasional."))


# --- validation, shared by the import and the revise form -------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _points(value) -> int | None:
    """The points of an option as a non-negative integer, or None when the cell is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif isinstance(value, str):
        value = value.strip()
        value = int(value) if value.isdigit() else None
    if not isinstance(value, int) or value < 0 or value > POINTS_MAX:
        return None
    return value


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _scoring_message(subtest: str) -> str:
    part = rules.SKD_2021.part(subtest)
    if part.weighted:
        return _("Penilaian ditolak: setiap pilihan soal TKP bernilai 1 sampai 5 dan tidak boleh ada nilai yang sama.")
    return _(
        "Penilaian ditolak: soal %(subtest)s harus punya tepat satu kunci bernilai %(points)s dan pilihan lain 0."
    ) % {
        "subtest": subtest.upper(),
        "points": part.points,
    }


def validate_item(
    subtest: str, text, raw_options: Mapping[str, tuple[object, object]]
) -> tuple[Draft | None, list[tuple[str, str]]]:
    """Check one item; return it as a draft, or the problems as (field key, message) pairs.

    ``raw_options`` maps a label (a–e) to its (text, points) as typed; an option with neither is absent.
    Field keys are the template's column keys (``text``, ``option_b``, ``points_c``, ``points`` for the
    scoring as a whole)."""
    errors: list[tuple[str, str]] = []
    text = _text(text)
    if not text:
        errors.append(("text", _("Teks soal wajib diisi.")))
    options: list[tuple[str, str, int]] = []
    first_gap = None
    for label in LABELS:
        otext_raw, raw_points = raw_options.get(label, (None, None))
        otext = _text(otext_raw)
        if not otext and _blank(raw_points):
            first_gap = first_gap or label
            continue
        if first_gap:
            errors.append(
                (
                    f"option_{label}",
                    _("Pilihan %(label)s terisi padahal pilihan %(gap)s kosong: isi pilihan berurutan dari A.")
                    % {"label": label.upper(), "gap": first_gap.upper()},
                )
            )
        if not otext:
            errors.append((f"option_{label}", _("Teks pilihan %(label)s wajib diisi.") % {"label": label.upper()}))
        points = _points(raw_points)
        if points is None:
            errors.append(
                (f"points_{label}", _("Nilai pilihan %(label)s harus bilangan bulat 0–5.") % {"label": label.upper()})
            )
        if otext and points is not None:
            options.append((label, otext, points))
    if errors or subtest not in rules.SUBTESTS:
        return None, errors
    if len(options) < 2:
        return None, [("points", _("Soal perlu sedikitnya dua pilihan."))]
    try:
        rules.check_item(rules.Item(subtest, {label: p for label, _t, p in options}))
    except ValueError:
        return None, [("points", _scoring_message(subtest))]
    return Draft(subtest, text, tuple(options)), []


# --- reading the file ------------------------------------------------------------------------------


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([RowError(0, "", message)])


def _open_rows(file):
    """Open the upload as a workbook and yield (row number, {column key: value}) for each non-blank row."""
    name = str(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_("Berkas lebih besar dari %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_("Berkas lebih besar dari %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if (name and not name.lower().endswith(".xlsx")) or data[:2] != b"PK":
        raise _refuse(_("Berkas harus berformat .xlsx (Excel); unduh dan isi templat yang disediakan."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise _refuse(_("Berkas xlsx tidak dapat dibaca: pastikan berkas tidak rusak.")) from exc
    if not header:
        wb.close()
        raise _refuse(_("Berkas kosong."))
    keys = [BY_HEADER.get(_norm_header(h)) for h in header]
    missing = [c.header for c in COLUMNS if c.key not in keys]
    doubled = sorted({HEADER_OF[k] for k in keys if k and keys.count(k) > 1})
    if missing or doubled:
        wb.close()
        errors = []
        if missing:
            errors.append(
                RowError(1, "", _("Kolom tidak ditemukan di baris judul: %(cols)s.") % {"cols": ", ".join(missing)})
            )
        if doubled:
            errors.append(
                RowError(
                    1, "", _("Kolom muncul lebih dari sekali di baris judul: %(cols)s.") % {"cols": ", ".join(doubled)}
                )
            )
        raise ImportRefused(errors)
    return data, wb, keys, it


def _rows(wb, keys, it):
    try:
        for n, row in enumerate(it, start=2):
            cells = {k: v for k, v in zip(keys, row) if k}
            if all(_blank(v) for v in cells.values()):
                continue
            yield n, cells
    finally:
        wb.close()


def _parse(file) -> tuple[bytes, list[tuple[int, str, Draft]], list[RowError]]:
    data, wb, keys, it = _open_rows(file)
    drafts: list[tuple[int, str, Draft]] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    count = 0
    for n, cells in _rows(wb, keys, it):
        count += 1
        if count > MAX_ROWS:
            raise _refuse(
                _("Berkas berisi lebih dari %(max)s baris soal; bagi menjadi beberapa berkas.") % {"max": MAX_ROWS}
            )
        row_errors: list[RowError] = []
        code = _text(cells.get("code"))
        if not code:
            row_errors.append(RowError(n, HEADER_OF["code"], _("Kode soal wajib diisi.")))
        elif len(code) > CODE_MAX:
            row_errors.append(
                RowError(n, HEADER_OF["code"], _("Kode soal paling panjang %(max)s karakter.") % {"max": CODE_MAX})
            )
        elif code in first_row_of:
            row_errors.append(
                RowError(
                    n,
                    HEADER_OF["code"],
                    _("Kode %(code)s sudah dipakai di baris %(row)s berkas ini.")
                    % {"code": code, "row": first_row_of[code]},
                )
            )
        else:
            first_row_of[code] = n
        raw_subtest = _text(cells.get("subtest"))
        subtest = raw_subtest.lower()
        if not raw_subtest:
            row_errors.append(RowError(n, HEADER_OF["subtest"], _("Subtes wajib diisi: TWK, TIU atau TKP.")))
        elif subtest not in rules.SUBTESTS:
            row_errors.append(
                RowError(
                    n,
                    HEADER_OF["subtest"],
                    _("Subtes tidak dikenal: %(value)s. Isi TWK, TIU atau TKP.") % {"value": raw_subtest[:20]},
                )
            )
        raw_options = {label: (cells.get(f"option_{label}"), cells.get(f"points_{label}")) for label in LABELS}
        draft, problems = validate_item(subtest, cells.get("text"), raw_options)
        row_errors += [RowError(n, HEADER_OF.get(key, "nilai"), msg) for key, msg in problems]
        if row_errors:
            errors += row_errors
        elif draft is not None:
            drafts.append((n, code, draft))
    if count == 0 and not errors:
        raise _refuse(_("Berkas tidak berisi soal: isi mulai baris kedua, di bawah baris judul."))
    return data, drafts, errors


# --- writing ---------------------------------------------------------------------------------------


def _latest_by_code(codes: list[str]) -> dict[str, dict]:
    """The latest stored version of each code, locked, with its content as a draft."""
    latest: dict[str, dict] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        rows = (
            Question.objects.select_for_update()
            .filter(code__in=chunk)
            .order_by("code", "version")
            .values("pk", "code", "version", "subtest", "text", "active")
        )
        for row in rows:
            latest[row["code"]] = row  # ordered by version: the last one wins
    options: dict[int, list[tuple[str, str, int]]] = {}
    ids = [row["pk"] for row in latest.values()]
    for start in range(0, len(ids), LOOKUP_CHUNK):
        for qid, label, text, points in Option.objects.filter(
            question_id__in=ids[start : start + LOOKUP_CHUNK]
        ).values_list("question_id", "label", "text", "points"):
            options.setdefault(qid, []).append((label, text, points))
    for row in latest.values():
        row["draft"] = Draft(row["subtest"], row["text"].strip(), tuple(sorted(options.get(row["pk"], []))))
    return latest


def _write_versions(new: list[tuple[str, int, int | None, Draft]]) -> list[Question]:
    """Insert questions (code, version, superseded id, draft) with their options; retire what they supersede."""
    questions = bulk_insert(
        Question,
        [
            build(Question, code=code, subtest=d.subtest, text=d.text, version=version, active=True, supersedes_id=old)
            for code, version, old, d in new
        ],
    )
    bulk_insert(
        Option,
        [
            build(Option, question_id=q.pk, label=label, text=text, points=points)
            for q, (_c, _v, _o, d) in zip(questions, new)
            for label, text, points in d.options
        ],
    )
    retired = [old for _c, _v, old, _d in new if old is not None]
    now = timezone.now()
    for start in range(0, len(retired), LOOKUP_CHUNK):
        Question.objects.filter(pk__in=retired[start : start + LOOKUP_CHUNK]).update(active=False, updated_at=now)
    return questions


def _busy() -> DomainError:
    return DomainError(_("Bank soal sedang diubah oleh proses lain; ulangi sebentar lagi."), code="busy")


def import_questions(*, actor, file) -> ImportResult:
    """Import questions from an xlsx: every row or none; a changed code makes a new version."""
    _require_national(actor)
    data, drafts, errors = _parse(file)
    if errors:
        raise ImportRefused(errors)
    try:
        with transaction.atomic():
            latest = _latest_by_code([code for _n, code, _d in drafts])
            to_write: list[tuple[str, int, int | None, Draft]] = []
            created, versioned, unchanged = [], [], 0
            for n, code, draft in drafts:
                old = latest.get(code)
                if old is None:
                    to_write.append((code, 1, None, draft))
                    created.append(code)
                elif old["subtest"] != draft.subtest:
                    errors.append(
                        RowError(
                            n,
                            HEADER_OF["subtest"],
                            _("Kode %(code)s sudah dipakai untuk soal %(subtest)s; subtes soal tidak dapat diubah.")
                            % {"code": code, "subtest": old["subtest"].upper()},
                        )
                    )
                elif old["draft"] == draft:
                    unchanged += 1
                else:
                    to_write.append((code, old["version"] + 1, old["pk"], draft))
                    versioned.append(code)
            if errors:
                raise ImportRefused(errors)
            _write_versions(to_write)
            result = ImportResult(
                rows=len(drafts), created=len(created), new_versions=len(versioned), unchanged=unchanged
            )
            name = str(getattr(file, "name", "") or "")
            audit_log(
                actor=actor.user,
                entry=Entry(
                    action="exams.question_import",
                    object_type="exams.question",
                    object_id=hashlib.sha256(data).hexdigest(),
                    object_label=name[:300],
                    after={
                        "file": name,
                        "rows": result.rows,
                        "new": result.created,
                        "new_versions": result.new_versions,
                        "unchanged": result.unchanged,
                        "codes_new": created,
                        "codes_new_version": versioned,
                    },
                ),
            )
    except IntegrityError as exc:  # another import wrote the same code and version first
        raise _busy() from exc
    return result


def _content(question: Question, options) -> dict:
    return {
        "code": question.code,
        "version": question.version,
        "text": question.text,
        "options": [[o[0], o[1], o[2]] for o in options],
    }


def question_revise(
    *, actor, question: Question, text: str, options: Mapping[str, tuple[object, object]], reason: str = ""
) -> Question:
    """Change one item: a new version under the same code supersedes it, and it is retired."""
    _require_national(actor)
    try:
        with transaction.atomic():
            current = Question.objects.select_for_update().filter(pk=question.pk).first()
            if current is None:
                raise DomainError(_("Soal tidak ditemukan."), code="missing")
            if not current.active or Question.objects.filter(supersedes=current).exists():
                raise DomainError(_("Hanya versi aktif yang dapat direvisi."), code="inactive")
            draft, problems = validate_item(current.subtest, text, options)
            if problems:
                grouped: dict[str, list[str]] = {}
                for key, msg in problems:
                    grouped.setdefault(key, []).append(msg)
                raise DomainError(problems[0][1], code="invalid", errors=grouped)
            old_options = tuple(sorted(current.options.values_list("label", "text", "points")))
            if Draft(current.subtest, current.text.strip(), old_options) == draft:
                raise DomainError(_("Tidak ada perubahan pada soal ini."), code="unchanged")
            (new,) = _write_versions([(current.code, current.version + 1, current.pk, draft)])
            audit_log(
                actor=actor.user,
                entry=entry_for(
                    new,
                    "exams.question_revise",
                    before={"id": current.pk, **_content(current, old_options)},
                    after={"id": new.pk, **_content(new, draft.options)},
                    reason=reason,
                ),
            )
    except IntegrityError as exc:
        raise _busy() from exc
    return new


@transaction.atomic
def question_retire(*, actor, question: Question, reason: str = "") -> Question:
    """Take one item out of the pool that new sheets are drawn from; sheets already drawn keep it."""
    _require_national(actor)
    current = Question.objects.select_for_update().filter(pk=question.pk).first()
    if current is None:
        raise DomainError(_("Soal tidak ditemukan."), code="missing")
    if not current.active:
        raise DomainError(_("Soal ini sudah tidak aktif."), code="inactive")
    current.active = False
    current.save(update_fields=["active", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(
            current, "exams.question_retire", before={"active": True}, after={"active": False}, reason=reason
        ),
    )
    return current


# --- the template ----------------------------------------------------------------------------------


def template_bytes() -> bytes:
    """The import template: a sheet to fill (with one TWK and one TKP example) and a sheet explaining it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Soal"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append([c.example_keyed for c in COLUMNS])
    ws.append([c.example_weighted for c in COLUMNS])
    ws.freeze_panes = "A2"
    for i, width in enumerate([18, 8, 60] + [28] * 5 + [9] * 5, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    notes = wb.create_sheet(_("Petunjuk")[:31])
    notes.append([_("Kolom"), _("Keterangan")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for c in COLUMNS:
        notes.append([c.header, str(c.help)])
    notes.append([])
    for line in layout_rules():
        notes.append(["", line])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def layout_rules() -> list[str]:
    """The rules of the import, as the page and the template's notes state them."""
    return [
        _("Baris pertama adalah judul kolom; soal diisi mulai baris kedua, satu baris satu soal."),
        _("TWK dan TIU: tepat satu pilihan bernilai 5 (kunci), pilihan lain bernilai 0."),
        _("TKP: setiap pilihan bernilai 1 sampai 5 dan tidak boleh ada nilai yang sama."),
        _("Pilihan diisi berurutan dari A; sedikitnya dua pilihan."),
        _("Paling banyak %(max)s soal per berkas; satu baris salah membuat seluruh berkas ditolak.")
        % {"max": MAX_ROWS},
        _(
            "Kode yang sudah ada dengan isi berbeda menjadi versi baru dan versi lama dinonaktifkan; isi yang sama dilewati."
        ),
    ]
