"""Reads of the public pages: what the public may see of a report, the public list, and the dashboards.

Publicity (RULES.md §8.3, issue 6): a report is listed only when it is public or anonymous, not hidden by a
moderator, and past verification (not waiting, rejected or merged into another): the verifier is the one who
redacts personal data and may make a report anonymous or confidential before anyone else reads it.
Confidential reports are never listed; they are *counted* in the dashboards' numbers, which never carry a
title, a text or a code. Dashboards aggregate in SQL with a fixed number of queries whatever the volume.
"""

import datetime

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from core.calendar import WIB
from organization.models import Agency
from publicservice.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintClass,
    ComplaintEvent,
    ComplaintKind,
    ComplaintStatus,
    Confidentiality,
    ServiceUnit,
)

LISTED_CONFIDENTIALITY = (Confidentiality.PUBLIC, Confidentiality.ANONYMOUS)
LISTED_STATUSES = (
    ComplaintStatus.FORWARDED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESPONDED,
    ComplaintStatus.CLOSED,
)
DASHBOARD_MONTHS = 12
# Events whose text the reporter wrote: shown only to the holder of the reply key.
CITIZEN_EVENTS = (ComplaintEvent.Kind.CITIZEN_REPLY, ComplaintEvent.Kind.REOPENED, ComplaintEvent.Kind.RATED)


def public_complaints() -> QuerySet[Complaint]:
    """Every report the public may read (see the module's docstring)."""
    return Complaint.objects.filter(
        confidentiality__in=LISTED_CONFIDENTIALITY, hidden=False, status__in=LISTED_STATUSES
    )


def is_public(c: Complaint) -> bool:
    """Whether the public may read this report (the same test as ``public_complaints``)."""
    return c.confidentiality in LISTED_CONFIDENTIALITY and not c.hidden and c.status in LISTED_STATUSES


def public_text(c: Complaint) -> str:
    """The text the public reads: the verifier's redacted version when there is one."""
    return c.public_text or c.description


def complaint_by_code(code: str) -> Complaint | None:
    """The report behind a tracking code, with what its status page shows."""
    return Complaint.objects.filter(tracking_code=(code or "").strip().upper()).select_related("unit", "agency").first()


def due_of(c: Complaint) -> datetime.datetime | None:
    """The deadline the report is running against now (verification, then the response), if open."""
    if c.status == ComplaintStatus.RECEIVED:
        return c.verify_due
    if c.status in OPEN_STATUSES:
        return c.response_due
    return None


def citizen_history(c: Complaint) -> list[ComplaintEvent]:
    """The events the reporter may see, oldest first (who made them is never loaded)."""
    return list(
        c.events.filter(citizen_visible=True)
        .select_related("to_unit")
        .only("kind", "text", "at", "to_unit__name", "complaint_id")
        .order_by("at", "id")
    )


def public_list(*, agency_code: str = "", unit_code: str = "", status: str = "") -> QuerySet[Complaint]:
    """The public list, newest first, filtered by agency, unit and status."""
    qs = public_complaints()
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if status in LISTED_STATUSES:
        qs = qs.filter(status=status)
    return (
        qs.select_related("unit", "agency")
        .only(
            "tracking_code",
            "kind",
            "title",
            "description",
            "public_text",
            "confidentiality",
            "reporter_name",
            "status",
            "created_at",
            "responded_at",
            "unit__name",
            "unit__code",
            "agency__name",
            "agency__code",
        )
        .order_by("-created_at", "-id")
    )


def agencies_with_units() -> QuerySet[Agency]:
    """Agencies that have at least one active service unit (for filters and the dashboards' index)."""
    return (
        Agency.objects.filter(service_units__active=True).distinct().only("code", "name", "short_name").order_by("name")
    )


def units_of(agency: Agency) -> QuerySet[ServiceUnit]:
    return ServiceUnit.objects.filter(agency=agency, active=True).only("code", "name", "agency_id").order_by("name")


