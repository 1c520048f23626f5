"""The CPNS selection ranking as the database has it now (RULES.md §2.2–2.4): the SKD ranking per formation
and category, who goes to the SKB, and, where SKB scores exist, the 40/60 final ranking; also the histogram
of a formation and what an applicant may see of their own result."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.rules import BLUEPRINTS, SKD_2021, Blueprint, Score
from recruitment import rules, selectors
from recruitment.choices import ApplicationStatus, Category
from recruitment.models import (
    Application,
    FinalOutcome,
    FinalPublication,
    Formation,
    FormationQuota,
    RecruitmentPeriod,
    SkbScore,
)

SKB_FACTOR = 3  # 3 × the quota go to the SKB (RULES.md §2.3)


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
