"""Pages of the performance cycle: my plans, a plan, the team, a unit's rating round, the agency dashboard."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.export import export_response
from organization.access import access_agency, access_unit
from organization.models import OrgUnit
from performance import closing, rules, selectors
from performance import forms as f
from performance.access import access_skp, access_year
from performance.choices import OrgPredikat, PlanState, Predikat, Rating, SkpStatus
from performance.models import (
    Assessment,
    CoachingPlan,
    Evidence,
    Feedback,
    Indicator,
    IndicatorPeriod,
    PeerInput,
    PerformanceYear,
    Period,
    Rhk,
    Skp,
)
from performance.services import during, plan, rating, setup
from performance.services.common import actor_employee, is_assessor, leads_unit, supervision_problem
from personnel.supervision import employee_snapshot


def _today():
    return timezone.localdate()


def _current_period(periods, day):
    for p in periods:
        if p.start <= day <= p.end:
            return p
    return periods[-1] if periods and day > periods[-1].end else (periods[0] if periods else None)


def _pick_period(request, periods, day):
    wanted = request.GET.get("periode") or request.POST.get("periode")
    if wanted and wanted.isdigit():
        for p in periods:
            if p.pk == int(wanted):
                return p
        raise Http404
    return _current_period(periods, day)


@login_required
def home(request):
    """The actor's own plans, the years open for a new one, and where their other work is."""
    actor = get_actor(request.user)
    me = actor_employee(actor)
    ctx = {"nav": "performance", "me": me, "skps": [], "open_years": [], "admin_agencies": []}
    if me is not None:
        skps = list(Skp.objects.filter(employee=me).select_related("perf_year", "position").order_by("-perf_year__year"))
        have = {s.perf_year_id for s in skps}
        ctx["skps"] = skps
        ctx["open_years"] = [
            y for y in PerformanceYear.objects.filter(agency_id=me.agency_id, closed_at__isnull=True) if y.pk not in have
        ]
        ctx["supervision_problem"] = supervision_problem(me, _today())
        history = list(
            Assessment.objects.filter(skp__employee=me, status="final")
            .select_related("period", "skp__perf_year")
            .order_by("skp__perf_year__year", "period__number")
        )
        ctx["history"] = history
        order = {p: i for i, p in enumerate(reversed(rules.PREDIKAT_ORDER), start=1)}
        ctx["history_chart"] = {
            "labels": [f"{a.period.label} {a.skp.perf_year.year}" for a in history],
            "label": str(_("Predikat (1 = Sangat Kurang … 5 = Sangat Baik)")),
            "values": [order[a.predikat] for a in history],
        }
    from organization.models import Agency

    if actor.write_agency_ids is None:
        ctx["admin_agencies"] = Agency.objects.order_by("name")[:50]
    elif actor.registry_agency_ids:
        ctx["admin_agencies"] = Agency.objects.filter(pk__in=actor.registry_agency_ids).order_by("name")
    return render(request, "performance/home.html", ctx)


@login_required
@require_POST
def skp_new(request, year_id: int):
    actor = get_actor(request.user)
    me = actor_employee(actor)
    if me is None:
        raise Http404
    perf_year = access_year(actor, year_id)
    try:
        skp = plan.skp_create(actor=actor, employee=me, perf_year=perf_year)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("performance:home")
    return redirect("performance:skp", skp_id=skp.pk)


def _supervisor_rhks(skp: Skp, day):
    """The RHK an employee may support: those of the direct supervisor's plan for the same year."""
    link = employee_snapshot(skp.employee, day).supervisor_of(skp.employee_id)
    if not link.employee_id:
        return [], link
    rhks = list(Rhk.objects.filter(skp__employee_id=link.employee_id, skp__perf_year__year=skp.perf_year.year))
    return rhks, link


