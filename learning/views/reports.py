"""Reports of competency development for the agencies in the actor's scope: JP compliance per employee, unit,
agency and region; who is behind the pace to 20 JP, by month; the competency gap heat map; budget use; and
the effectiveness of programmes and providers. Each has an xlsx export.

Agency HR and auditors see their agency, a regional office the agencies of its provinces, the national
admin every agency. Anyone without a registry scope, and any agency outside it, gets 404."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import get_actor
from core.export import xlsx_response
from learning import rules, selectors
from learning.access import report_agencies, report_agency_ids, report_employees, resolve_agency
from learning.forms_reports import GROUPS, ReportFilterForm
from learning.models import JpEntry
from organization.models import Agency

PAGE = 100  # rows per page of the per-employee lists; the export has them all
CHART_ROWS = 30  # bars in a chart; the table and the export have every row
MONTHS = [
    gettext_lazy("Jan"),
    gettext_lazy("Feb"),
    gettext_lazy("Mar"),
    gettext_lazy("Apr"),
    gettext_lazy("Mei"),
    gettext_lazy("Jun"),
    gettext_lazy("Jul"),
    gettext_lazy("Agu"),
    gettext_lazy("Sep"),
    gettext_lazy("Okt"),
    gettext_lazy("Nov"),
    gettext_lazy("Des"),
]


def today() -> datetime.date:
    return timezone.localdate()


# --- scope ---------------------------------------------------------------------------------------


@dataclass
class Scope:
    """The actor, the agencies they may report on, the one chosen (if any), the year and the grouping (what
    that covers is decided in ``learning.access``)."""

    actor: object
    agencies: list
    agency: Agency | None
    year: int
    group: str | None
    form: ReportFilterForm | None = None
    params: dict = field(default_factory=dict)

    @property
    def agency_ids(self) -> list[int] | None:
        """The agencies reported on; None for every agency (the national admin with none chosen)."""
        return report_agency_ids(self.actor, self.agencies, self.agency)

    @property
    def single(self) -> bool:
        return self.agency is not None

    def employees(self):
        """Active employees of the reported agencies, through the registry's own choke point."""
        return report_employees(self.actor, self.agency_ids)

    def query(self, **extra) -> str:
        return urlencode({k: v for k, v in (self.params | extra).items() if v not in (None, "")})


def default_group(agency: Agency | None, groups) -> str | None:
    """Units within one agency, agencies across several."""
    if not groups:
        return None
    if agency is not None and "unit" in groups:
        return "unit"
    return "agency" if "agency" in groups else groups[0]


def report_scope(request, *, groups=()) -> Scope:
    """Read the year, agency and grouping of a report page from the query string, within the actor's scope."""
    actor = get_actor(request.user)
    agencies = report_agencies(actor)
    agency = resolve_agency(agencies, request.GET.get("instansi"))
    fallback = default_group(agency, groups)
    data = {
        "tahun": request.GET.get("tahun") or today().year,
        "instansi": str(agency.pk) if agency else "",
        "kelompok": request.GET.get("kelompok") or fallback or "",
    }
    form = ReportFilterForm(data, agencies=agencies, groups=groups)
    form.is_valid()
    year = form.cleaned_data.get("tahun") or today().year
    group = (form.cleaned_data.get("kelompok") or fallback) if groups else None
    params = {"tahun": year, "instansi": data["instansi"], "kelompok": group or ""}
    return Scope(actor, agencies, agency, year, group, form, params)


def _number(value):
    """A cell for the export: Decimals as numbers (the export helper writes other objects as text)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def _export(name: str, scope: Scope, headers, rows):
    suffix = f"-{scope.agency.code}" if scope.agency else ""
    return xlsx_response(
        f"{name}-{scope.year}{suffix}", headers, ([_number(v) for v in row] for row in rows), title=name
    )


def _pct(part, whole) -> float | None:
    return None if not whole else round(100 * float(part) / float(whole), 1)


def _ctx(scope: Scope, report: str, **extra) -> dict:
    return {"nav": "learning", "scope": scope, "report": report, "form": scope.form} | extra


# --- index -------------------------------------------------------------------------------------------


@login_required
def index(request):
    """The reports this actor may open, with the year's headline figures."""
    scope = report_scope(request)
    rows = selectors.compliance_by(scope.employees(), scope.year, "agency")
    pns = sum(r["pns"] for r in rows)
    met = sum(r["met"] for r in rows)
    writable = scope.actor.write_agency_ids is None or bool(scope.actor.write_agency_ids)
    return render(
        request,
        "learning/reports/index.html",
        _ctx(scope, "index", pns=pns, met=met, rate=_pct(met, pns), agencies_count=len(rows), writable=writable),
    )