def search_units(q: str, limit: int = 10) -> list[ServiceUnit]:
    """Active service units whose name, or whose agency's name, contains every word typed."""
    words = [w for w in q.split() if len(w) >= 2][:5]
    if not words:
        return []
    qs = ServiceUnit.objects.filter(active=True)
    for w in words:
        qs = qs.filter(Q(name__icontains=w) | Q(agency__name__icontains=w) | Q(address__icontains=w))
    return list(qs.select_related("agency").only("code", "name", "address", "agency__name").order_by("name")[:limit])


# --- Dashboards ---------------------------------------------------------------------------------------------


def _period_start(now: datetime.datetime, months: int) -> datetime.datetime:
    local = now.astimezone(WIB)
    year, month = local.year, local.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return datetime.datetime(year, month, 1, tzinfo=WIB)


def _month_labels(start: datetime.datetime, months: int) -> list[datetime.date]:
    out, year, month = [], start.year, start.month
    for _i in range(months):
        out.append(datetime.date(year, month, 1))
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return out


def _judged(now: datetime.datetime) -> tuple[Q, Q]:
    """On time and late, each report against its own stored response deadline (which its class, or field
    inspection, set): answered by it, or answered after it / still unanswered past it."""
    has_due = Q(response_due__isnull=False)
    on_time = has_due & Q(responded_at__isnull=False, responded_at__lte=F("response_due"))
    late = has_due & (Q(responded_at__gt=F("response_due")) | Q(responded_at__isnull=True, response_due__lt=now))
    return on_time, late


def _measures(now: datetime.datetime) -> dict:
    """The counts every dashboard row is made of (one SQL aggregate)."""
    on_time, late = _judged(now)
    is_open = Q(status__in=OPEN_STATUSES)
    overdue = is_open & (
        Q(status=ComplaintStatus.RECEIVED, verify_due__lt=now)
        | (~Q(status=ComplaintStatus.RECEIVED) & Q(response_due__lt=now))
    )
    return {
        "total": Count("id"),
        "responded": Count("id", filter=Q(responded_at__isnull=False)),
        "on_time": Count("id", filter=on_time),
        "late": Count("id", filter=late),
        "open": Count("id", filter=is_open),
        "overdue": Count("id", filter=overdue),
        "confidential": Count("id", filter=Q(confidentiality=Confidentiality.CONFIDENTIAL)),
        "rated": Count("rating"),
        "rating_sum": Sum("rating"),
    }


COUNTS = ("total", "responded", "on_time", "late", "open", "overdue", "confidential", "rated", "rating_sum")


def _finish(row: dict) -> dict:
    judged = row["on_time"] + row["late"]
    row["on_time_rate"] = round(100 * row["on_time"] / judged, 1) if judged else None
    row["rating"] = round(row["rating_sum"] / row["rated"], 2) if row["rated"] else None
    return row


def _middle(rn: str, cnt: str) -> Q:
    """The one or two middle rows of a numbered set (rows (n+1)//2 and n//2+1, counted from 1)."""
    return Q(**{f"{rn}__gte": (F(cnt) + 1) / 2, f"{rn}__lte": F(cnt) / 2 + 1})


def _is_middle(rn: int, n: int) -> bool:
    return (n + 1) // 2 <= rn <= n // 2 + 1


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1)


def _medians(qs: QuerySet, group: str | None) -> tuple[float | None, dict]:
    """Median days from submission to the first response, overall and per group, in one query.

    Windows number the responded reports by duration, overall and within each group; only the middle rows
    come back from the database, so the work in Python does not grow with the number of reports."""
    duration = ExpressionWrapper(F("responded_at") - F("created_at"), output_field=DurationField())
    order = [duration.asc(), F("id").asc()]
    windows = {
        "rn_all": Window(RowNumber(), order_by=order),
        "cnt_all": Window(Count("id")),
    }
    wanted = _middle("rn_all", "cnt_all")
    if group:
        windows["rn_g"] = Window(RowNumber(), partition_by=[F(group)], order_by=order)
        windows["cnt_g"] = Window(Count("id"), partition_by=[F(group)])
        wanted |= _middle("rn_g", "cnt_g")
    fields = ["d", "rn_all", "cnt_all"] + (["rn_g", "cnt_g", group] if group else [])
    rows = qs.filter(responded_at__isnull=False).annotate(d=duration, **windows).filter(wanted).values(*fields)
    overall: list[float] = []
    groups: dict = {}

    for r in rows:
        days = r["d"].total_seconds() / 86400
        if _is_middle(r["rn_all"], r["cnt_all"]):
            overall.append(days)
        if group and _is_middle(r["rn_g"], r["cnt_g"]):
            groups.setdefault(r[group], []).append(days)
    return (_mean(overall) if overall else None), {k: _mean(v) for k, v in groups.items()}


