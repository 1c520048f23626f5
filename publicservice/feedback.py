"""What the public says, shaped for screens: survey results from aggregated answers (one query however
many respondents), trends across a unit's periods, the agency overview, recurring complaint themes, and
the public voice shown on the performance screens of a unit's head and staff."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from publicservice import rules
from publicservice.models import (
    OPEN_STATUSES,
    ActionPlan,
    Complaint,
    ComplaintStatus,
    ServiceUnit,
    SurveyCampaign,
    SurveyPoint,
    SurveyResponse,
)

NAMES = dict(rules.UNSUR)
SUMS = {f"s_{c.lower()}": Sum(c.lower()) for c in rules.CODES}
WEAKEST = 3  # unsur flagged on a result: the first to improve
NOT_COUNTED = (ComplaintStatus.REJECTED, ComplaintStatus.MERGED)


def weight_of(weighting: str) -> Fraction:
    """The weight of each unsur: exactly 1/9, or the 0,11 printed in the Permen (legacy)."""
    return Fraction(1, len(rules.CODES)) if weighting == rules.EXACT else Fraction(11, 100)


def result_from_sums(n: int, sums: dict, weighting: str) -> rules.Result | None:
    """The IKM of a campaign from its respondent count and the sum of answers per unsur.

    Equal to ``rules.ikm`` over the same questionnaires (NRR is a sum over a count, IKM is linear in the
    NRR), without loading every response."""
    if not n:
        return None
    values = {c: Fraction(int(sums[f"s_{c.lower()}"]), n) for c in rules.CODES}
    weight = weight_of(weighting)
    return rules.Result(n, values, sum((v * weight for v in values.values()), Fraction(0)), weighting)


def results_by_campaign(campaigns) -> dict[int, rules.Result | None]:
    """The result of each campaign (None without respondents), in one query."""
    campaigns = list(campaigns)
    rows = {
        r["campaign_id"]: r
        for r in SurveyResponse.objects.filter(campaign__in=[c.pk for c in campaigns])
        .values("campaign_id")
        .annotate(n=Count("id"), **SUMS)
        .order_by()
    }
    return {
        c.pk: result_from_sums(rows[c.pk]["n"], rows[c.pk], c.weighting) if c.pk in rows else None for c in campaigns
    }


def weak_unsur(result: rules.Result | None) -> list[str]:
    """The lowest unsur (at most three) that are not already graded A: the ones to improve first."""
    if result is None:
        return []
    return [c for c in result.weakest(WEAKEST) if result.unsur_grade(c)[0] != "A"]


@dataclass
class UnsurRow:
    code: str
    name: str
    nrr: Fraction
    weighted: Fraction
    grade: str
    label: str
    weak: bool


@dataclass
class Summary:
    """A campaign's (or one desk's) numbers as the results page and the report show them."""

    campaign: SurveyCampaign
    point: SurveyPoint | None
    respondents: int
    target: int
    result: rules.Result | None
    rows: list[UnsurRow] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    other: rules.Result | None = None  # the other weighting, shown beside a legacy result

    @property
    def progress(self) -> int:
        """Percent of the Krejcie–Morgan target reached (capped at 100)."""
        if not self.target:
            return 100
        return min(100, self.respondents * 100 // self.target)

    @property
    def reached(self) -> bool:
        return self.respondents >= self.target

    @property
    def weak_names(self) -> list[str]:
        return [NAMES[c] for c in self.weak]


def _summary(campaign: SurveyCampaign, point: SurveyPoint | None, n: int, sums: dict) -> Summary:
    result = result_from_sums(n, sums, campaign.weighting)
    summary = Summary(campaign, point, n, rules.krejcie_morgan(campaign.population), result)
    if result is None:
        return summary
    summary.weak = weak_unsur(result)
    weight = weight_of(campaign.weighting)
    for code, name in rules.UNSUR:
        letter, label = result.unsur_grade(code)
        value = result.nrr[code]
        summary.rows.append(UnsurRow(code, name, value, value * weight, letter, label, code in summary.weak))
    if campaign.weighting == rules.LEGACY:
        summary.other = result_from_sums(n, sums, rules.EXACT)
    return summary


def campaign_summary(campaign: SurveyCampaign, point: SurveyPoint | None = None) -> Summary:
    """Respondents against the target, NRR and grade per unsur, IKM, converted index, grade, weakest unsur."""
    rows = SurveyResponse.objects.filter(campaign=campaign)
    if point is not None:
        rows = rows.filter(point=point)
    agg = rows.aggregate(n=Count("id"), **SUMS)
    return _summary(campaign, point, agg["n"], agg)


def point_summaries(campaign: SurveyCampaign) -> list[Summary]:
    """One summary per desk or officer of a campaign, in two queries."""
    points = list(campaign.points.select_related("officer").order_by("label"))
    sums = {
        r["point_id"]: r
        for r in SurveyResponse.objects.filter(campaign=campaign, point__isnull=False)
        .values("point_id")
        .annotate(n=Count("id"), **SUMS)
        .order_by()
    }
    out = []
    for p in points:
        row = sums.get(p.pk)
        out.append(_summary(campaign, p, row["n"] if row else 0, row or {}))
    return out


def respondent_profile(campaign: SurveyCampaign, point: SurveyPoint | None = None) -> list[dict]:
    """Counts and shares of respondents by age band, gender, education and occupation."""
    rows = SurveyResponse.objects.filter(campaign=campaign)
    if point is not None:
        rows = rows.filter(point=point)
    data = list(rows.values_list("age_band", "gender", "education", "occupation"))
    total = len(data)
    gender = list(SurveyResponse._meta.get_field("gender").choices)
    groups = [
        (SurveyResponse._meta.get_field("age_band").verbose_name, SurveyResponse.AGE_BANDS),
        (SurveyResponse._meta.get_field("gender").verbose_name, gender),
        (SurveyResponse._meta.get_field("education").verbose_name, SurveyResponse.EDUCATION),
        (SurveyResponse._meta.get_field("occupation").verbose_name, SurveyResponse.OCCUPATION),
    ]
    out = []
    for i, (title, choices) in enumerate(groups):
        counts = Counter(row[i] for row in data)
        out.append(
            {
                "title": title,
                "rows": [
                    (label, counts.get(key, 0), round(counts.get(key, 0) * 100 / total, 1) if total else 0)
                    for key, label in choices
                ],
            }
        )
    return out


def unit_trend(unit: ServiceUnit) -> list[tuple[SurveyCampaign, rules.Result | None]]:
    """Every campaign of a unit, oldest first, with its result: the trend across periods."""
    campaigns = list(unit.campaigns.order_by("starts_on"))
    results = results_by_campaign(campaigns)
    return [(c, results[c.pk]) for c in campaigns]


def trend_chart(trend) -> dict:
    """Chart.js data of the converted IKM across periods (periods without respondents are gaps)."""
    return {
        "labels": [c.name for c, _r in trend],
        "datasets": [{"label": "IKM (25–100)", "data": [float(r.converted) if r else None for _c, r in trend]}],
        "suggestedMax": 100,
    }


def nrr_chart(summary: Summary) -> dict:
    return {
        "labels": [row.code for row in summary.rows],
        "label": "NRR",
        "values": [round(float(row.nrr), 3) for row in summary.rows],
        "suggestedMax": 4,
    }


# --- Complaint themes ------------------------------------------------------------------------------------

STOPWORDS = frozenset(
    """yang dan di ke dari untuk tidak ada dengan ini itu pada saya kami kita atas sangat terlalu lebih belum
    sudah tanpa karena oleh atau juga bisa agar dalam para akan harus masih sebagai tentang mohon tolong
    apa bagaimana kenapa mengapa kapan sejak hari bulan tahun the pak ibu bapak""".split()
)
WORD = re.compile(r"[a-zA-Z\u00C0-\u024F]{4,}")


def complaint_themes(
    unit: ServiceUnit, start: datetime.date | None = None, end: datetime.date | None = None, *, limit: int = 8
) -> list[dict]:
    """Recurring themes of a unit's reports in a span: the words that come back in several titles,
    most frequent first, each with up to three example titles."""
    qs = Complaint.objects.filter(unit=unit).exclude(status__in=NOT_COUNTED)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    titles = list(qs.values_list("title", flat=True)[:2000])
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for title in titles:
        for word in {w.lower() for w in WORD.findall(title)} - STOPWORDS:
            counts[word] += 1
            if len(examples.setdefault(word, [])) < 3:
                examples[word].append(title)
    return [
        {"word": w, "count": n, "examples": examples[w]}
        for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= 2
    ][:limit]


# --- The agency overview ---------------------------------------------------------------------------------


def agency_overview(agency, *, today: datetime.date | None = None) -> dict:
    """Each unit's latest campaign and its IKM, open complaints per unit, and the open action plans."""
    today = today or timezone.localdate()
    units = list(
        ServiceUnit.objects.filter(agency=agency)
        .select_related("org_unit")
        .annotate(open_complaints=Count("complaints", filter=Q(complaints__status__in=OPEN_STATUSES)))
        .order_by("name")
    )
    latest: dict[int, SurveyCampaign] = {}
    for c in SurveyCampaign.objects.filter(unit__agency=agency, starts_on__lte=today).order_by("unit_id", "-starts_on"):
        latest.setdefault(c.unit_id, c)
    results = results_by_campaign(latest.values())
    rows = []
    for u in units:
        c = latest.get(u.pk)
        r = results.get(c.pk) if c else None
        rows.append({"unit": u, "campaign": c, "result": r, "weak": [NAMES[x] for x in weak_unsur(r)]})
    plans = list(
        ActionPlan.objects.filter(unit__agency=agency)
        .exclude(status=ActionPlan.Status.DONE)
        .select_related("unit", "owner", "campaign")
        .order_by("due")
    )
    graded = [row for row in rows if row["result"]]
    return {
        "rows": rows,
        "plans": plans,
        "overdue": sum(1 for p in plans if p.due < today),
        "chart": {
            "labels": [row["unit"].name for row in graded],
            "label": "IKM (25–100)",
            "values": [float(row["result"].converted) for row in graded],
            "suggestedMax": 100,
        },
    }


