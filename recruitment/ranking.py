"""Ranking of the CPNS selection (RULES.md §2.2–2.4): the SKD ranking per formation and category, the SKB
scores, the 40/60 integration with the final ranking, its frozen publication, and the exports.

The regulation itself is in ``recruitment.rules``; this module feeds it from the database and writes the
committee's decisions, each audited.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit import Entry, audit_log, audit_log_many, entry_for, snapshot
from core.errors import DomainError
from exams.rules import BLUEPRINTS, SKD_2021, Blueprint, Score
from organization.models import Agency
from recruitment import rules, selectors
from recruitment.choices import ApplicationStatus, Category
from recruitment.models import (
    Application,
    FinalOutcome,
    FinalPublication,
    FinalResult,
    Formation,
    FormationQuota,
    RecruitmentPeriod,
    SkbScore,
    SkbSource,
)
from recruitment.services import _require_committee, announcement_publish

THOUSANDTH, HUNDREDTH = Decimal("0.001"), Decimal("0.01")
SKB_FACTOR = 3  # 3 × the quota go to the SKB (RULES.md §2.3)
LISTED_MISSING = 20  # how many names a refusal spells out before "and n more"


# ---------------------------------------------------------------------------------------------- reads


@dataclass
class SkdRow:
    """An eligible applicant of a formation and category, with the SKD result and where it led."""

    application: Application
    score: Score | None  # None: did not sit (or finish) the SKD
    rank: int | None = None  # among those meeting the passing grade
    to_skb: bool = False
    reason: str = ""  # why not (or why beyond the seats)

    @property
    def skb(self) -> SkbScore | None:
        return skb_of(self.application)


@dataclass
class FinalRow:
    application: Application
    score: Score
    skb: SkbScore | None
    final: Decimal | None = None
    rank: int | None = None
    outcome: str = ""  # a FinalOutcome, or "" while the SKB score is missing


@dataclass
class CategoryRanking:
    category: str
    quota: int
    grade: rules.PassingGrade | None
    rows: list[SkdRow]
    final: list[FinalRow]

    @property
    def label(self) -> str:
        return str(Category(self.category).label)

    @property
    def seats(self) -> int:
        return SKB_FACTOR * self.quota

    @property
    def skb_rows(self) -> list[SkdRow]:
        return [r for r in self.rows if r.to_skb]

    @property
    def missing_skb(self) -> list[SkdRow]:
        return [r for r in self.rows if r.to_skb and r.skb is None]


@dataclass
class FormationRanking:
    formation: Formation
    blueprint: Blueprint
    skb_maximum: Decimal | None
    categories: list[CategoryRanking]
    published: bool

    def row_for(self, application_id: int) -> SkdRow | None:
        return next((r for c in self.categories for r in c.rows if r.application.pk == application_id), None)

    @property
    def missing_skb(self) -> list[SkdRow]:
        return [r for c in self.categories for r in c.missing_skb]


def skb_of(application: Application) -> SkbScore | None:
    try:
        return application.skb_score
    except SkbScore.DoesNotExist:
        return None


def skd_of(application: Application) -> Score | None:
    """The CAT score of a finished participant; nothing for one who did not sit or finish the SKD."""
    try:
        p = application.participant
    except ObjectDoesNotExist:
        return None
    if p is None or p.finished_at is None or None in (p.twk, p.tiu, p.tkp):
        return None
    return Score(p.twk, p.tiu, p.tkp)


def grade_text(grade: rules.PassingGrade | None) -> str:
    if grade is None:
        return _("belum ditetapkan")
    parts = [
        f"{name} ≥ {v}" for name, v in (("TWK", grade.twk), ("TIU", grade.tiu), ("TKP", grade.tkp)) if v is not None
    ]
    if grade.total is not None:
        parts.append(_("total ≥ %(n)s") % {"n": grade.total})
    return ", ".join(parts)


def shortfalls(grade: rules.PassingGrade, s: Score) -> str:
    """Which minimums of the passing grade the score misses, e.g. "TWK 60 < 65"."""
    pairs = (
        ("TWK", grade.twk, s.twk),
        ("TIU", grade.tiu, s.tiu),
        ("TKP", grade.tkp, s.tkp),
        (_("total"), grade.total, s.total),
    )
    return ", ".join(f"{name} {value} < {limit}" for name, limit, value in pairs if limit is not None and value < limit)


def grade_date(period: RecruitmentPeriod) -> datetime.date:
    """The passing grade in force when the period opened its registration applies to all of it."""
    return timezone.localdate(period.registration_opens)


def _rank_category(category, quota, grade, applications, skb_max, blueprint) -> CategoryRanking:
    scored = [(a, skd_of(a)) for a in applications]
    sat = [(a, s) for a, s in scored if s is not None]
    rows: list[SkdRow] = []
    if grade is None:
        rows = [SkdRow(a, s, reason=_("Nilai ambang batas jenis kebutuhan ini belum ditetapkan.")) for a, s in sat]
    else:
        by_id = {a.pk: (a, s) for a, s in sat}
        ranked = rules.rank_for_skb([rules.Candidate(a.pk, s) for a, s in sat], grade, quota, SKB_FACTOR)
        seats = SKB_FACTOR * quota
        for i, r in enumerate(ranked):
            a, s = by_id[r.candidate.id]
            if not r.passes:
                reason = _("Di luar %(n)s peringkat teratas (3 × %(q)s kebutuhan).") % {"n": seats, "q": quota}
            elif i >= seats:
                reason = _("Nilai sama dengan peringkat batas: ikut SKB.")
            else:
                reason = ""
            rows.append(SkdRow(a, s, rank=r.rank, to_skb=r.passes, reason=reason))
        failed = sorted(
            (c for c in sat if not grade.met_by(c[1])), key=lambda c: rules.skd_key(rules.Candidate(0, c[1]))
        )
        rows += [
            SkdRow(a, s, reason=_("Tidak memenuhi nilai ambang batas: %(x)s.") % {"x": shortfalls(grade, s)})
            for a, s in failed
        ]
    rows += [
        SkdRow(a, None, reason=_("Tidak ada nilai SKD (tidak hadir atau belum selesai)."))
        for a, s in scored
        if s is None
    ]
    return CategoryRanking(category, quota, grade, rows, _final(rows, quota, skb_max, blueprint))


def _final(rows: list[SkdRow], quota: int, skb_max, blueprint) -> list[FinalRow]:
    """The final ranking of the SKB participants: 40 % SKD + 60 % SKB, then the final tie-breaks."""
    out, absent, pending, cands = [], [], [], []
    for r in rows:
        if not r.to_skb:
            continue
        skb = r.skb
        if skb is None:
            pending.append(FinalRow(r.application, r.score, None))
        elif skb.absent:
            absent.append(FinalRow(r.application, r.score, skb, outcome=FinalOutcome.ABSENT))
        else:
            birth = r.application.applicant.birth_date
            cands.append(rules.Candidate(r.application.pk, r.score, skb=skb.score, ipk=skb.ipk, birth_date=birth))
    if cands:
        by_id = {r.application.pk: r for r in rows}
        for x in rules.rank_final(cands, skb_max, quota, blueprint):
            r = by_id[x.candidate.id]
            out.append(
                FinalRow(
                    r.application,
                    r.score,
                    r.skb,
                    final=rules.final_score(r.score, x.candidate.skb, skb_max, blueprint),
                    rank=x.rank,
                    outcome=FinalOutcome.PASSED if x.passes else FinalOutcome.FAILED,
                )
            )
    return out + absent + pending


def _build(formations: list[Formation], period: RecruitmentPeriod) -> list[FormationRanking]:
    if not formations:
        return []
    quotas = defaultdict(list)
    for q in FormationQuota.objects.filter(formation__in=formations).order_by("category"):
        quotas[q.formation_id].append(q)
    apps, maxima = defaultdict(list), defaultdict(set)
    for a in (
        Application.objects.filter(formation__in=formations, status=ApplicationStatus.ELIGIBLE)
        .select_related("applicant", "participant", "skb_score")
        .order_by("registration_number")
    ):
        apps[(a.formation_id, a.category)].append(a)
        if (s := skb_of(a)) is not None:
            maxima[a.formation_id].add(s.maximum)
    on = grade_date(period)
    grades = {
        c: selectors.passing_grade(period.kind, c, on)
        for c in sorted({q.category for qs in quotas.values() for q in qs})
    }
    published = set(
        FinalPublication.objects.filter(period=period, agency_id__in={f.agency_id for f in formations}).values_list(
            "agency_id", flat=True
        )
    )
    blueprint = BLUEPRINTS.get(period.blueprint, SKD_2021)
    out = []
    for f in formations:
        skb_max = min(maxima[f.pk]) if maxima[f.pk] else None  # one per formation, kept so by the writes below
        cats = [
            _rank_category(q.category, q.quota, grades[q.category], apps[(f.pk, q.category)], skb_max, blueprint)
            for q in quotas[f.pk]
        ]
        out.append(FormationRanking(f, blueprint, skb_max, cats, f.agency_id in published))
    return out


def formation_ranking(formation: Formation) -> FormationRanking:
    """Rank one formation, every category: SKD to the SKB and, where SKB scores exist, the final result."""
    return _build([formation], formation.period)[0]


def agency_rankings(period: RecruitmentPeriod, agency) -> list[FormationRanking]:
    """Rank every formation of an agency in a period (for the import, the publication and the template)."""
    formations = list(
        Formation.objects.filter(period=period, agency=agency)
        .select_related("period", "agency", "unit")
        .order_by("position_title", "pk")
    )
    return _build(formations, period)


def publication_of(period_id: int, agency_id: int) -> FinalPublication | None:
    return (
        FinalPublication.objects.filter(period_id=period_id, agency_id=agency_id)
        .select_related("period", "agency")
        .first()
    )


def published_results(publication: FinalPublication) -> list[tuple[Formation, list[tuple[str, list[FinalResult]]]]]:
    """The frozen rows of a publication, grouped by formation and category."""
    groups: dict = {}
    for r in publication.results.select_related("formation__unit").order_by(
        "formation__position_title", "formation_id", "category", "rank", "registration_number"
    ):
        groups.setdefault(r.formation, {}).setdefault(r.category, []).append(r)
    return [(f, [(str(Category(c).label), rows) for c, rows in cats.items()]) for f, cats in groups.items()]


def histogram(ranking: FormationRanking, width: int = 25) -> dict:
    """SKD totals in bins, split by whether the passing grade of the applicant's category is met."""
    top = ranking.blueprint.maximum
    bins = list(range(0, top, width))
    met, missed = [0] * len(bins), [0] * len(bins)
    for c in ranking.categories:
        for r in c.rows:
            if r.score is None:
                continue
            i = min(r.score.total // width, len(bins) - 1)
            (met if c.grade is not None and c.grade.met_by(r.score) else missed)[i] += 1
    return {
        "labels": [f"{b}–{top if b == bins[-1] else b + width - 1}" for b in bins],
        "datasets": [
            {"label": _("Memenuhi nilai ambang batas"), "data": met, "color": "#20bf55"},
            {"label": _("Tidak memenuhi"), "data": missed, "color": "#d1495b"},
        ],
        "stacked": True,
    }


def applicant_result(application: Application) -> dict:
    """What the applicant may see of their own selection: SKD, SKB and, once published, the final line."""
    score = skd_of(application)
    grade = selectors.passing_grade(application.period.kind, application.category, grade_date(application.period))
    try:
        final = application.final_result
    except ObjectDoesNotExist:
        final = None
    return {
        "skd": score,
        "grade": grade_text(grade),
        "grade_met": None if score is None or grade is None else grade.met_by(score),
        "skb": skb_of(application),
        "final": final,
    }


# ---------------------------------------------------------------------------------------------- writes


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
    _require_committee(actor, formation.agency_id)
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
    _require_committee(actor, agency.pk)
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


def _who(rows: list[SkdRow]) -> str:
    names = [f"{r.application.registration_number} ({r.application.applicant.name})" for r in rows[:LISTED_MISSING]]
    more = len(rows) - LISTED_MISSING
    return ", ".join(names) + (_(" dan %(n)s lainnya") % {"n": more} if more > 0 else "")


@transaction.atomic
def final_publish(*, actor, period: RecruitmentPeriod, agency) -> FinalPublication:
    """Announce the final result of an agency in a period and freeze it: every SKB participant must have a
    score or be marked absent."""
    _require_committee(actor, agency.pk)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # see _refuse_if_published
    if FinalPublication.objects.filter(period=period, agency=agency).exists():
        raise DomainError(_("Hasil akhir instansi ini pada periode ini sudah diumumkan."), code="published")
    rankings = agency_rankings(period, agency)
    if not rankings:
        raise DomainError(_("Instansi ini tidak memiliki formasi pada periode ini."), code="empty")
    no_grade = sorted({c.label for f in rankings for c in f.categories if c.grade is None})
    if no_grade:
        raise DomainError(
            _("Nilai ambang batas belum ditetapkan untuk: %(c)s.") % {"c": ", ".join(no_grade)}, code="no_grade"
        )
    missing = [r for f in rankings for r in f.missing_skb]
    if missing:
        raise DomainError(
            _("Nilai SKB belum lengkap untuk %(n)s pelamar: %(who)s.") % {"n": len(missing), "who": _who(missing)},
            code="skb_missing",
        )
    lines = [(f, c, x) for f in rankings for c in f.categories for x in c.final]
    if not lines:
        raise DomainError(_("Belum ada peserta SKB yang dapat diumumkan."), code="empty")
    url = reverse("recruitment:final_public", args=[period.pk, agency.pk])
    summary = "\n".join(
        _("- %(f)s: %(p)s lulus dari %(n)s peserta SKB")
        % {
            "f": f"{f.formation.position_title} · {f.formation.unit.name}",
            "p": sum(1 for c in f.categories for x in c.final if x.outcome == FinalOutcome.PASSED),
            "n": sum(len(c.final) for c in f.categories),
        }
        for f in rankings
    )
    announcement = announcement_publish(
        actor=actor,
        period=period,
        agency=agency,
        title=_("Hasil akhir seleksi %(p)s — %(a)s") % {"p": period.name, "a": agency.name},
        body=_(
            "Hasil integrasi nilai SKD (40%%) dan SKB (60%%), per formasi dan jenis kebutuhan.\n%(s)s\n\nDaftar lengkap: %(u)s"
        )
        % {"s": summary, "u": url},
    )
    publication = FinalPublication.objects.create(
        period=period,
        agency=agency,
        announcement=announcement,
        published_by=actor.user,
        published_at=announcement.published_at,
    )
    FinalResult.objects.bulk_create(
        FinalResult(
            publication=publication,
            application=x.application,
            formation=f.formation,
            category=c.category,
            registration_number=x.application.registration_number,
            name=x.application.applicant.name,
            twk=x.score.twk,
            tiu=x.score.tiu,
            tkp=x.score.tkp,
            skd_total=x.score.total,
            skb_score=x.skb.score,
            skb_maximum=x.skb.maximum,
            ipk=x.skb.ipk,
            final_score=x.final,
            rank=x.rank,
            outcome=x.outcome,
        )
        for f, c, x in lines
    )
    outcomes = defaultdict(int)
    for _f, _c, x in lines:
        outcomes[str(x.outcome)] += 1
    audit_log(
        actor=actor.user,
        entry=entry_for(
            publication,
            "recruitment.final_publish",
            agency_id=agency.pk,
            after={"announcement": announcement.pk, "formations": len(rankings), "results": len(lines)}
            | dict(outcomes),
        ),
    )
    return publication


# ---------------------------------------------------------------------------------------------- exports


def _yes(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def _num(value: Decimal | None):
    return None if value is None else float(value)


def skd_export(ranking: FormationRanking) -> tuple[list[str], list[list]]:
    headers = [
        _("Jenis kebutuhan"), _("Peringkat"), _("Nomor pendaftaran"), _("Nama"), "TWK", "TIU", "TKP", _("Total SKD"),
        _("Memenuhi ambang batas"), _("Ikut SKB"), _("Keterangan"),
    ]  # fmt: skip
    rows = []
    for c in ranking.categories:
        for r in c.rows:
            s = r.score
            met = s is not None and c.grade is not None and c.grade.met_by(s)
            rows.append(
                [
                    c.label, r.rank, r.application.registration_number, r.application.applicant.name,
                    s and s.twk, s and s.tiu, s and s.tkp, s and s.total, _yes(met), _yes(r.to_skb), r.reason,
                ]
            )  # fmt: skip
    return headers, rows


def final_export(ranking: FormationRanking) -> tuple[list[str], list[list]]:
    """The final list: the frozen rows once published, else the live preview."""
    headers = [
        _("Jenis kebutuhan"), _("Peringkat"), _("Nomor pendaftaran"), _("Nama"), "TWK", "TIU", "TKP", _("Total SKD"),
        _("Nilai SKB"), _("Nilai maksimum SKB"), _("IPK / rata-rata nilai ijazah"), _("Nilai akhir"), _("Keterangan"),
    ]  # fmt: skip
    labels = dict(FinalOutcome.choices)
    if ranking.published:
        frozen = FinalResult.objects.filter(formation=ranking.formation).order_by(
            "category", "rank", "registration_number"
        )
        return headers, [
            [
                str(Category(r.category).label), r.rank, r.registration_number, r.name, r.twk, r.tiu, r.tkp, r.skd_total,
                _num(r.skb_score), _num(r.skb_maximum), _num(r.ipk), _num(r.final_score), str(labels[r.outcome]),
            ]
            for r in frozen
        ]  # fmt: skip
    rows = []
    for c in ranking.categories:
        for x in c.final:
            s, skb = x.score, x.skb
            rows.append(
                [
                    c.label, x.rank, x.application.registration_number, x.application.applicant.name,
                    s.twk, s.tiu, s.tkp, s.total, _num(skb and skb.score), _num(skb and skb.maximum), _num(skb and skb.ipk),
                    _num(x.final), str(labels[x.outcome]) if x.outcome else _("Nilai SKB belum ada"),
                ]
            )  # fmt: skip
    return headers, rows


def skb_template(rankings: list[FormationRanking]) -> tuple[list[str], list[list]]:
    """The SKB participants with what is on record: the file to fill in and import."""
    rows = []
    for f in rankings:
        for c in f.categories:
            for r in c.skb_rows:
                skb = r.skb
                score = None if skb is None else ("TH" if skb.absent else _num(skb.score))
                rows.append(
                    [
                        r.application.registration_number,
                        r.application.applicant.name,
                        score,
                        _num(skb and skb.maximum),
                        _num(skb and skb.ipk),
                    ]
                )
    return list(SKB_HEADERS), rows
