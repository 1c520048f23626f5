"""The pages of one's own plans: the list, a new plan, a plan with its periods, the RHK form, and the
workflow steps posted from the plan page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from performance import forms as f
from performance import rules, selectors
from performance.access import access_skp, access_year
from performance.choices import Rating, SkpStatus
from performance.models import Assessment, Feedback, Indicator, PerformanceYear, Rhk, Skp
from performance.services import during, plan, rating
from performance.services.common import actor_employee, is_assessor, supervision_problem
from performance.views.common import _pick_period, _today
from personnel.supervision import employee_snapshot


@login_required
def home(request):
    """The actor's own plans, the years open for a new one, and where their other work is."""
    actor = get_actor(request.user)
    me = actor_employee(actor)
    ctx = {"nav": "performance", "me": me, "skps": [], "open_years": [], "admin_agencies": []}
    if me is not None:
        skps = list(
            Skp.objects.filter(employee=me).select_related("perf_year", "position").order_by("-perf_year__year")
        )
        have = {s.perf_year_id for s in skps}
        ctx["skps"] = skps
        ctx["open_years"] = [
            y
            for y in PerformanceYear.objects.filter(agency_id=me.agency_id, closed_at__isnull=True)
            if y.pk not in have
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
    period_rows = (
        [
            (r, data["realizations"].get((r.pk, period.pk)), data["evidence"].get((r.pk, period.pk), []))
            for r in data["rhks"]
        ]
        if period
        else []
    )
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
    plan.expectation_set(
        actor=actor, skp=skp, behaviour=request.POST.get("behaviour", ""), text=request.POST.get("text", "")
    )
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
        kwargs = {
            "actor": actor,
            "text": d["text"],
            "indicators": form.indicator_rows(),
            "supports": supports,
            "indicator": indicator,
        }
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
