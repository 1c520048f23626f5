"""Action plans (rencana tindak lanjut): the list with status and overdue marks, a new plan from a weak
unsur of a survey period or from a recurring complaint theme, and progress to completion."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.models import AuditRecord
from organization.models import Agency
from publicservice import action_plans as ap
from publicservice import feedback, rules
from publicservice.access import access_plan, plans_visible_to
from publicservice.forms_survey import ActionPlanForm, DoneForm, ProgressForm
from publicservice.models import ActionPlan

NAV = "publicservice"
STATUS_FILTERS = ("open", "overdue", "done")


@login_required
def action_list(request):
    """The action plans the actor may see (their agencies', and those they own), filtered by agency,
    unit and status; overdue ones are marked."""
    actor = get_actor(request.user)
    today = timezone.localdate()
    qs = plans_visible_to(actor).select_related("unit__agency", "owner", "campaign")
    agency_id, unit_id = request.GET.get("instansi", ""), request.GET.get("unit", "")
    status = request.GET.get("status", "open")
    if agency_id.isdigit():
        qs = qs.filter(unit__agency_id=int(agency_id))
    if unit_id.isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    if status == "open":
        qs = qs.exclude(status=ActionPlan.Status.DONE)
    elif status == "overdue":
        qs = qs.exclude(status=ActionPlan.Status.DONE).filter(due__lt=today)
    elif status == "done":
        qs = qs.filter(status=ActionPlan.Status.DONE)
    page = Paginator(qs.order_by("due", "pk"), 50).get_page(request.GET.get("page"))
    scope = ap.survey_agencies(actor)
    agencies = (
        Agency.objects.order_by("name") if scope is None else Agency.objects.filter(pk__in=scope).order_by("name")
    )
    ctx = {
        "nav": NAV,
        "page": page,
        "today": today,
        "status": status,
        "statuses": STATUS_FILTERS,
        "agencies": list(agencies),
        "agency_id": int(agency_id) if agency_id.isdigit() else None,
        "unit_id": int(unit_id) if unit_id.isdigit() else None,
    }
    return render(request, "publicservice/actions/list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request):
    """A new plan for a unit: from a weak unsur of a survey period (``?periode=``, ``&unsur=``) or from a
    recurring complaint theme (``?unit=``, ``&tema=``)."""
    actor = get_actor(request.user)
    source = request.POST if request.method == "POST" else request.GET
    campaign_id, unit_id = source.get("periode", ""), source.get("unit", "")
    if campaign_id.isdigit():
        campaign = ap.access_campaign(actor, int(campaign_id), for_write=True)
        unit = campaign.unit
    elif unit_id.isdigit():
        campaign, unit = None, ap.access_unit(actor, int(unit_id), for_write=True)
    else:
        raise Http404
    summary = feedback.campaign_summary(campaign) if campaign else None
    weak = summary.weak if summary else []
    start = campaign.starts_on if campaign else timezone.localdate() - datetime.timedelta(days=365)
    end = campaign.ends_on if campaign else None
    themes = feedback.complaint_themes(unit, start, end)
    initial = {
        "unsur": request.GET.get("unsur", "").upper() if campaign else "",
        "theme": request.GET.get("tema", ""),
        "due": timezone.localdate() + datetime.timedelta(days=90),
    }
    form = ActionPlanForm(request.POST or None, initial=initial, agency_id=unit.agency_id, weak=weak)
    if not campaign:
        form.fields["unsur"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = ap.action_plan_create(
                actor=actor,
                unit=unit,
                campaign=campaign,
                unsur=d["unsur"] or "",
                theme=d["theme"],
                title=d["title"],
                owner=form.owner,
                due=d["due"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Rencana tindak lanjut dibuat."))
            return redirect("publicservice:action_detail", plan_id=plan.pk)
    staff = []
    if unit.org_unit_id:
        from personnel.models import Employee

        staff = list(
            Employee.objects.active()
            .filter(agency_id=unit.agency_id, current_unit__path__startswith=unit.org_unit.path)
            .order_by("name")
            .values("nip", "name")[:200]
        )
    ctx = {
        "nav": NAV,
        "form": form,
        "unit": unit,
        "campaign": campaign,
        "summary": summary,
        "themes": themes,
        "staff": staff,
    }
    return render(request, "publicservice/actions/form.html", ctx)


@login_required
def action_detail(request, plan_id: int):
    actor = get_actor(request.user)
    plan = access_plan(actor, plan_id)
    history = AuditRecord.objects.filter(object_type="publicservice.actionplan", object_id=str(plan.pk)).order_by(
        "created_at", "id"
    )
    may_update = (actor.employee_id is not None and plan.owner_id == actor.employee_id) or ap.may_manage(
        actor, plan.unit.agency_id
    )
    ctx = {
        "nav": NAV,
        "plan": plan,
        "unsur_name": dict(rules.UNSUR).get(plan.unsur, ""),
        "history": list(history),
        "overdue": plan.status != ActionPlan.Status.DONE and plan.due < timezone.localdate(),
        "may_update": may_update and plan.status != ActionPlan.Status.DONE,
        "progress_form": ProgressForm(),
        "done_form": DoneForm(),
    }
    return render(request, "publicservice/actions/detail.html", ctx)


@login_required
@require_POST
def action_update(request, plan_id: int, op: str):
    """Report progress (``progress``) or close with the result (``done``)."""
    actor = get_actor(request.user)
    plan = access_plan(actor, plan_id, for_write=True)
    if op not in ("progress", "done"):
        raise Http404
    form = (ProgressForm if op == "progress" else DoneForm)(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        if op == "progress":
            ap.action_plan_progress(actor=actor, plan=plan, note=form.cleaned_data["note"])
            messages.success(request, _("Perkembangan dicatat."))
        else:
            ap.action_plan_done(actor=actor, plan=plan, result=form.cleaned_data["result"])
            messages.success(request, _("Rencana tindak lanjut selesai."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("publicservice:action_detail", plan_id=plan.pk)
