"""The officers' side of complaints: the agency's queue (filters, clocks on working days, export), the unit's
queue, one report with every action and its attachments (the national list of holidays: ``views.holidays``).

Who sees what is decided in ``publicservice.access``; anything else answers 404, exactly like a report that
does not exist.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, DateTimeField, F, Q, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core import calendar
from core.errors import DomainError, apply_to_form
from core.export import export_response
from organization.models import Agency
from publicservice import forms_officer as f
from publicservice import rules, selectors, services
from publicservice.access import OfficerScope, access_complaint, officer_scope, sees_attachments, sees_identity
from publicservice.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintAttachment,
    ComplaintClass,
    ComplaintStatus,
    Confidentiality,
    ServiceUnit,
)

PAGE = 50
SOON_DAYS = 2  # working days left at which a deadline counts as near
SEARCH_LIMIT = 30
# The default view of a queue: every report that still needs someone (responded ones wait to be closed).
WORK_STATUSES = (*OPEN_STATUSES, ComplaintStatus.RESPONDED)
STRICTNESS = list(Confidentiality.values)
ATTACHMENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


# --- the clock -----------------------------------------------------------------------------------


def with_due(qs):
    """Annotate ``due``: the running deadline (verification while received, response while forwarded or
    in progress), none once the report has been answered or closed — ``selectors.due_of`` in SQL."""
    return qs.annotate(
        due=Case(
            When(status=ComplaintStatus.RECEIVED, then=F("verify_due")),
            When(status__in=(ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS), then=F("response_due")),
            default=None,
            output_field=DateTimeField(),
        )
    )


class Clock:
    """Working days late or left against today (WIB); holidays are loaded once per year seen."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.today = now.astimezone(calendar.WIB).date()
        self._years: set[int] = set()
        self._off: frozenset = frozenset()

    def _need(self, first: int, last: int) -> frozenset:
        wanted = set(range(first, last + 1))
        if not wanted <= self._years:
            self._years |= wanted
            self._off = calendar.holidays(self._years)
        return self._off

    def state(self, due: datetime.datetime | None) -> tuple[str, int] | None:
        """("late", working days late) / ("soon" or "ok", working days left), or None without a deadline."""
        if due is None:
            return None
        day = due.astimezone(calendar.WIB).date()
        if due < self.now:
            off = self._need(day.year, self.today.year)
            return "late", calendar.working_days_between(day, self.today, off)
        off = self._need(self.today.year, day.year)
        left = calendar.working_days_between(self.today, day, off)
        return ("soon" if left <= SOON_DAYS else "ok"), left

    def soon_limit(self) -> datetime.datetime:
        return calendar.due_at(self.now, SOON_DAYS, self._need(self.today.year, self.today.year + 1))


# --- queues --------------------------------------------------------------------------------------


def filter_queue(qs, form: f.QueueFilterForm, clock: Clock):
    """Apply the queue's filters to reports annotated with their deadline."""
    status = form.value("status") or f.OPEN
    if status == f.OPEN:
        qs = qs.filter(status__in=WORK_STATUSES)
    elif status != f.ALL:
        qs = qs.filter(status=status)
    for name, lookup in (
        ("kind", "kind"),
        ("classification", "classification"),
        ("confidentiality", "confidentiality"),
        ("unit", "unit__code"),
    ):
        if form.value(name):
            qs = qs.filter(**{lookup: form.value(name)})
    level = form.value("escalation")
    if level == f.ESCALATED:
        qs = qs.filter(escalation__gte=1)
    elif level:
        qs = qs.filter(escalation=int(level))
    deadline = form.value("deadline")
    if deadline == f.LATE:
        qs = qs.filter(due__lt=clock.now)
    elif deadline == f.SOON:
        qs = qs.filter(due__gte=clock.now, due__lte=clock.soon_limit())
    text = form.value("q").strip()
    if text:
        qs = qs.filter(Q(tracking_code=text.upper()) | Q(title__icontains=text))
    return qs.order_by(F("due").asc(nulls_last=True), "-created_at", "-id")


