"""The agency's performance year: the dashboard with its exports, and the HR admin actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError
from core.export import export_response
from organization.access import access_agency
from organization.models import OrgUnit
from performance import closing, rules, selectors
from performance import forms as f
from performance.access import access_year
from performance.choices import OrgPredikat, PlanState, Predikat
from performance.models import Assessment, CoachingPlan, IndicatorPeriod, PerformanceYear
from performance.services import rating, setup
from performance.views.common import _pick_period, _today


@login_required
def agency_dashboard(request, agency_id: int):
    """An agency's performance year: plan status by unit, overdue supervisors, the predikat curve,
    indicators, follow-up, and the settings for HR admins."""
    actor = get_actor(request.user)
    agency = access_agency(actor, agency_id)
    if not actor.can_read_agency(agency.pk):
        raise Http404
    writer = actor.can_write_agency(agency.pk)
    years = list(PerformanceYear.objects.filter(agency=agency))
    wanted = request.GET.get("tahun")
    perf_year = next((y for y in years if str(y.pk) == wanted), None) if wanted else (years[0] if years else None)
    if wanted and perf_year is None:
        raise Http404
    ctx = {"nav": "performance", "agency": agency, "years": years, "perf_year": perf_year, "writer": writer}
    ctx["settings_form"] = f.SettingsForm(initial=_settings_initial(agency))
    ctx["year_form"] = f.YearForm(initial={"year": _today().year})
    if perf_year is not None:
        states = selectors.plan_states(agency.pk, perf_year)
        units = {u.pk: (u.name, u.path) for u in OrgUnit.objects.filter(agency=agency, depth=0)}
        by_unit = selectors.top_units_of(states, units)
        totals = {s: sum(1 for r in states if r["state"] == s) for s in PlanState.values}
        dist = selectors.predikat_distribution(perf_year)
        coaching = (
            CoachingPlan.objects.filter(assessment__skp__perf_year=perf_year, status="open")
            .select_related("employee", "assessment__period")
            .prefetch_related("actions")
            .order_by("-assessment__period__number", "employee__name")
        )
        fmt = request.GET.get("export")
        table = request.GET.get("tabel", "status")
        if fmt in ("csv", "xlsx") and table != "kurva":
            return _dashboard_export(fmt, table, perf_year, by_unit, dist, coaching, selectors.rewards(perf_year))
        periods = list(perf_year.periods.all())
        curve_period = _pick_period(request, periods, _today())
        curves = closing.curve_report(curve_period) if curve_period else []
        unit_names = dict(OrgUnit.objects.filter(pk__in=[c.unit_id for c in curves]).values_list("pk", "name"))
        curve_rows = [
            {
                "unit_id": c.unit_id,
                "unit": unit_names.get(c.unit_id, "—"),
                "org": OrgPredikat(c.org_predikat).label,
                "size": c.size,
                "counts": [c.counts.get(p, 0) for p in rules.PREDIKAT_ORDER],
                "state": "broken" if c.check.broken else ("ok" if c.check.ok else "pending"),
                "broken": "; ".join(rating.describe_line(line) for line in c.check.broken),
            }
            for c in sorted(curves, key=lambda c: unit_names.get(c.unit_id, ""))
        ]
        if fmt in ("csv", "xlsx") and table == "kurva":
            headers = [_("Unit"), _("Predikat organisasi"), _("Jumlah dinilai")]
            headers += [str(Predikat(p).label) for p in rules.PREDIKAT_ORDER] + [_("Status"), _("Pelanggaran")]
            rows = ([r["unit"], r["org"], r["size"], *r["counts"], r["state"], r["broken"]] for r in curve_rows)
            return export_response(fmt, f"kurva-{curve_period.label}-{perf_year.year}", headers, rows)
        ctx |= {
            "periods": periods,
            "curve_period": curve_period,
            "curve_rows": curve_rows,
            "curve_broken": sum(r["state"] == "broken" for r in curve_rows),
            "by_unit": [
                (name, [c.get(s, 0) for s in PlanState.values], sum(c.values())) for name, c in by_unit.items()
            ],
            "states": PlanState.choices,
            "totals": totals,
            "status_chart": {
                "labels": [str(label) for _v, label in PlanState.choices],
                "values": [totals[s] for s in PlanState.values],
            },
            "dist": [(str(Predikat(p).label), n) for p, n in dist.items()],
            "dist_chart": {
                "labels": [str(Predikat(p).label) for p in rules.PREDIKAT_ORDER],
                "datasets": [{"label": str(_("Predikat tahunan")), "data": list(dist.values())}],
            },
            "yoy": selectors.year_over_year(agency.pk),
            "overdue": selectors.overdue_supervisors(perf_year),
            "indicators": selectors.indicators_of(perf_year),
            "rewards": selectors.rewards(perf_year)[:LIST_LIMIT],
            "rewards_count": selectors.rewards(perf_year).count(),
            "coaching": coaching[:LIST_LIMIT],
            "coaching_count": coaching.count(),
            "indicator_form": f.IndicatorForm(units=OrgUnit.objects.filter(agency=agency).order_by("path")),
            "top_units": OrgUnit.objects.filter(agency=agency, depth__lte=1).order_by("path"),
            "predikat_order": [str(Predikat(p).label) for p in rules.PREDIKAT_ORDER],
        }
        ctx["yoy_chart"] = {
            "labels": [str(r["year"]) for r in ctx["yoy"]],
            "datasets": [
                {"label": str(Predikat(p).label), "data": [r[p] for r in ctx["yoy"]]} for p in rules.PREDIKAT_ORDER
            ],
            "stacked": True,
        }
    return render(request, "performance/agency_dashboard.html", ctx)


LIST_LIMIT = 50  # rows of follow-up lists on the dashboard; the export has them all


def _settings_initial(agency):
    s = setup.settings_for(agency)
    return {"frequency": s.frequency, "curve_policy": s.curve_policy, "rounding": s.rounding}


def _dashboard_export(fmt, table, perf_year, by_unit, dist, coaching, rewards):
    if table == "pembinaan":
        headers = [_("NIP"), _("Nama"), _("Periode"), _("Predikat"), _("Tindakan")]
        rows = (
            [
                cp.employee.nip,
                cp.employee.full_name,
                cp.assessment.period.label,
                cp.assessment.get_predikat_display(),
                "; ".join(f"{a.action} ({a.owner}, {a.due:%d-%m-%Y})" for a in cp.actions.all()),
            ]
            for cp in coaching
        )
    elif table == "penghargaan":
        headers = [_("NIP"), _("Nama"), _("Jabatan"), _("Unit")]
        rows = ([a.skp.employee.nip, a.skp.employee.full_name, a.skp.position.title, a.skp.unit.name] for a in rewards)
    elif table == "predikat":
        headers = [_("Predikat"), _("Jumlah")]
        rows = ([str(Predikat(p).label), n] for p, n in dist.items())
    else:
        headers = [_("Unit")] + [str(label) for _v, label in PlanState.choices] + [_("Jumlah")]
        rows = ([name] + [c.get(s, 0) for s in PlanState.values] + [sum(c.values())] for name, c in by_unit.items())
    return export_response(fmt, f"kinerja-{table}-{perf_year.year}", headers, rows)


@login_required
@require_POST
def agency_action(request, agency_id: int, action: str):
    """HR admin actions on the agency's performance settings, years and indicators."""
    actor = get_actor(request.user)
    agency = access_agency(actor, agency_id)
    url = f"/kinerja/instansi/{agency.pk}/"
    try:
        if action == "settings":
            form = f.SettingsForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Periksa isian pengaturan."))
            setup.settings_update(actor=actor, agency=agency, **form.cleaned_data)
            messages.success(request, _("Pengaturan kinerja disimpan."))
        elif action == "year":
            form = f.YearForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Isi tahun yang sah."))
            py = setup.year_open(actor=actor, agency=agency, year=form.cleaned_data["year"])
            messages.success(request, _("Tahun kinerja %(y)s dibuka.") % {"y": py.year})
            url += f"?tahun={py.pk}"
        elif action == "indicator":
            perf_year = access_year(actor, int(request.POST.get("perf_year") or 0), for_write=True)
            units = OrgUnit.objects.filter(agency=agency)
            form = f.IndicatorForm(request.POST, units=units)
            if not form.is_valid():
                raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
            d = form.cleaned_data
            setup.indicator_create(
                actor=actor,
                perf_year=perf_year,
                unit=units.filter(pk=d["unit"]).first() if d["unit"] else None,
                code=d["code"],
                name=d["name"],
                measure=d["measure"],
                annual_target=d["annual_target"],
            )
            messages.success(request, _("IKU ditambahkan."))
            url += f"?tahun={perf_year.pk}"
        elif action == "realize":
            value = get_object_or_404(
                IndicatorPeriod, pk=request.POST.get("value") or 0, indicator__perf_year__agency=agency
            )
            form = f.RealizeForm(request.POST)
            if not form.is_valid():
                raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
            setup.indicator_realize(actor=actor, value=value, **form.cleaned_data)
            messages.success(request, _("Realisasi IKU disimpan."))
            url += f"?tahun={value.indicator.perf_year_id}"
        elif action == "close":
            perf_year = access_year(actor, int(request.POST.get("perf_year") or 0), for_write=True)
            rating.year_close(actor=actor, perf_year=perf_year)
            messages.success(request, _("Tahun kinerja ditutup."))
            url += f"?tahun={perf_year.pk}"
        elif action == "reopen":
            a = get_object_or_404(Assessment.objects.visible_to(actor), pk=request.POST.get("assessment") or 0)
            rating.assessment_reopen(actor=actor, assessment=a, reason=request.POST.get("reason", ""))
            messages.success(request, _("Penilaian dibuka kembali."))
            return redirect("performance:skp", skp_id=a.skp_id)
        elif action == "coaching":
            cp = get_object_or_404(CoachingPlan, pk=request.POST.get("plan") or 0, employee__agency=agency)
            form = f.CoachingActionForm(request.POST)
            if not form.is_valid():
                raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
            rating.coaching_action_add(actor=actor, plan=cp, **form.cleaned_data)
            messages.success(request, _("Tindakan pembinaan ditambahkan."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Anda tidak berwenang melakukan ini."))
    return redirect(url)