# --- JP compliance -----------------------------------------------------------------------------------

COMPLIANCE_GROUPS = ("unit", "agency", "region", "employee")


@login_required
def compliance(request):
    """PNS reaching 20 JP this year (and PPPK above 24 JP) per unit, agency or region, or per employee."""
    scope = report_scope(request, groups=COMPLIANCE_GROUPS)
    if scope.group == "employee":
        return _compliance_employees(request, scope)
    rows = selectors.compliance_by(scope.employees(), scope.year, scope.group)
    for r in rows:
        r["pct"] = _pct(r["met"], r["pns"])
    if request.GET.get("export") == "xlsx":
        headers = [
            GROUPS[scope.group],
            _("PNS/CPNS"),
            _("Mencapai 20 JP"),
            _("Persentase (%)"),
            _("Rata-rata JP"),
            _("PPPK"),
            _("PPPK > 24 JP"),
        ]
        out = ([r["name"], r["pns"], r["met"], r["pct"], r["mean_jp"], r["pppk"], r["pppk_over"]] for r in rows)
        return _export(f"kepatuhan-jp-{scope.group}", scope, headers, out)
    pns, met = sum(r["pns"] for r in rows), sum(r["met"] for r in rows)
    charted = [r for r in rows if r["pct"] is not None][:CHART_ROWS]
    chart = {
        "labels": [str(r["name"] or "—") for r in charted],
        "label": str(_("% PNS mencapai 20 JP")),
        "values": [r["pct"] for r in charted],
        "suggestedMax": 100,
    }
    return render(
        request,
        "learning/reports/compliance.html",
        _ctx(
            scope,
            "compliance",
            rows=rows,
            group_label=GROUPS[scope.group],
            totals={
                "pns": pns,
                "met": met,
                "pct": _pct(met, pns),
                "pppk": sum(r["pppk"] for r in rows),
                "pppk_over": sum(r["pppk_over"] for r in rows),
            },
            chart=chart,
            horizontal=len(charted) > 8,
        ),
    )


def _employee_jp(scope: Scope):
    jp = selectors.employee_year_jp(scope.year, selectors.year_minutes_per_jp(scope.year))
    return (
        scope.employees()
        .annotate(jp=jp)
        .select_related("agency", "current_unit")
        .order_by("agency__name", "current_unit__name", "name", "pk")
    )


def _employee_row(e) -> dict:
    rule = rules.compliance(e.jp, e.employee_type)
    return {"employee": e, "jp": e.jp, "rule": rule}


def _compliance_employees(request, scope: Scope):
    qs = _employee_jp(scope)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("NIP"),
            _("Nama"),
            _("Jenis pegawai"),
            _("Instansi"),
            _("Unit kerja"),
            _("JP"),
            _("Minimal"),
            _("Batas"),
            _("Kekurangan"),
            _("Status"),
        ]

        def out():
            for e in qs.iterator(chunk_size=2000):
                rule = rules.compliance(e.jp, e.employee_type)
                yield [
                    e.nip,
                    e.full_name,
                    e.get_employee_type_display(),
                    e.agency.name,
                    e.current_unit.name if e.current_unit else "",
                    e.jp,
                    rule.required,
                    rule.limit,
                    rule.shortfall,
                    _status_text(rule),
                ]

        return _export("kepatuhan-jp-pegawai", scope, headers, out())
    page = Paginator(qs, PAGE).get_page(request.GET.get("hal"))
    rows = [_employee_row(e) for e in page.object_list]
    for r in rows:
        r["status"] = _status_text(r["rule"])
    return render(
        request,
        "learning/reports/compliance.html",
        _ctx(scope, "compliance", employee_rows=rows, page=page, group_label=GROUPS["employee"]),
    )


def _status_text(rule: rules.Compliance) -> str:
    if rule.over_limit:
        return str(_("melebihi 24 JP"))
    if rule.required is None:
        return str(_("PPPK (tanpa minimal)"))
    return str(_("memenuhi")) if rule.met else str(_("belum memenuhi"))


# --- at risk, by month -------------------------------------------------------------------------------