def _decorate(rows, clock: Clock):
    for c in rows:
        c.clock = clock.state(c.due)
    return rows


def _counts(qs, clock: Clock) -> dict:
    """Reports per status, and how many are late or escalated, in one grouped query."""
    rows = (
        with_due(qs)
        .order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(due__lt=clock.now)),
            escalated=Count("id", filter=Q(escalation__gte=1, status__in=OPEN_STATUSES)),
        )
    )
    by_status = {r["status"]: r for r in rows}
    return {
        "statuses": [(value, label, by_status.get(value, {}).get("n", 0)) for value, label in ComplaintStatus.choices],
        "open": sum(by_status.get(s, {}).get("n", 0) for s in WORK_STATUSES),
        "late": sum(r["late"] for r in by_status.values()),
        "escalated": sum(r["escalated"] for r in by_status.values()),
    }


EXPORT_HEADERS = [
    "kode",
    "judul",
    "jenis",
    "rahasia",
    "kerahasiaan",
    "instansi",
    "unit layanan",
    "status",
    "eskalasi",
    "masuk",
    "tenggat",
    "terlambat (hari kerja)",
    "ditanggapi",
    "ditutup",
    "hasil",
    "klasifikasi",
    "tenggat sementara",
]


def _local(dt: datetime.datetime | None):
    """A datetime as WIB wall time without a zone (spreadsheets have none)."""
    return timezone.localtime(dt).replace(tzinfo=None, microsecond=0) if dt else None


def _export(fmt: str, qs, clock: Clock):
    def rows():
        for c in qs.select_related("unit", "agency").iterator(chunk_size=2000):
            state = clock.state(c.due)
            yield [
                c.tracking_code,
                c.title,
                c.get_kind_display(),
                # Officers only: confidential reports are listed, and marked, so no one publishes them by mistake.
                _("RAHASIA") if c.confidentiality == Confidentiality.CONFIDENTIAL else "",
                c.get_confidentiality_display(),
                c.agency.name,
                c.unit.name,
                c.get_status_display(),
                c.escalation,
                _local(c.created_at),
                c.due.astimezone(calendar.WIB).date() if c.due else None,
                state[1] if state and state[0] == "late" else None,
                _local(c.responded_at),
                _local(c.closed_at),
                c.outcome,
                c.get_classification_display(),
                # The running deadline counts days of a year whose holidays are not confirmed yet.
                _("sementara") if c.due and c.due_provisional else "",
            ]

    return export_response(fmt, f"pengaduan-{clock.today:%Y%m%d}", EXPORT_HEADERS, rows())


def _queue_page(request, scope: OfficerScope, base, *, template: str, agencies=(), units=(), exportable=False):
    clock = Clock(timezone.now())
    form = f.QueueFilterForm(request.GET, agencies=agencies, units=units)
    if form.value("agency"):
        base = base.filter(agency_id=int(form.value("agency")))
    qs = filter_queue(with_due(base), form, clock)
    fmt = request.GET.get("export")
    if exportable and fmt in ("csv", "xlsx"):
        return _export(fmt, qs, clock)
    page = Paginator(qs.select_related("unit", "agency"), PAGE).get_page(request.GET.get("page"))
    _decorate(page.object_list, clock)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    ctx = {
        "nav": "publicservice",
        "form": form,
        "page": page,
        "counts": _counts(base, clock),
        "query": params.urlencode(),
        "handles_any": scope.handles_any,
        "many_agencies": scope.agency_ids is None or len(agencies) > 1,
        "today": clock.today,
        "exportable": exportable,
        "ESCALATED": f.ESCALATED,
        "LATE": f.LATE,
        "SOON": f.SOON,
    }
    return render(request, template, ctx)


