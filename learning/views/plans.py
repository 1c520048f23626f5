"""The individual development plan pages: the employee builds and submits their plan for a year, the
direct supervisor approves or returns it, HR follows the agency's plans by status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from learning import plan_items, services
from learning.access import access_plan, direct_reports, reads_registry
from learning.choices import PlanStatus
from learning.forms_competency import PlanBuildForm, PlanDecideForm, PlanItemForm
from learning.models import DevelopmentPlan
from learning.views.competency import NAV, PAGE_SIZE, pick_agency, shows_refusal
from personnel.models import Employee


def pick_year(request) -> int:
    wanted = request.GET.get("tahun") or request.POST.get("tahun")
    if not wanted:
        return timezone.localdate().year
    if not wanted.isdigit() or not 2000 <= int(wanted) <= 2100:
        raise Http404
    return int(wanted)


def plan_items_of(plan):
    if plan is None:
        return []
    return list(plan.items.select_related("competency", "program", "coaching_action").order_by("-gap", "pk"))


# --- The employee ------------------------------------------------------------------------------------


@login_required
@shows_refusal
def my_plan(request):
    """The employee's plan for a year: build it from gaps, coaching actions and career goal, add career
    activities, submit it to the direct supervisor."""
    actor = get_actor(request.user)
    employee = (
        Employee.objects.select_related("agency", "current_position").filter(pk=actor.employee_id).first()
        if actor.employee_id
        else None
    )
    if employee is None:
        raise PermissionDenied(_("Rencana pengembangan disusun oleh pegawai yang tercatat di registri kepegawaian."))
    year = pick_year(request)
    plan = DevelopmentPlan.objects.filter(employee=employee, year=year).select_related("supervisor").first()
    here = reverse("learning:plan_mine") + f"?tahun={year}"
    item_form = PlanItemForm(request.POST if request.POST.get("action") == "item" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "build":
                build = PlanBuildForm(request.POST)
                build.is_valid()
                plan = services.plan_build(
                    actor=actor, employee=employee, year=year, career_goal=build.cleaned_data.get("career_goal", "")
                )
                messages.success(request, _("Rencana disusun dari kesenjangan, pembinaan dan sasaran karier."))
                return redirect(here)
            if plan is None:
                raise DomainError(_("Susun rencana tahun ini terlebih dahulu."), code="no_plan")
            if action == "item":
                if item_form.is_valid():
                    plan_items.plan_item_add(
                        actor=actor,
                        plan=plan,
                        activity=item_form.cleaned_data["activity"],
                        planned_jp=item_form.cleaned_data["planned_jp"],
                    )
                    messages.success(request, _("Kegiatan ditambahkan."))
                    return redirect(here)
            elif action == "remove":
                wanted = request.POST.get("item", "")
                item = plan.items.filter(pk=int(wanted)).first() if wanted.isdigit() else None
                if item is None:
                    raise Http404
                plan_items.plan_item_remove(actor=actor, item=item)
                messages.success(request, _("Kegiatan dihapus."))
                return redirect(here)
            elif action == "submit":
                services.plan_submit(actor=actor, plan=plan)
                messages.success(request, _("Rencana diajukan kepada atasan langsung."))
                return redirect(here)
            else:
                raise Http404
        except DomainError as exc:
            if action == "item" and exc.field in item_form.fields:
                apply_to_form(item_form, exc)
            else:
                messages.error(request, exc.message)
                return redirect(here)
    this_year = timezone.localdate().year
    years = sorted(
        set(DevelopmentPlan.objects.filter(employee=employee).values_list("year", flat=True))
        | {this_year, this_year + 1, year}
    )
    items = plan_items_of(plan)
    return render(
        request,
        "learning/plans/mine.html",
        {
            "nav": NAV,
            "employee": employee,
            "year": year,
            "years": years,
            "plan": plan,
            "items": items,
            "planned_jp": sum((i.planned_jp for i in items), 0),
            "editable": plan is None or plan.status in plan_items.EDITABLE,
            "build_form": PlanBuildForm(initial={"career_goal": plan.career_goal if plan else ""}),
            "item_form": item_form,
        },
    )


# --- One plan ----------------------------------------------------------------------------------------


@login_required
@shows_refusal
def plan_detail(request, plan_id: int):
    """A plan with its items; the direct supervisor approves it or returns it with a note."""
    actor = get_actor(request.user)
    plan = access_plan(actor, plan_id)
    deciding = plan.status == PlanStatus.SUBMITTED and actor.employee_id == plan.supervisor_id
    form = PlanDecideForm(request.POST or None)
    if request.method == "POST":
        if actor.employee_id is None or actor.employee_id != plan.supervisor_id:
            raise PermissionDenied(_("Hanya atasan langsung yang memutuskan rencana ini."))
        if form.is_valid():
            try:
                services.plan_decide(
                    actor=actor,
                    plan=plan,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                if exc.field not in form.fields:  # the plan is no longer waiting: the form is gone
                    messages.error(request, exc.message)
                    return redirect("learning:plan_detail", plan_id=plan.pk)
                apply_to_form(form, exc)
            else:
                done = (
                    _("Rencana disetujui.")
                    if form.cleaned_data["decision"] == "approve"
                    else _("Rencana dikembalikan.")
                )
                messages.success(request, done)
                return redirect("learning:plan_team")
    items = plan_items_of(plan)
    return render(
        request,
        "learning/plans/detail.html",
        {
            "nav": NAV,
            "plan": plan,
            "items": items,
            "planned_jp": sum((i.planned_jp for i in items), 0),
            "deciding": deciding,
            "form": form,
        },
    )


# --- The supervisor ----------------------------------------------------------------------------------


@login_required
@shows_refusal
def team_plans(request):
    """The direct reports' plans of a year: those waiting for the supervisor first."""
    actor = get_actor(request.user)
    if actor.employee_id is None or not actor.is_supervisor:
        raise PermissionDenied(_("Halaman ini untuk atasan langsung."))
    year = pick_year(request)
    team = direct_reports(actor)
    plans = {
        p.employee_id: p
        for p in DevelopmentPlan.objects.filter(year=year)
        .filter(Q(employee_id__in=team) | Q(supervisor_id=actor.employee_id))
        .annotate(n=Count("items"), jp=Sum("items__planned_jp"))
    }
    people = Employee.objects.filter(pk__in=set(team) | set(plans)).select_related("current_position").order_by("name")
    order = {PlanStatus.SUBMITTED: 0, PlanStatus.RETURNED: 1, PlanStatus.DRAFT: 2, PlanStatus.APPROVED: 3}
    rows = sorted(
        ({"e": e, "plan": plans.get(e.pk)} for e in people),
        key=lambda r: (order.get(r["plan"].status, 4) if r["plan"] else 5, r["e"].name),
    )
    waiting = [r for r in rows if r["plan"] and r["plan"].status == PlanStatus.SUBMITTED]
    return render(
        request,
        "learning/plans/team.html",
        {"nav": NAV, "year": year, "rows": rows, "waiting": waiting, "me": actor.employee_id},
    )