@login_required
def skp_detail(request, skp_id: int):
    """A plan: its RHK cascade, status and workflow, and per period evidence, feedback and rating."""
    actor = get_actor(request.user)
    skp = access_skp(actor, skp_id)
    day = _today()
    data = selectors.skp_detail(skp)
    period = _pick_period(request, data["periods"], day)
    owner = actor.employee_id == skp.employee_id
    assessor = is_assessor(actor, skp.employee, day)
    link = employee_snapshot(skp.employee, day).supervisor_of(skp.employee_id)
    problem = supervision_problem(skp.employee, day)
    assessment = data["assessments"].get(period.pk) if period else None
    period_rows = [
        (r, data["realizations"].get((r.pk, period.pk)), data["evidence"].get((r.pk, period.pk), []))
        for r in data["rhks"]
    ] if period else []
    unit = rating.led_unit(skp)
    ctx = {
        "nav": "performance",
        "skp": skp,
        "period": period,
        "owner": owner,
        "assessor": assessor,
        "link": link,
        "supervision_problem": problem,
        "assessment": assessment,
        "led_unit": unit,
        "period_rows": period_rows,
        "ratable": assessor
        and (skp.status == SkpStatus.APPROVED or bool(data["versions"]))
        and not (assessment and assessment.status == "final"),
        "peer": selectors.peer_summary(skp, period) if period else None,
        "may_peer": period is not None and during.may_give_peer_input(actor, skp, day),
        "behaviours": rules.BERAKHLAK,
        "public_voice": selectors.public_voice(skp.unit, period),
        "return_form": f.ReturnForm(),
        "expectation_form": f.ExpectationForm(),
        "feedback_form": f.FeedbackForm(rhks=data["rhks"]),
        "reply_form": f.ReplyForm(),
        "evidence_form": f.EvidenceForm(),
        "realization_form": f.RealizationForm(),
        "peer_form": f.PeerForm(),
        "assessment_form": f.AssessmentForm(
            initial={
                "result_rating": assessment.result_rating if assessment else "",
                "behaviour_rating": assessment.behaviour_rating if assessment else "",
                **{f"note_{k}": v for k, v in (assessment.behaviour_notes if assessment else {}).items()},
            }
        ),
        "Rating": Rating,
        **data,
    }
    return render(request, "performance/skp_detail.html", ctx)


SKP_ACTIONS = {}


def _action(name):
    def deco(fn):
        SKP_ACTIONS[name] = fn
        return fn

    return deco


@_action("submit")
def _submit(request, actor, skp, period):
    plan.skp_submit(actor=actor, skp=skp)
    return _("SKP diajukan ke atasan langsung.")


@_action("approve")
def _approve(request, actor, skp, period):
    plan.skp_approve(actor=actor, skp=skp)
    return _("SKP disetujui.")


@_action("return")
def _return(request, actor, skp, period):
    form = f.ReturnForm(request.POST)
    plan.skp_return(actor=actor, skp=skp, comment=form.data.get("comment", ""))
    return _("SKP dikembalikan kepada pegawai.")


@_action("expectation")
def _expectation(request, actor, skp, period):
    plan.expectation_set(actor=actor, skp=skp, behaviour=request.POST.get("behaviour", ""), text=request.POST.get("text", ""))
    return _("Ekspektasi disimpan.")


def _rhk_of(skp, value):
    if not value:
        return None
    rhk = skp.rhks.filter(pk=value).first() if str(value).isdigit() else None
    if rhk is None:
        raise DomainError(_("RHK bukan bagian dari SKP ini."))
    return rhk


@_action("feedback")
def _feedback(request, actor, skp, period):
    during.feedback_give(
        actor=actor,
        skp=skp,
        rhk=_rhk_of(skp, request.POST.get("rhk")),
        behaviour=request.POST.get("behaviour", ""),
        text=request.POST.get("text", ""),
    )
    return _("Umpan balik dikirim.")


@_action("reply")
def _reply(request, actor, skp, period):
    fb = get_object_or_404(Feedback, skp=skp, pk=request.POST.get("feedback") or 0)
    during.feedback_reply(actor=actor, feedback=fb, reply=request.POST.get("reply", ""))
    return _("Tanggapan disimpan.")


@_action("evidence")
def _evidence(request, actor, skp, period):
    form = f.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
    during.evidence_add(
        actor=actor,
        rhk=_rhk_of(skp, request.POST.get("rhk")),
        period=period,
        url=form.cleaned_data["url"],
        file=form.cleaned_data["file"],
        note=form.cleaned_data["note"],
    )
    return _("Bukti ditambahkan.")


@_action("realization")
def _realization(request, actor, skp, period):
    during.realization_set(
        actor=actor, rhk=_rhk_of(skp, request.POST.get("rhk")), period=period, text=request.POST.get("text", "")
    )
    return _("Realisasi disimpan.")