@login_required
def officer_queue(request):
    """The reports of the agencies the actor handles, most urgent deadline first."""
    scope = officer_scope(get_actor(request.user))
    if not scope.handles_any:
        raise Http404
    agencies = Agency.objects.order_by("name").only("id", "name")
    if scope.agency_ids is not None:
        agencies = agencies.filter(id__in=scope.agency_ids)
    agencies = list(agencies)
    chosen = request.GET.get("agency", "")
    one = agencies[0].pk if len(agencies) == 1 else next((a.pk for a in agencies if str(a.pk) == chosen), None)
    units = list(ServiceUnit.objects.filter(agency_id=one).only("code", "name")) if one else []
    return _queue_page(
        request,
        scope,
        scope.handled(),
        template="publicservice/officer/queue.html",
        agencies=agencies,
        units=units,
        exportable=True,
    )


@login_required
def officer_unit_queue(request):
    """The reports now with the service units the actor works in, to follow up and respond."""
    scope = officer_scope(get_actor(request.user))
    if not scope.org_unit_ids:
        raise Http404
    # An employee whose unit serves no one sees an empty list (the menu offers it to every employee).
    units = list(ServiceUnit.objects.filter(org_unit_id__in=scope.org_unit_ids).only("code", "name"))
    return _queue_page(request, scope, scope.responded(), template="publicservice/officer/unit_queue.html", units=units)


# --- one report ----------------------------------------------------------------------------------

ACTION_FORMS = {
    "forward": f.ForwardForm,
    "reclassify": f.ReclassifyForm,
    "reject": f.RejectForm,
    "merge": f.MergeForm,
    "progress": f.ProgressForm,
    "respond": f.RespondForm,
    "close": f.CloseForm,
    "redact": f.RedactForm,
    "hide": f.HideForm,
}


def _initial(name: str, c: Complaint) -> dict:
    return {
        "forward": {"to_unit": c.unit.code, "classification": c.classification or rules.default_class(c.kind) or ""},
        "redact": {"public_text": c.public_text or c.description},
        "hide": {"hidden": not c.hidden},
    }.get(name, {})


def _unit_matches(text: str):
    """Active service units whose name contains the text, of any agency (a report may go to another)."""
    return (
        ServiceUnit.objects.filter(active=True, name__icontains=text.strip())
        .select_related("agency")
        .order_by("agency__name", "name")[:SEARCH_LIMIT]
    )