def behind_pace_by_month(employees, year: int, upto: int, *, minutes_per_jp: int | None = None) -> list[dict]:
    """For each month up to ``upto``: the PNS/CPNS whose JP booked by the month's end lags the even pace to
    20 JP (what is booked later does not count back). The JP by a month's end is rules.year_jp of the
    minutes booked by then, with the year's JP length."""
    pns = employees.filter(employee_type__in=["pns", "cpns"])
    total = pns.count()
    per_jp = minutes_per_jp or selectors.year_minutes_per_jp(year)
    per: dict[int, list[int]] = defaultdict(lambda: [0] * 13)
    rows = (
        JpEntry.objects.filter(year=year, employee__in=pns.values("pk"))
        .values_list("employee_id", "booked_on__year", "booked_on__month")
        .annotate(s=Sum("minutes"))
        .order_by()
    )
    for emp, y, m, s in rows:
        per[emp][12 if y > year else m] += s
    on_pace = [0] * 13
    for months in per.values():
        cumulative = 0
        for m in range(1, 13):
            cumulative += months[m]
            if not rules.at_risk(rules.year_jp(cumulative, per_jp), Decimal(0), m, "pns"):
                on_pace[m] += 1
    return [
        {
            "month": m,
            "label": str(MONTHS[m - 1]),
            "pace": (rules.PNS_MIN_JP * m / 12).quantize(rules.HUNDREDTH),
            "behind": total - on_pace[m],
            "total": total,
            "pct": _pct(total - on_pace[m], total),
        }
        for m in range(1, upto + 1)
    ]


@login_required
def at_risk(request):
    """PNS behind the pace to 20 JP whose booked seats do not cover the shortfall, and the count by month."""
    scope = report_scope(request)
    day = today()
    employees = scope.employees()
    per_jp = selectors.year_minutes_per_jp(scope.year)
    rows = selectors.at_risk(employees, scope.year, day, minutes_per_jp=per_jp)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("NIP"),
            _("Nama"),
            _("Unit kerja"),
            _("JP tercatat"),
            _("JP terjadwal"),
            _("Kekurangan"),
        ]
        out = (
            [
                r["employee"].nip,
                r["employee"].full_name,
                r["employee"].current_unit.name if r["employee"].current_unit else "",
                r["jp"],
                r["booked"],
                r["short"],
            ]
            for r in rows
        )
        return _export("risiko-jp", scope, headers, out)
    upto = day.month if scope.year == day.year else (12 if scope.year < day.year else 0)
    months = behind_pace_by_month(employees, scope.year, upto, minutes_per_jp=per_jp) if upto else []
    chart = {
        "labels": [m["label"] for m in months],
        "datasets": [
            {"label": str(_("Tertinggal dari laju 20 JP")), "data": [m["behind"] for m in months]},
        ],
    }
    month = day.month if scope.year == day.year else (12 if scope.year < day.year else 1)
    page = Paginator(rows, PAGE).get_page(request.GET.get("hal"))
    return render(
        request,
        "learning/reports/at_risk.html",
        _ctx(
            scope,
            "at_risk",
            page=page,
            count=len(rows),
            months=months,
            chart=chart,
            month_label=MONTHS[month - 1],
            pace=(rules.PNS_MIN_JP * month / 12).quantize(rules.HUNDREDTH),
        ),
    )


# --- gap heat map ------------------------------------------------------------------------------------

HEAT_GROUPS = ("unit", "agency", "region")


def heat_class(value) -> str:
    """The colour of a heat-map cell: green at no gap, through amber, to red at two levels and more."""
    if value is None:
        return "bg-light text-muted"
    if value <= 0:
        return "bg-success-subtle"
    if value < 1:
        return "bg-warning-subtle"
    if value < 2:
        return "bg-warning"
    return "bg-danger text-white"


@login_required
def gaps(request):
    """Mean gap per competency and unit, agency or region (assessed employees only)."""
    scope = report_scope(request, groups=HEAT_GROUPS)
    heat = selectors.gap_heatmap(scope.employees(), scope.group)
    comps = heat["competencies"]
    table = [(name or "—", [heat["cells"].get((g, c)) for c, _code in comps]) for g, name in heat["groups"]]
    if request.GET.get("export") == "xlsx":
        headers = [GROUPS[scope.group]] + [code for _c, code in comps]
        return _export(f"kesenjangan-{scope.group}", scope, headers, ([name, *values] for name, values in table))
    rows = [(name, [(v, heat_class(v)) for v in values]) for name, values in table]
    return render(
        request,
        "learning/reports/gaps.html",
        _ctx(scope, "gaps", competencies=comps, rows=rows, group_label=GROUPS[scope.group]),
    )


# --- budget --------------------------------------------------------------------------------------------