def dashboard(*, agency: Agency | None = None, unit: ServiceUnit | None = None, now=None) -> dict:
    """The public dashboard of all agencies, of one agency (with a row per unit) or of one unit, over the
    last twelve months: volume by month and kind, status, on-time rate (each report against its own
    deadline) overall and per class, median days to the first response, the citizens' rating. Numbers only; reports merged into another are counted once, in the survivor."""
    now = now or timezone.now()
    start = _period_start(now, DASHBOARD_MONTHS)
    base = Complaint.objects.filter(created_at__gte=start).exclude(status=ComplaintStatus.MERGED)
    group = None
    if unit is not None:
        base = base.filter(unit=unit)
    elif agency is not None:
        base = base.filter(agency=agency)
        group = "unit_id"
    else:
        group = "agency_id"
    base = base.order_by()
    measures = _measures(now)

    rows = []
    if group:
        names = ("unit__name", "unit__code") if group == "unit_id" else ("agency__name", "agency__code")
        for r in base.values(group, *names).annotate(**measures).order_by("-total", names[0]):
            rows.append({**r, "name": r[names[0]], "code": r[names[1]]})
        totals = {k: sum(r[k] or 0 for r in rows) for k in COUNTS}
    else:
        totals = base.aggregate(**measures)
        totals = {k: totals[k] or 0 for k in COUNTS}
    totals = _finish(totals)
    totals["median_days"], medians = _medians(base, group)
    for r in rows:
        _finish(r)
        r["median_days"] = medians.get(r[group])

    # One pass for the charts and the classes: month × kind × class × status × rating has at most a few
    # thousand cells, each with its on-time and late counts.
    months = _month_labels(start, DASHBOARD_MONTHS)
    by_month = {m: dict.fromkeys(ComplaintKind.values, 0) for m in months}
    by_status = dict.fromkeys([s for s in ComplaintStatus.values if s != ComplaintStatus.MERGED], 0)
    ratings = dict.fromkeys(range(1, 6), 0)
    classes = {c: dict.fromkeys(("total", "on_time", "late"), 0) for c in [*ComplaintClass.values, ""]}
    on_time, late = _judged(now)
    cells = (
        base.annotate(m=TruncMonth("created_at", tzinfo=WIB))
        .values("m", "kind", "classification", "status", "rating")
        .annotate(n=Count("id"), on_time=Count("id", filter=on_time), late=Count("id", filter=late))
        .values_list("m", "kind", "classification", "status", "rating", "n", "on_time", "late")
    )
    for m, kind, classification, status, rating, n, n_on_time, n_late in cells:
        month = m.astimezone(WIB).date() if isinstance(m, datetime.datetime) else m
        if month in by_month and kind in by_month[month]:
            by_month[month][kind] += n
        if status in by_status:
            by_status[status] += n
        if rating in ratings:
            ratings[rating] += n
        row = classes.get(classification or "")
        if row is not None:
            row["total"] += n
            row["on_time"] += n_on_time
            row["late"] += n_late
    by_kind = {k: sum(by_month[m][k] for m in months) for k in ComplaintKind.values}
    by_class = []
    for value, row in classes.items():
        if value or row["total"]:  # the unclassified row only when some report has no class (yet)
            judged = row["on_time"] + row["late"]
            rate = round(100 * row["on_time"] / judged, 1) if judged else None
            by_class.append({"classification": value, **row, "on_time_rate": rate})

    return {
        "since": start.date(),
        "until": now.astimezone(WIB).date(),
        "totals": totals,
        "months": months,
        "by_month": [(m, [by_month[m][k] for k in ComplaintKind.values]) for m in months],
        "by_kind": by_kind,
        "by_class": by_class,
        "by_status": by_status,
        "ratings": ratings,
        "rows": rows,
        "group": {"unit_id": "unit", "agency_id": "agency"}.get(group or ""),
    }