@_action("peer")
def _peer(request, actor, skp, period):
    form = f.PeerForm(request.POST)
    form.is_valid()
    during.peer_input_submit(actor=actor, skp=skp, period=period, ratings=form.ratings())
    return _("Terima kasih, masukan Anda tercatat tanpa nama.")


@_action("rate")
def _rate(request, actor, skp, period):
    form = f.AssessmentForm(request.POST)
    form.is_valid()
    rating.assessment_save(
        actor=actor,
        skp=skp,
        period=period,
        result_rating=form.cleaned_data.get("result_rating") or None,
        behaviour_rating=form.cleaned_data.get("behaviour_rating", ""),
        behaviour_notes=form.notes(),
    )
    return _("Penilaian disimpan sebagai draf; penetapan akhir dilakukan per unit.")


@login_required
@require_POST
def skp_action(request, skp_id: int, action: str):
    """One workflow step on a plan; refusals come back as a message on the plan page."""
    if action not in SKP_ACTIONS:
        raise Http404
    actor = get_actor(request.user)
    skp = access_skp(actor, skp_id)
    periods = list(skp.perf_year.periods.all())
    period = _pick_period(request, periods, _today())
    try:
        messages.success(request, SKP_ACTIONS[action](request, actor, skp, period))
    except DomainError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Anda tidak berwenang melakukan ini."))
    url = f"/kinerja/skp/{skp.pk}/"
    return redirect(f"{url}?periode={period.pk}" if period else url)


