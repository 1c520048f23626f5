"""Who takes part: the event page of HR (seats, waiting list, enrolment with a budget override, cancel,
attendance, completion), the employee's own training and JP ledger with learning done elsewhere, the
supervisor's decisions on requests, and HR's verification of learning done elsewhere."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from learning import forms_catalogue as f
from learning import rules, selectors, services
from learning.access import access_event, external_learning_visible_to, require_hr
from learning.choices import SEATED, EnrollmentStatus, ExternalStatus
from learning.models import Attendance, Enrollment, ExternalLearning, JpEntry, TrainingEvent
from learning.views.catalogue import today, with_seats
from personnel.access import access_employee
from personnel.models import Employee

MAX_GRID_DAYS = 31  # longer events (internships) are attended by their first month's grid
SEARCH_LIMIT = 20
NO_SUPERVISOR = gettext_lazy(
    "Atasan langsung Anda belum tercatat, sehingga permintaan tidak dapat diputuskan. "
    "Hubungi admin kepegawaian untuk didaftarkan langsung."
)
ACTIVE = (EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED, *SEATED)


def _rupiah(amount) -> str:
    return f"{Decimal(amount or 0):,.0f}".replace(",", ".")


# --- HR: events ------------------------------------------------------------------------------------


@login_required
def event_list(request):
    """HR: the events of its agencies, upcoming first, with seats taken and the waiting list."""
    actor = get_actor(request.user)
    require_hr(actor)
    events = TrainingEvent.objects.select_related("program", "agency")
    if actor.write_agency_ids is not None:
        events = events.filter(agency_id__in=actor.write_agency_ids)
    past = request.GET.get("tampil") == "selesai"
    day = today()
    events = events.filter(ends_on__lt=day).order_by("-ends_on") if past else events.filter(ends_on__gte=day)
    page = Paginator(with_seats(events).order_by(*(["-ends_on"] if past else ["starts_on"]), "pk"), 25).get_page(
        request.GET.get("page")
    )
    for e in page:
        e.free = max(0, e.capacity - e.seats_used)
    return render(request, "learning/catalogue/event_list.html", {"nav": "learning", "page": page, "past": past})


def _grid(event, seated, marks):
    span = (event.ends_on - event.starts_on).days + 1
    days = [event.starts_on + datetime.timedelta(days=d) for d in range(min(span, MAX_GRID_DAYS))]
    rows = []
    for e in seated:
        cells = [{"day": d, "present": marks.get((e.pk, d))} for d in days]
        recorded = [c["present"] for c in cells if c["present"] is not None]
        rows.append(
            {
                "e": e,
                "cells": cells,
                "rate": round(100 * sum(recorded) / len(recorded)) if recorded else None,
                "editable": e.status == EnrollmentStatus.ENROLLED and not event.cancelled,
            }
        )
    return days, rows, span > MAX_GRID_DAYS


def _event_page(request, actor, event, *, override=None, errors=None, status=200):
    enrollments = list(event.enrollments.select_related("employee__current_unit", "jp_entry").order_by("pk"))
    seated = sorted((e for e in enrollments if e.status in SEATED), key=lambda e: e.employee.name)
    waiting = sorted(
        (e for e in enrollments if e.status == EnrollmentStatus.WAITLISTED), key=lambda e: (e.waitlisted_at, e.pk)
    )
    requested = [e for e in enrollments if e.status == EnrollmentStatus.REQUESTED]
    closed = [e for e in enrollments if e.status in (EnrollmentStatus.CANCELLED, EnrollmentStatus.REJECTED)]
    marks = {
        (en, d): p
        for en, d, p in Attendance.objects.filter(enrollment__event=event).values_list(
            "enrollment_id", "day", "present"
        )
    }
    days, grid, truncated = _grid(event, seated, marks)
    day = today()
    q = (request.GET.get("cari") or "").strip()
    results = []
    if q and event.ends_on >= day and not event.cancelled:
        taken = {e.employee_id for e in enrollments if e.status in ACTIVE}
        results = [
            (emp, emp.pk in taken)
            for emp in Employee.objects.visible_to(actor)
            .active()
            .filter(agency_id=event.agency_id)
            .search(q)
            .select_related("current_unit")
            .order_by("name")[:SEARCH_LIMIT]
        ]
    used = sum(1 for e in seated)
    ctx = {
        "nav": "learning",
        "event": event,
        "program": event.program,
        "used": used,
        "free": max(0, event.capacity - used),
        "seated": seated,
        "waiting": waiting,
        "requested": requested,
        "closed": closed,
        "days": days,
        "grid": grid,
        "truncated": truncated,
        "q": q,
        "results": results,
        "open": event.ends_on >= day and not event.cancelled,
        "ended": event.ends_on <= day,
        "today": day,
        "budget_year": event.counts_in_year,
        "position": services.budget_position(event.agency_id, event.counts_in_year),
        "override": override,
        "errors": errors or {},
    }
    return render(request, "learning/catalogue/event_detail.html", ctx, status=status)


def _enroll_message(e) -> str:
    name = e.employee.name
    if e.status == EnrollmentStatus.WAITLISTED:
        return _("%(n)s masuk daftar tunggu: kursi sudah penuh.") % {"n": name}
    return _("%(n)s terdaftar; biaya Rp%(c)s terikat pada anggaran.") % {"n": name, "c": _rupiah(e.cost)}


def _participant(event, raw):
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    e = event.enrollments.select_related("employee").filter(pk=pk).first()
    if e is None:
        raise Http404
    return e


@login_required
def event_detail(request, event_id: int):
    """HR: one event — seats, participants, waiting list in order, enrolment, cancel, attendance, completion."""
    actor = get_actor(request.user)
    event = access_event(actor, event_id)
    if request.method != "POST":
        return _event_page(request, actor, event)
    action = request.POST.get("action")
    if action in ("enroll", "override"):
        form = (f.OverrideForm if action == "override" else f.EnrollForm)(request.POST)
        raw = request.POST.get("employee")
        emp = (
            Employee.objects.visible_to(actor).filter(pk=raw, agency_id=event.agency_id).first()
            if raw and raw.isdigit()
            else None
        )
        if emp is None:
            raise Http404
        if not form.is_valid():
            override = {"employee": emp, "form": form, "message": ""}
            return _event_page(request, actor, event, override=override, status=400)
        try:
            e = services.enroll(
                actor=actor, event=event, employee=emp, override_reason=form.cleaned_data.get("reason", "")
            )
        except DomainError as exc:
            if exc.code == "budget" and actor.can_write_agency(event.agency_id):
                override = {
                    "employee": emp,
                    "form": f.OverrideForm(initial={"employee": emp.pk}),
                    "message": exc.message,
                }
                return _event_page(request, actor, event, override=override, status=400)
            messages.error(request, exc.message)
        else:
            messages.success(request, _enroll_message(e))
    elif action == "cancel":
        form = f.CancelForm(request.POST)
        e = _participant(event, request.POST.get("enrollment"))
        if not form.is_valid():
            return _event_page(request, actor, event, errors={("cancel", e.pk): form.errors["reason"]}, status=400)
        first = event.enrollments.filter(status=EnrollmentStatus.WAITLISTED).order_by("waitlisted_at", "pk").first()
        try:
            services.enrollment_cancel(actor=actor, enrollment=e, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pendaftaran %(n)s dibatalkan.") % {"n": e.employee.name})
            if first is not None:
                first = Enrollment.objects.select_related("employee").filter(pk=first.pk).first()
                if first.status == EnrollmentStatus.ENROLLED:
                    messages.info(request, _("%(n)s naik dari daftar tunggu.") % {"n": first.employee.name})
    elif action == "complete":
        form = f.CompleteForm(request.POST)
        e = _participant(event, request.POST.get("enrollment"))
        if not form.is_valid():
            errs = [m for ms in form.errors.values() for m in ms]
            return _event_page(request, actor, event, errors={("complete", e.pk): errs}, status=400)
        d = form.cleaned_data
        try:
            e = services.enrollment_complete(
                actor=actor,
                enrollment=e,
                pre_score=d["pre_score"],
                post_score=d["post_score"],
                completed_on=d["completed_on"],
            )
        except DomainError as exc:
            return _event_page(request, actor, event, errors={("complete", e.pk): [exc.message]}, status=400)
        if e.status == EnrollmentStatus.COMPLETED:
            messages.success(
                request,
                _("%(n)s lulus: %(jp)s JP dibukukan, sertifikat %(c)s.")
                % {"n": e.employee.name, "jp": floatformat(event.program.jp, -2), "c": e.certificate},
            )
        else:
            messages.warning(request, _("%(n)s tidak lulus: tidak ada JP yang dibukukan.") % {"n": e.employee.name})
    else:
        raise Http404
    return redirect("learning:catalogue_event", event_id=event.pk)


@login_required
@require_POST
def attendance(request, event_id: int):
    """HR marks a participant present or absent on a day (one grid cell; htmx swaps the cell)."""
    actor = get_actor(request.user)
    event = access_event(actor, event_id)
    form = f.AttendanceForm(request.POST)
    if not form.is_valid():
        raise Http404
    e = _participant(event, form.cleaned_data["enrollment"])
    day, present = form.cleaned_data["day"], form.cleaned_data["present"]
    error = ""
    try:
        services.attendance_record(actor=actor, enrollment=e, day=day, present=present)
    except DomainError as exc:
        error = exc.message
        present = Attendance.objects.filter(enrollment=e, day=day).values_list("present", flat=True).first()
    if request.htmx:
        cell = {"day": day, "present": present}
        return render(
            request,
            "learning/catalogue/_attendance_cell.html",
            {"event": event, "e": e, "c": cell, "editable": True, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("learning:catalogue_event", event_id=event.pk)


# --- The employee -----------------------------------------------------------------------------------


def _year(request) -> int:
    raw = request.GET.get("tahun") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today().year


def _ledger_context(employee, year: int) -> dict:
    """The ledger of a year: each entry with its own JP as booked, and the year's JP from the year's minutes
    (rules.year_jp, with the JP length in force at the end of the year), which is what the rules judge."""
    entries = list(selectors.ledger(employee.pk, year))
    minutes = sum(x.minutes for x in entries)
    per_jp = selectors.year_minutes_per_jp(year)
    jp = rules.year_jp(minutes, per_jp)
    rule = rules.compliance(jp, employee.employee_type)
    target = rule.limit if rule.limit is not None else rule.required
    years = sorted(
        set(JpEntry.objects.filter(employee=employee).values_list("year", flat=True).distinct()) | {today().year, year},
        reverse=True,
    )
    return {
        "year": year,
        "years": years,
        "entries": entries,
        "minutes": minutes,
        "minutes_per_jp": per_jp,
        "jp": jp,
        "rule": rule,
        "target": target,
        "percent": min(100, int(jp * 100 / target)) if target else 100,
        "pppk": employee.employee_type == "pppk",
    }


def _my_page(request, actor, me, *, external_form=None, status=200):
    day = today()
    enrollments = list(
        Enrollment.objects.filter(employee=me)
        .select_related("event__program", "event__agency")
        .order_by("-event__starts_on", "-pk")
    )
    active_events = {e.event_id for e in enrollments if e.status in ACTIVE}
    open_events = list(
        with_seats(
            TrainingEvent.objects.filter(
                agency_id=me.agency_id, cancelled=False, starts_on__gte=day, program__active=True
            ).exclude(pk__in=active_events)
        )
        .select_related("program")
        .order_by("starts_on", "pk")[:50]
    )
    for ev in open_events:
        ev.free = max(0, ev.capacity - ev.seats_used)
    from personnel.supervision import direct_supervisor

    ctx = {
        # A request waits for the direct supervisor: without one nobody could decide it.
        "no_supervisor": NO_SUPERVISOR if direct_supervisor(me, day).employee_id is None else "",
        "nav": "learning",
        "me": me,
        "own": True,
        "enrollments": enrollments,
        "certificates": [e for e in enrollments if e.certificate],
        "open_events": open_events,
        "externals": ExternalLearning.objects.filter(employee=me).order_by("-created_at"),
        "external_form": external_form or f.ExternalForm(),
        "max_bytes": f.EVIDENCE_MAX_BYTES,
        "accept": f.EVIDENCE_ACCEPT,
        "cancellable": (EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED, EnrollmentStatus.ENROLLED),
        **_ledger_context(me, _year(request)),
    }
    return render(request, "learning/catalogue/my_training.html", ctx, status=status)


def _me(actor) -> Employee:
    me = (
        Employee.objects.select_related("agency").filter(pk=actor.employee_id).first()
        if actor.employee_id is not None
        else None
    )
    if me is None:
        raise Http404
    return me


@login_required
def my_training(request):
    """The employee's training: open events to request, enrolments, certificates, the JP ledger of a year
    and learning done elsewhere."""
    actor = get_actor(request.user)
    return _my_page(request, actor, _me(actor))


@login_required
@require_POST
def request_event(request, event_id: int):
    """The employee asks to join an open event of their agency; the direct supervisor decides."""
    actor = get_actor(request.user)
    me = _me(actor)
    event = TrainingEvent.objects.filter(pk=event_id, agency_id=me.agency_id).first()
    if event is None:
        raise Http404
    from personnel.supervision import direct_supervisor

    if direct_supervisor(me).employee_id is None:
        messages.error(request, NO_SUPERVISOR)
        return redirect("learning:catalogue_mine")
    try:
        services.enrollment_request(actor=actor, event=event, employee=me)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permintaan dikirim ke atasan langsung untuk disetujui."))
    return redirect("learning:catalogue_mine")


@login_required
@require_POST
def my_cancel(request, enrollment_id: int):
    actor = get_actor(request.user)
    me = _me(actor)
    e = Enrollment.objects.filter(pk=enrollment_id, employee=me).first()
    if e is None:
        raise Http404
    try:
        services.enrollment_cancel(actor=actor, enrollment=e, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pendaftaran dibatalkan."))
    return redirect("learning:catalogue_mine")


@login_required
@require_POST
def external_submit(request):
    """The employee reports learning done elsewhere with evidence (checked again here by content and size)."""
    actor = get_actor(request.user)
    me = _me(actor)
    form = f.ExternalForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.external_submit(
                actor=actor,
                employee=me,
                title=d["title"],
                provider=d["provider"],
                modality=d["modality"],
                started_on=d["started_on"],
                ended_on=d["ended_on"],
                minutes=d["minutes"],
                evidence=d["evidence"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Laporan dikirim; JP dihitung setelah diverifikasi admin kepegawaian."))
            return redirect("learning:catalogue_mine")
    return _my_page(request, actor, me, external_form=form, status=400)


@login_required
def employee_training(request, nip: str):
    """Someone else's training and ledger, for those who may read the employee (HR of the agency)."""
    actor = get_actor(request.user)
    employee = access_employee(actor, nip)
    if actor.employee_id == employee.pk:
        return redirect("learning:catalogue_mine")
    if not actor.can_read_agency(employee.agency_id):
        raise PermissionDenied
    enrollments = list(
        Enrollment.objects.filter(employee=employee)
        .select_related("event__program", "event__agency")
        .order_by("-event__starts_on", "-pk")
    )
    ctx = {
        "nav": "learning",
        "me": employee,
        "own": False,
        "enrollments": enrollments,
        "certificates": [e for e in enrollments if e.certificate],
        "externals": ExternalLearning.objects.filter(employee=employee).order_by("-created_at"),
        **_ledger_context(employee, _year(request)),
    }
    return render(request, "learning/catalogue/my_training.html", ctx)