# --- The loop back to performance ------------------------------------------------------------------------


def public_voice(org_unit, start: datetime.date, end: datetime.date, *, now=None) -> dict | None:
    """Complaints about the service units at or below an organisation unit in a span (count, on-time rate,
    mean rating) and the latest survey of each of them in the span (IKM, grade, weakest unsur).

    None when no service unit answers to the organisation unit: nothing to show."""
    now = now or timezone.now()
    under = Q(unit__org_unit__path__startswith=org_unit.path)
    stats = (
        Complaint.objects.filter(under, created_at__date__gte=start, created_at__date__lte=end)
        .exclude(status__in=NOT_COUNTED)
        .aggregate(
            n=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            on_time=Count("id", filter=Q(responded_at__isnull=False, responded_at__lte=F("response_due"))),
            late=Count(
                "id",
                filter=Q(responded_at__gt=F("response_due")) | Q(responded_at__isnull=True, response_due__lt=now),
            ),
            rated=Count("rating"),
            rating=Avg("rating"),
        )
    )
    campaigns = list(
        SurveyCampaign.objects.filter(under, starts_on__lte=end, ends_on__gte=start)
        .select_related("unit")
        .order_by("unit__name", "-starts_on")
    )
    if not stats["n"] and not campaigns:
        if not ServiceUnit.objects.filter(org_unit__path__startswith=org_unit.path).exists():
            return None
    latest: dict[int, SurveyCampaign] = {}
    for c in campaigns:
        latest.setdefault(c.unit_id, c)
    results = results_by_campaign(latest.values())
    surveys = []
    for c in latest.values():
        r = results[c.pk]
        surveys.append(
            {
                "unit": c.unit.name,
                "campaign": c.name,
                "respondents": r.respondents if r else 0,
                "ikm": r.converted if r else None,
                "grade": r.grade[0] if r else None,
                "label": r.grade[1] if r else None,
                "weakest": [NAMES[x] for x in weak_unsur(r)],
            }
        )
    judged = stats["on_time"] + stats["late"]
    return {
        "complaints": stats["n"],
        "open": stats["open"],
        "on_time_rate": round(stats["on_time"] * 100 / judged) if judged else None,
        "rated": stats["rated"],
        "mean_rating": round(stats["rating"], 1) if stats["rating"] is not None else None,
        "surveys": surveys,
    }