@login_required
def budget(request):
    """The year's training budget per agency: ceiling, committed, spent, left (and unit ceilings of one agency)."""
    scope = report_scope(request)
    rows = selectors.budget_by_agency(scope.agency_ids, scope.year)
    units = selectors.budget_by_unit(scope.agency.pk, scope.year) if scope.single else []
    for r in rows + units:
        r["pct"] = _pct(r["committed"] + r["spent"], r["amount"])
    if request.GET.get("export") == "xlsx":
        headers = [
            _("Instansi / unit"),
            _("Pagu (Rp)"),
            _("Terikat (Rp)"),
            _("Terealisasi (Rp)"),
            _("Sisa (Rp)"),
            _("Terpakai (%)"),
        ]
        out = [[r["agency"], r["amount"], r["committed"], r["spent"], r["available"], r["pct"]] for r in rows]
        out += [[r["unit"], r["amount"], r["committed"], r["spent"], r["available"], r["pct"]] for r in units]
        return _export("anggaran", scope, headers, out)
    charted = rows[:CHART_ROWS]
    chart = {
        "labels": [r["agency"] for r in charted],
        "datasets": [
            {"label": str(_("Terealisasi")), "data": [float(r["spent"]) for r in charted]},
            {"label": str(_("Terikat")), "data": [float(r["committed"]) for r in charted]},
            {
                "label": str(_("Sisa")),
                "data": [float(max(r["available"] or 0, 0)) for r in charted],
                "color": "#ced4da",
            },
        ],
        "stacked": True,
    }
    totals = {
        k: sum((r[k] or Decimal(0) for r in rows), Decimal(0)) for k in ("amount", "committed", "spent", "available")
    }
    return render(
        request,
        "learning/reports/budget.html",
        _ctx(scope, "budget", rows=rows, units=units, chart=chart, totals=totals, horizontal=len(charted) > 8),
    )


# --- effectiveness -------------------------------------------------------------------------------------


def effectiveness_rows(scope: Scope) -> list[dict]:
    """selectors.effectiveness for the scope in one query: every agency together for the national admin or
    one agency, else a row per agency and programme (a regional office's table names the agency on each)."""
    ids = scope.agency_ids
    return selectors.effectiveness(ids, scope.year, per_agency=ids is not None and len(ids) > 1)


@login_required
def effectiveness(request):
    """Per programme and provider: participants, completion, reaction, pre→post gain, behaviour changed."""
    scope = report_scope(request)
    rows = effectiveness_rows(scope)
    by_agency = any("agency" in r for r in rows)
    for r in rows:
        r["completion_pct"] = _pct(r["completion"], 1)
        r["changed_pct"] = None if r["changed"] is None else _pct(r["changed"], 1)
    if request.GET.get("export") == "xlsx":
        headers = ([_("Instansi")] if by_agency else []) + [
            _("Program"),
            _("Penyelenggara"),
            _("Peserta"),
            _("Lulus (%)"),
            _("Reaksi (1–5)"),
            _("Kenaikan nilai pre→post"),
            _("Ditindaklanjuti atasan"),
            _("Perilaku berubah (%)"),
        ]
        out = (
            ([r["agency"]] if by_agency else [])
            + [
                r["program"],
                r["provider"],
                r["participants"],
                r["completion_pct"],
                None if r["reaction"] is None else round(float(r["reaction"]), 2),
                None if r["gain"] is None else round(float(r["gain"]), 2),
                r["followed"],
                r["changed_pct"],
            ]
            for r in rows
        )
        return _export("efektivitas", scope, headers, out)
    charted = rows[:CHART_ROWS]
    chart = {
        "labels": [r["program"] + (f" ({r['agency']})" if by_agency else "") for r in charted],
        "datasets": [
            {"label": str(_("Lulus (%)")), "data": [r["completion_pct"] for r in charted]},
            {"label": str(_("Perilaku berubah (%)")), "data": [r["changed_pct"] for r in charted]},
        ],
        "suggestedMax": 100,
    }
    providers = _by_provider(rows)
    return render(
        request,
        "learning/reports/effectiveness.html",
        _ctx(scope, "effectiveness", rows=rows, by_agency=by_agency, chart=chart, providers=providers),
    )


def _by_provider(rows: list[dict]) -> list[dict]:
    """Participants, completion and follow-up per provider, weighted by the programmes' participants."""
    out: dict[str, dict] = {}
    for r in rows:
        p = out.setdefault(
            r["provider"],
            {
                "provider": r["provider"],
                "programs": 0,
                "participants": 0,
                "completed": 0.0,
                "followed": 0,
                "changed": 0.0,
            },
        )
        p["programs"] += 1
        p["participants"] += r["participants"]
        p["completed"] += r["completion"] * r["participants"]
        p["followed"] += r["followed"]
        if r["changed"] is not None:
            p["changed"] += r["changed"] * r["followed"]
    for p in out.values():
        p["completion_pct"] = _pct(p["completed"], p["participants"])
        p["changed_pct"] = _pct(p["changed"], p["followed"])
    return sorted(out.values(), key=lambda p: p["provider"])
