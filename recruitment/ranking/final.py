"""The final result of an agency in a period (RULES.md §2.4): its publication, which freezes the ranking
into FinalResult rows and announces it, and the reads of what was published."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for
from core.errors import DomainError
from organization.models import Agency
from recruitment.access import require_committee
from recruitment.choices import Category
from recruitment.models import FinalOutcome, FinalPublication, FinalResult, Formation, RecruitmentPeriod
from recruitment.ranking.reads import FormationRanking, SkdRow, agency_rankings
from recruitment.services import announcement_publish

LISTED_MISSING = 20  # how many names a refusal spells out before "and n more"


@dataclass
class FinalLine:
    """One SKB participant's line of a formation's final list, live or as announced."""

    category: str
    rank: int | None
    registration_number: str
    name: str
    twk: int
    tiu: int
    tkp: int
    skd_total: int
    skb_score: Decimal | None
    skb_maximum: Decimal | None
    ipk: Decimal | None
    final_score: Decimal | None
    outcome: str  # a FinalOutcome, or "" while the SKB score is missing

    @property
    def label(self) -> str:
        return str(Category(self.category).label)


def final_lines(ranking: FormationRanking) -> list[FinalLine]:
    """The final list of a formation: the frozen rows once published, else the live preview."""
    if ranking.published:
        frozen = FinalResult.objects.filter(formation=ranking.formation).order_by(
            "category", "rank", "registration_number"
        )
        return [
            FinalLine(
                r.category, r.rank, r.registration_number, r.name, r.twk, r.tiu, r.tkp, r.skd_total,
                r.skb_score, r.skb_maximum, r.ipk, r.final_score, r.outcome,
            )
            for r in frozen
        ]  # fmt: skip
    return [
        FinalLine(
            c.category, x.rank, x.application.registration_number, x.application.applicant.name,
            x.score.twk, x.score.tiu, x.score.tkp, x.score.total,
            x.skb and x.skb.score, x.skb and x.skb.maximum, x.skb and x.skb.ipk, x.final, str(x.outcome),
        )
        for c in ranking.categories
        for x in c.final
    ]  # fmt: skip


def publications():
    """Every announced final result, newest first: what the public list shows."""
    return FinalPublication.objects.select_related("period", "agency").order_by("-published_at", "-pk")


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


def _who(rows: list[SkdRow]) -> str:
    names = [f"{r.application.registration_number} ({r.application.applicant.name})" for r in rows[:LISTED_MISSING]]
    more = len(rows) - LISTED_MISSING
    return ", ".join(names) + (_(" dan %(n)s lainnya") % {"n": more} if more > 0 else "")


@transaction.atomic
def final_publish(*, actor, period: RecruitmentPeriod, agency) -> FinalPublication:
    """Announce the final result of an agency in a period and freeze it: every SKB participant must have a
    score or be marked absent."""
    require_committee(actor, agency.pk)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # see skb._refuse_if_published
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