def _complaint_page(request, scope: OfficerScope, c: Complaint, *, bound=None, status: int = 200):
    handler = scope.handles(c)
    bound = bound or {}
    forms = {name: bound.get(name) or cls(initial=_initial(name, c)) for name, cls in ACTION_FORMS.items()}
    st = ComplaintStatus
    can = {
        "forward": handler and c.status in OPEN_STATUSES,
        "reclassify": handler and c.status in (st.FORWARDED, st.IN_PROGRESS),
        "reject": handler and c.status == st.RECEIVED,
        "merge": handler and c.status in OPEN_STATUSES,
        "progress": c.status in (st.FORWARDED, st.IN_PROGRESS),
        "respond": c.status in (st.FORWARDED, st.IN_PROGRESS, st.RESPONDED),
        "close": handler and c.status == st.RESPONDED,
        "moderate": handler,
    }
    ctx = {
        "nav": "publicservice",
        "c": c,
        "handler": handler,
        "handles_any": scope.handles_any,
        "identity": sees_identity(scope, c),
        "anonymous": c.confidentiality == Confidentiality.ANONYMOUS,
        "confidential": c.confidentiality == Confidentiality.CONFIDENTIAL,
        "attachments": list(c.attachments.order_by("pk")) if sees_attachments(scope, c) else None,
        "events": list(c.events.select_related("by", "to_unit")),
        "merged_here": list(c.merged.only("tracking_code", "title")) if handler else [],
        "forms": forms,
        "can": can,
        "refused": next(iter(bound.values()), None),
        "due": selectors.due_of(c),
        "clock": Clock(timezone.now()).state(selectors.due_of(c)),
    }
    if handler and can["forward"]:
        text = request.GET.get("cari_unit", "").strip()
        ctx["unit_search"] = text
        ctx["unit_options"] = (
            list(_unit_matches(text))
            if text
            else list(ServiceUnit.objects.filter(agency_id=c.agency_id, active=True).select_related("agency"))
        )
        if c.unit not in ctx["unit_options"]:
            ctx["unit_options"].insert(0, c.unit)
        ctx["stricter"] = [
            (v, label)
            for v, label in Confidentiality.choices
            if STRICTNESS.index(v) >= STRICTNESS.index(c.confidentiality)
        ]
    if handler and (can["forward"] or can["reclassify"]):
        # What each class would give, counted from this report's clock (or from now, for a first forward).
        start = c.clock_started_at if can["reclassify"] and c.clock_started_at else timezone.now()
        ctx["class_options"] = [(value, label, services.complaint_resolution_days(c, start, value)) for value, label in ComplaintClass.choices]
    if handler and can["merge"]:
        text = request.GET.get("cari_laporan", "").strip()
        candidates = scope.handled().filter(status__in=OPEN_STATUSES).exclude(pk=c.pk)
        if text:
            candidates = candidates.filter(Q(tracking_code__startswith=text.upper()) | Q(title__icontains=text))
        else:
            candidates = candidates.filter(unit_id=c.unit_id)
        ctx["merge_search"] = text
        ctx["merge_candidates"] = list(candidates.select_related("unit").order_by("-created_at")[:10])
    return render(request, "publicservice/officer/complaint.html", ctx, status=status)


@login_required
def officer_complaint(request, code: str):
    """One report for those who handle it or respond to it: text, history, clock and the actions."""
    scope = officer_scope(get_actor(request.user))
    return _complaint_page(request, scope, access_complaint(scope, code))


@login_required
def officer_unit_search(request):
    """Service units by name, as options for the forwarding form (htmx)."""
    scope = officer_scope(get_actor(request.user))
    if not scope.handles_any:
        raise Http404
    text = request.GET.get("cari_unit", "").strip()
    units = list(_unit_matches(text)) if len(text) >= 2 else []
    return render(request, "publicservice/officer/_unit_options.html", {"unit_options": units, "searched": text})


def _act(request, code: str, name: str, run, done: str, *, handler_only: bool = True):
    """Run one action from its form: a refusal re-renders the report with the message (400); success
    goes back to the report, or to the queue when the report has left the actor's reach (re-routed)."""
    actor = get_actor(request.user)
    scope = officer_scope(actor)
    c = access_complaint(scope, code)
    if handler_only and not scope.handles(c):
        raise PermissionDenied(_("Anda tidak menangani laporan ini."))
    form = ACTION_FORMS[name](request.POST)
    if form.is_valid():
        try:
            run(actor, scope, c, form.cleaned_data, form)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, done)
            fresh = scope.complaints().select_related("unit").filter(pk=c.pk).first()
            if fresh is None or not (scope.handles(fresh) or scope.responds(fresh)):
                return redirect(
                    "publicservice:officer_queue" if scope.handles_any else "publicservice:officer_unit_queue"
                )
            return redirect("publicservice:officer_complaint", code=c.tracking_code)
    return _complaint_page(request, scope, access_complaint(scope, code), bound={name: form}, status=400)


def _target_unit(code: str) -> ServiceUnit | None:
    if not code:
        return None
    unit = ServiceUnit.objects.filter(code=code.strip().upper()).first()
    if unit is None:
        raise DomainError(_("Unit tujuan tidak ditemukan."), field="to_unit")
    return unit


def _merge_target(scope: OfficerScope, code: str) -> Complaint:
    """The report to merge into, among those the actor handles; the same answer whether it is missing or
    out of reach."""
    target = scope.handled().filter(tracking_code=(code or "").strip().upper()).first()
    if target is None:
        raise DomainError(_("Laporan dengan kode itu tidak ditemukan."), field="into")
    return target