@login_required
def rhk_form(request, skp_id: int, rhk_id: int | None = None):
    """Add or change a work-result plan, linked to the supervisor's RHK (or an IKU for a JPT)."""
    actor = get_actor(request.user)
    skp = access_skp(actor, skp_id)
    if actor.employee_id != skp.employee_id:
        raise Http404
    rhk = get_object_or_404(Rhk, skp=skp, pk=rhk_id) if rhk_id else None
    day = _today()
    sup_rhks, link = _supervisor_rhks(skp, day)
    indicators = (
        list(Indicator.objects.filter(perf_year=skp.perf_year).filter(Q(unit__isnull=True) | Q(unit=skp.unit)))
        if skp.is_jpt
        else []
    )
    initial = {}
    if rhk is not None:
        initial = {"text": rhk.text, "supports": rhk.supports_id or "", "indicator": rhk.indicator_id or ""}
        for n, ind in enumerate(rhk.indicators.all()[: f.INDICATOR_ROWS]):
            initial |= {f"aspect_{n}": ind.aspect, f"ind_text_{n}": ind.text, f"ind_target_{n}": ind.target}
    form = f.RhkForm(
        request.POST or None, initial=initial, supervisor_rhks=sup_rhks, indicators=indicators, is_jpt=skp.is_jpt
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        supports = next((r for r in sup_rhks if str(r.pk) == d.get("supports")), None)
        indicator = next((i for i in indicators if str(i.pk) == d.get("indicator")), None)
        kwargs = {"actor": actor, "text": d["text"], "indicators": form.indicator_rows(), "supports": supports, "indicator": indicator}
        try:
            if rhk is None:
                plan.rhk_add(skp=skp, **kwargs)
            else:
                plan.rhk_update(rhk=rhk, **kwargs)
        except DomainError as exc:
            apply_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rencana hasil kerja disimpan."))
            return redirect("performance:skp", skp_id=skp.pk)
    problem = supervision_problem(skp.employee, day)
    return render(
        request,
        "performance/rhk_form.html",
        {"nav": "performance", "skp": skp, "rhk": rhk, "form": form, "supervision_problem": problem, "link": link},
    )


@login_required
@require_POST
def rhk_delete(request, skp_id: int, rhk_id: int):
    actor = get_actor(request.user)
    skp = access_skp(actor, skp_id)
    rhk = get_object_or_404(Rhk, skp=skp, pk=rhk_id)
    try:
        plan.rhk_delete(actor=actor, rhk=rhk)
        messages.success(request, _("RHK dihapus."))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    return redirect("performance:skp", skp_id=skp.pk)


@login_required
def evidence_file(request, skp_id: int, evidence_id: int):
    """An uploaded evidence file, served only to those who may read the plan (never from /media/)."""
    skp = access_skp(get_actor(request.user), skp_id)
    ev = get_object_or_404(Evidence, rhk__skp=skp, pk=evidence_id, kind="file")
    return FileResponse(ev.file.open("rb"), as_attachment=False, filename=Path(ev.file.name).name)


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    resp = HttpResponse(content, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


@login_required
def skp_pdf(request, skp_id: int):
    from performance.documents import skp_pdf as render_pdf

    skp = access_skp(get_actor(request.user), skp_id)
    return _pdf_response(render_pdf(skp), f"SKP-{skp.perf_year.year}-{skp.employee.nip}.pdf")


@login_required
def evaluation_pdf(request, skp_id: int, period_id: int):
    from performance.documents import evaluation_pdf as render_pdf

    skp = access_skp(get_actor(request.user), skp_id)
    period = get_object_or_404(skp.perf_year.periods, pk=period_id)
    return _pdf_response(render_pdf(skp, period), f"Evaluasi-{period.label}-{skp.perf_year.year}-{skp.employee.nip}.pdf")


@login_required
def peer_input(request):
    """360° input: the colleagues and the supervisor the actor may rate anonymously this period."""
    actor = get_actor(request.user)
    me = actor_employee(actor)
    if me is None:
        raise Http404
    day = _today()
    targets = selectors.peer_targets(me, day)
    given = set(
        PeerInput.objects.filter(rater=me, skp__in=targets).values_list("skp_id", "period_id").distinct()
    )
    rows = []
    for skp in targets:
        period = _current_period(list(skp.perf_year.periods.all()), day)
        rows.append({"skp": skp, "period": period, "done": (skp.pk, period.pk) in given if period else True})
    if request.method == "POST":
        target = next((r for r in rows if str(r["skp"].pk) == request.POST.get("skp")), None)
        if target is None:
            raise Http404
        form = f.PeerForm(request.POST)
        form.is_valid()
        try:
            during.peer_input_submit(actor=actor, skp=target["skp"], period=target["period"], ratings=form.ratings())
            messages.success(request, _("Terima kasih, masukan Anda tercatat tanpa nama."))
        except DomainError as exc:
            messages.error(request, exc.message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect("performance:peer_input")
    return render(request, "performance/peer_input.html", {"nav": "performance", "rows": rows, "form": f.PeerForm()})


@login_required
def team(request):
    """The supervisor's direct subordinates: plan status, the cascade map, ratings per period."""
    actor = get_actor(request.user)
    me = actor_employee(actor)
    if me is None:
        raise Http404
    years = list(PerformanceYear.objects.filter(agency_id=me.agency_id))
    if not years:
        return render(request, "performance/team.html", {"nav": "performance", "members": [], "years": []})
    wanted = request.GET.get("tahun")
    perf_year = next((y for y in years if str(y.pk) == wanted), None) if wanted else years[0]
    if perf_year is None:
        raise Http404
    periods = list(perf_year.periods.all())
    members = selectors.team(me, perf_year)
    own = Skp.objects.filter(employee=me, perf_year=perf_year).first()
    own_rhks = list(selectors.rhk_queryset().filter(skp=own)) if own else []
    labels = {v: str(label) for v, label in Predikat.choices}
    status_labels = {v: str(label) for v, label in SkpStatus.choices}
    rows = []
    for m in members:
        cells = []
        for p in periods:
            a = m.assessments.get(p.pk)
            cells.append((labels[a.predikat], a.status == "final") if a else None)
        rows.append({"m": m, "ratings": cells, "status": status_labels[m.skp.status] if m.skp else None})
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        headers = [_("NIP"), _("Nama"), _("Jabatan"), _("Status SKP")] + [p.label for p in periods]
        data = (
            [
                r["m"].employee.nip,
                r["m"].employee.full_name,
                r["m"].employee.current_position or "",
                r["status"] or _("Belum mulai"),
            ]
            + [cell[0] if cell else "" for cell in r["ratings"]]
            for r in rows
        )
        return export_response(fmt, f"tim-{perf_year.year}", headers, data)
    return render(
        request,
        "performance/team.html",
        {
            "nav": "performance",
            "years": years,
            "perf_year": perf_year,
            "periods": periods,
            "rows": rows,
            "members": members,
            "own": own,
            "cascade": selectors.cascade(own_rhks, members),
            "pending": [m for m in members if m.skp and m.skp.status == SkpStatus.SUBMITTED],
            "led_unit": leads_unit(me.current_position),
        },
    )


@login_required
def unit_round(request, unit_id: int, period_id: int):
    """A unit's rating round: its predikat, the curve against the ratings so far, and finalization."""
    actor = get_actor(request.user)
    unit = access_unit(actor, unit_id)
    day = _today()
    # Colleagues' ratings are for HR, the unit head and the head's superior only.
    if not (
        actor.can_read_agency(unit.agency_id)
        or rating.may_finalize(actor, unit, day)
        or setup.may_set_org_rating(actor, unit, day)
    ):
        raise Http404
    perf_period = get_object_or_404(
        Period.objects.select_related("perf_year"),
        pk=period_id,
        perf_year__agency_id=unit.agency_id,
    )
    org_form = f.OrgRatingForm(request.POST if request.POST.get("action") == "org" else None)
    fin_form = f.FinalizeForm(request.POST if request.POST.get("action") == "finalize" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "org" and org_form.is_valid():
                setup.org_rating_set(actor=actor, unit=unit, period=perf_period, **org_form.cleaned_data)
                messages.success(request, _("Predikat kinerja organisasi ditetapkan."))
                return redirect(request.path)
            if request.POST.get("action") == "finalize" and fin_form.is_valid():
                done = rating.unit_finalize(actor=actor, unit=unit, period=perf_period, **fin_form.cleaned_data)
                messages.success(request, _("%(n)s penilaian ditetapkan final.") % {"n": len(done)})
                return redirect(request.path)
        except DomainError as exc:
            apply_to_form(fin_form if request.POST.get("action") == "finalize" else org_form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    rnd = rating.unit_round(unit, perf_period)
    check = rnd.check
    chart = None
    if check is not None:
        counts = {p: 0 for p in rules.PREDIKAT_ORDER}
        for a in rnd.assessments.values():
            counts[a.predikat] += 1
        maxes, mins = {}, {}
        for line in check.lines:
            if len(line.constraint.predikat) == 1 and line.constraint.binding:
                (maxes if line.constraint.kind == "max" else mins)[line.constraint.predikat[0]] = line.limit
        chart = {
            "suggestedMax": max([*counts.values(), *maxes.values(), *mins.values(), 0]) + 1,
            "labels": [str(Predikat(p).label) for p in rules.PREDIKAT_ORDER],
            "datasets": [
                {"label": str(_("Diberikan")), "order": 2, "data": [counts[p] for p in rules.PREDIKAT_ORDER]},
                {
                    "label": str(_("Batas maksimum kurva")),
                    "type": "line",
                    "order": 1,
                    "showLine": False,
                    "pointStyle": "line",
                    "pointRadius": 18,
                    "borderWidth": 3,
                    "color": "#d1495b",
                    "data": [maxes.get(p) for p in rules.PREDIKAT_ORDER],
                },
                {
                    "label": str(_("Batas minimum kurva")),
                    "type": "line",
                    "order": 1,
                    "showLine": False,
                    "pointStyle": "line",
                    "pointRadius": 18,
                    "borderWidth": 3,
                    "color": "#20bf55",
                    "data": [mins.get(p) for p in rules.PREDIKAT_ORDER],
                },
            ],
        }
    return render(
        request,
        "performance/unit_round.html",
        {
            "nav": "performance",
            "unit": unit,
            "period": perf_period,
            "round": rnd,
            "rows": [(s, rnd.assessments.get(s.pk)) for s in rnd.skps],
            "check": check,
            "lines": [(line, rating.describe_line(line)) for line in check.lines] if check else [],
            "chart": chart,
            "org_form": org_form,
            "fin_form": fin_form,
            "may_set_org": setup.may_set_org_rating(actor, unit, min(perf_period.end, day)),
            "may_finalize": rating.may_finalize(actor, unit, day),
            "can_read_agency": actor.can_read_agency(unit.agency_id),
            "OrgPredikat": OrgPredikat,
            "public_voice": selectors.public_voice(unit, perf_period),
        },
    )


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
    perf_year = (next((y for y in years if str(y.pk) == wanted), None) if wanted else (years[0] if years else None))
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
            "by_unit": [(name, [c.get(s, 0) for s in PlanState.values], sum(c.values())) for name, c in by_unit.items()],
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
            value = get_object_or_404(IndicatorPeriod, pk=request.POST.get("value") or 0, indicator__perf_year__agency=agency)
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