@login_required
def external_evidence(request, item_id: int):
    """The evidence file, for its owner and the HR of the owner's agency only (never from /media/)."""
    actor = get_actor(request.user)
    item = ExternalLearning.objects.select_related("employee").filter(pk=item_id).first()
    if item is None or not (actor.employee_id == item.employee_id or actor.can_write_agency(item.employee.agency_id)):
        raise Http404
    return FileResponse(item.evidence.open("rb"), as_attachment=False, filename=Path(item.evidence.name).name)


# --- The supervisor ----------------------------------------------------------------------------------


def _pending_for(actor, me) -> list[Enrollment]:
    """Requests waiting for the actor as direct supervisor: found under the posts the actor holds, then
    narrowed to those whose direct supervisor is the actor (one snapshot of the agency's tree)."""
    from personnel.supervision import agency_snapshot

    under = Q()
    for path in actor.supervised_paths:
        under |= Q(employee__current_position__path__startswith=path)
    candidates = list(
        Enrollment.objects.filter(under, status=EnrollmentStatus.REQUESTED, employee__agency_id=me.agency_id)
        .select_related("employee__current_unit", "employee__current_position", "event__program", "event__agency")
        .order_by("created_at", "pk")
    )
    if not candidates:
        return []
    snap = agency_snapshot(me.agency_id)
    return [e for e in candidates if snap.supervisor_of(e.employee_id).employee_id == me.pk]