@login_required
@require_POST
def officer_forward(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_forward(
            actor=actor,
            complaint=c,
            to_unit=_target_unit(d["to_unit"]),
            field_inspection=form.inspection(),
            confidentiality=d["confidentiality"] or None,
            classification=d["classification"] or None,
            note=d["note"],
        )

    return _act(request, code, "forward", run, _("Laporan diteruskan; tenggat tanggapan dihitung ulang."))


@login_required
@require_POST
def officer_reclassify(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_reclassify(actor=actor, complaint=c, classification=d["classification"], reason=d["reason"])

    return _act(
        request, code, "reclassify", run, _("Klasifikasi diubah; tenggat tanggapan dihitung ulang dari awal hitungan.")
    )


@login_required
@require_POST
def officer_reject(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_reject(actor=actor, complaint=c, reason=d["reason"])

    return _act(request, code, "reject", run, _("Laporan ditolak."))


@login_required
@require_POST
def officer_merge(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_merge(actor=actor, complaint=c, into=_merge_target(scope, d["into"]))

    return _act(request, code, "merge", run, _("Laporan digabung."))


@login_required
@require_POST
def officer_progress(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_progress(actor=actor, complaint=c, note=d["note"])

    return _act(request, code, "progress", run, _("Tindak lanjut dicatat."), handler_only=False)


@login_required
@require_POST
def officer_respond(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_respond(actor=actor, complaint=c, text=d["text"])

    return _act(request, code, "respond", run, _("Tanggapan dikirim ke pelapor."), handler_only=False)


@login_required
@require_POST
def officer_close(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_close(actor=actor, complaint=c, outcome=d["outcome"])

    return _act(request, code, "close", run, _("Laporan ditutup."))


@login_required
@require_POST
def officer_redact(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_redact(actor=actor, complaint=c, public_text=d["public_text"])

    return _act(request, code, "redact", run, _("Teks publik disimpan."))


@login_required
@require_POST
def officer_hide(request, code: str):
    def run(actor, scope, c, d, form):
        services.complaint_hide(actor=actor, complaint=c, hidden=d["hidden"], reason=d["reason"])

    return _act(request, code, "hide", run, _("Tampilan publik laporan diubah."))


# --- attachments ---------------------------------------------------------------------------------


def _attachment(scope: OfficerScope, code: str, pk: int) -> tuple[Complaint, ComplaintAttachment]:
    c = access_complaint(scope, code)
    att = c.attachments.filter(pk=pk).first() if sees_attachments(scope, c) else None
    if att is None:
        raise Http404
    return c, att


@login_required
def officer_attachment(request, code: str, pk: int):
    """An attachment for those who may see it; images inline, PDFs as a download, never run as a page."""
    _c, att = _attachment(officer_scope(get_actor(request.user)), code, pk)
    response = FileResponse(
        att.file.open("rb"),
        as_attachment=att.kind == "pdf",
        filename=f"{_c.tracking_code}-{att.pk}.{att.kind}",
        content_type=ATTACHMENT_TYPES.get(att.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_POST
def officer_attachment_publish(request, code: str, pk: int):
    """Let an attachment appear on the public page, or take it off (handlers, after checking it)."""
    actor = get_actor(request.user)
    scope = officer_scope(actor)
    c, att = _attachment(scope, code, pk)
    form = f.AttachmentPublishForm(request.POST)
    form.is_valid()
    public = bool(form.cleaned_data.get("public"))
    services.attachment_publish(actor=actor, attachment=att, public=public)
    messages.success(
        request, _("Lampiran ditampilkan ke publik.") if public else _("Lampiran tidak ditampilkan ke publik.")
    )
    return redirect("publicservice:officer_complaint", code=c.tracking_code)