# --- HR ----------------------------------------------------------------------------------------------


@login_required
@shows_refusal
def agency_plans(request):
    """The agency's plans of a year with the count per status and the employees still without a plan."""
    actor = get_actor(request.user)
    if not reads_registry(actor):
        raise PermissionDenied(_("Rekap rencana pengembangan instansi untuk admin kepegawaian."))
    agency, agencies = pick_agency(request, actor)
    year = pick_year(request)
    ctx = {"nav": NAV, "agency": agency, "agencies": agencies, "year": year}
    if agency is None:
        return render(request, "learning/plans/agency.html", ctx)
    plans = DevelopmentPlan.objects.filter(employee__agency=agency, year=year)
    counts = dict(plans.values_list("status").annotate(n=Count("pk")).order_by())
    without = Employee.objects.filter(agency=agency).active().exclude(development_plans__year=year).count()
    status = request.GET.get("status", "")
    if status and status not in PlanStatus.values:
        raise Http404
    listed = (
        (plans.filter(status=status) if status else plans)
        .select_related("employee", "employee__current_unit", "supervisor")
        .annotate(n=Count("items"), jp=Sum("items__planned_jp"))
        .order_by("employee__name")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx.update(
        status=status,
        page=page,
        counts=[(s, label, counts.get(s, 0)) for s, label in PlanStatus.choices],
        total=sum(counts.values()),
        without=without,
    )
    return render(request, "learning/plans/agency.html", ctx)