@login_required
def approvals(request):
    """The supervisor: requests of direct reports to join an event — approve, or reject with a reason."""
    actor = get_actor(request.user)
    me = _me(actor)
    if not actor.is_supervisor:
        raise PermissionDenied
    pending = _pending_for(actor, me)
    if request.method == "POST":
        form = f.DecideForm(request.POST)
        if not form.is_valid():
            raise Http404
        e = next((x for x in pending if x.pk == form.cleaned_data["enrollment"]), None)
        if e is None:
            raise Http404
        approve = form.cleaned_data["decision"] == "approve"
        try:
            e = services.enrollment_decide(actor=actor, enrollment=e, approve=approve, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if e.status == EnrollmentStatus.REJECTED:
                messages.success(request, _("Permintaan %(n)s ditolak.") % {"n": e.employee.name})
            else:
                messages.success(request, _enroll_message(e))
        return redirect("learning:catalogue_approvals")
    # The JP the person already has in the year the event would count in (the year it ends).
    years = {rules.ledger_year(e.event.ends_on) for e in pending}
    people = {e.employee_id for e in pending}
    jp = {(emp, year): total for year in years for emp, total in selectors.jp_by_employee(people, year).items()}
    rows = [
        {
            "e": e,
            "year": rules.ledger_year(e.event.ends_on),
            "jp": jp.get((e.employee_id, rules.ledger_year(e.event.ends_on))) or Decimal(0),
        }
        for e in pending
    ]
    return render(request, "learning/catalogue/approvals.html", {"nav": "learning", "rows": rows})


# --- HR: learning done elsewhere ----------------------------------------------------------------------


@login_required
def external_queue(request):
    """HR: learning done elsewhere waiting for verification (evidence, accept, or reject with a reason)."""
    actor = get_actor(request.user)
    require_hr(actor)
    scope = external_learning_visible_to(actor)
    if request.method == "POST":
        form = f.VerifyForm(request.POST)
        if not form.is_valid():
            raise Http404
        item = scope.filter(pk=form.cleaned_data["item"]).first()
        if item is None:
            raise Http404
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.external_verify(actor=actor, item=item, accept=accept, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Laporan diterima; JP dibukukan.") if accept else _("Laporan ditolak."))
        return redirect("learning:catalogue_verify")
    pending = scope.filter(status=ExternalStatus.SUBMITTED).select_related("employee__current_unit", "employee__agency")
    decided = (
        scope.exclude(status=ExternalStatus.SUBMITTED)
        .select_related("employee", "verified_by")
        .order_by("-verified_at", "-pk")[:20]
    )
    return render(
        request,
        "learning/catalogue/external_queue.html",
        {"nav": "learning", "pending": list(pending.order_by("created_at", "pk")[:100]), "decided": decided},
    )
