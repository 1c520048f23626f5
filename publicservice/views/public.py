"""The citizen's pages, without an account: file a report, keep its tracking code and reply key, follow it,
reply, rate and reopen; and the public list of reports and the dashboards.

Confidential reports never appear in the list, a dashboard or its JSON (they are only counted). The reporter's
name appears on one public page only, the list, and only for reports filed as public, as the reporter chose;
the contact never appears anywhere public."""

import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.errors import DomainError, apply_to_form
from core.params import rule_param
from organization.models import Agency
from publicservice import antispam, rules, selectors, services
from publicservice.forms_public import (
    ComplaintForm,
    KeyForm,
    ListFilterForm,
    RateForm,
    ReopenForm,
    ReplyForm,
    TrackForm,
)
from publicservice.models import ComplaintClass, ComplaintEvent, ComplaintKind, ComplaintStatus, ServiceUnit

PURPOSE = "complaint"
SESSION_KEYS = "publicservice:keys"  # {tracking code: reply key} for reports this browser filed or unlocked
SESSION_RECEIPT = "publicservice:receipt"  # the one showing of a new report's key
SESSION_LAST = "publicservice:last"
KEYS_KEPT = 5
PAGE_SIZE = 20
DASHBOARD_SECONDS = 300  # dashboards are numbers over twelve months: five minutes old is fresh enough
MISSES_ALLOWED = 30  # unknown codes or wrong keys per address and window, so codes cannot be enumerated
MISS_WINDOW = 10 * 60


def _private(response):
    """Pages that carry a report's code or key: never cached, never indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many_misses(request, count: bool) -> bool:
    key = "publicservice:misses:" + antispam.client_address(request)
    if count:
        return antispam.hit(key, MISS_WINDOW) > MISSES_ALLOWED
    return (cache.get(key) or 0) > MISSES_ALLOWED


def _limited(request, template: str, ctx: dict):
    ctx = {**ctx, "limited": True, "minutes": MISS_WINDOW // 60}
    resp = render(request, template, ctx, status=429)
    resp["Retry-After"] = str(MISS_WINDOW)
    return _private(resp)


def _keep_key(request, code: str, key: str) -> None:
    keys = dict(request.session.get(SESSION_KEYS, {}))
    keys.pop(code, None)
    keys[code] = key
    request.session[SESSION_KEYS] = dict(list(keys.items())[-KEYS_KEPT:])


def _forget_key(request, code: str) -> None:
    keys = dict(request.session.get(SESSION_KEYS, {}))
    if keys.pop(code, None) is not None:
        request.session[SESSION_KEYS] = keys


# --- Intake ---------------------------------------------------------------------------------------------------


def home(request):
    """The front door of public service: report, follow a report, the public list and the dashboards."""
    return render(request, "publicservice/public/home.html", {"track_form": TrackForm(), "nav": "publicservice"})


def report(request):
    """The report form: no account, spam defences instead of a captcha, the key shown once afterwards."""
    status, refusal = 200, None
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES)
        try:
            antispam.verify(request, PURPOSE)
        except antispam.Refused as exc:
            status, refusal = exc.status, exc
            form.is_valid()  # show the typed values back with their own messages too
        else:
            if form.is_valid():
                try:
                    complaint, key = services.complaint_submit(**form.submission())
                except DomainError as exc:
                    apply_to_form(form, exc)
                else:
                    request.session[SESSION_RECEIPT] = {"code": complaint.tracking_code, "key": key}
                    _keep_key(request, complaint.tracking_code, key)
                    return redirect("publicservice:receipt")
            status = 400
    else:
        initial = {}
        unit_code = (request.GET.get("unit") or "").strip().upper()
        if unit_code:
            initial["unit"] = unit_code
        form = ComplaintForm(initial=initial)
    chosen = None
    unit_code = (form["unit"].value() or "").strip().upper()
    if unit_code:
        chosen = ServiceUnit.objects.filter(code=unit_code, active=True).select_related("agency").first()
    ctx = {
        "form": form,
        "chosen_unit": chosen,
        "refusal": refusal,
        "antispam": antispam.issue_challenge(request, PURPOSE),
        "max_bytes": services.MAX_ATTACHMENT_BYTES,
        "max_files": services.MAX_ATTACHMENTS,
        "nav": "publicservice",
    }
    resp = render(request, "publicservice/public/report.html", ctx, status=status)
    if refusal is not None and refusal.retry_after:
        resp["Retry-After"] = str(refusal.retry_after)
    return _private(antispam.remember_device(request, resp))


@require_GET
def receipt(request):
    """The tracking code and reply key of the report just filed; the key is shown this once only."""
    fresh = request.session.pop(SESSION_RECEIPT, None)
    if fresh:
        request.session[SESSION_LAST] = fresh["code"]
        code, key = fresh["code"], fresh["key"]
    else:
        code, key = request.session.get(SESSION_LAST), None
        if not code:
            return redirect("publicservice:report")
    complaint = selectors.complaint_by_code(code)
    if complaint is None:
        raise Http404
    ctx = {"c": complaint, "key": key, "nav": "publicservice"}
    return _private(render(request, "publicservice/public/receipt.html", ctx))


@require_GET
def unit_search(request):
    """Typeahead of service units (htmx): name, agency or address, every word typed."""
    q = (request.GET.get("q") or "")[:100]
    ctx = {"units": selectors.search_units(q), "q": q, "searched": len(q.strip()) >= 2}
    return render(request, "publicservice/public/_unit_results.html", ctx)


# --- Following a report ---------------------------------------------------------------------------------------


@require_GET
def track(request):
    """Type a tracking code to open its status page."""
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("publicservice:status", code=form.cleaned_data["code"])
    return _private(render(request, "publicservice/public/track.html", {"form": form, "nav": "publicservice"}))


def _holder(request, complaint) -> bool:
    """Whether this browser holds the report's reply key (a key that stopped matching is forgotten)."""
    key = request.session.get(SESSION_KEYS, {}).get(complaint.tracking_code)
    if not key:
        return False
    try:
        services.citizen_complaint(complaint.tracking_code, key)
    except DomainError:
        _forget_key(request, complaint.tracking_code)
        return False
    return True


def _reopen_until(complaint) -> datetime.datetime | None:
    if complaint.status != ComplaintStatus.CLOSED or complaint.closed_at is None:
        return None
    now = timezone.now()
    days = int(rule_param("publicservice.reopen_days", on=now.date(), default=rules.REOPEN_WINDOW_DAYS))
    until = complaint.closed_at + datetime.timedelta(days=days)
    return until if now <= until else None


def _act(request, complaint) -> None:
    """Run one of the reporter's actions from the status page; messages say how it went."""
    action = request.POST.get("action", "")
    code = complaint.tracking_code
    if action == "forget":
        _forget_key(request, code)
        messages.info(request, _("Kunci balasan dihapus dari peramban ini."))
        return
    # The key comes from the unlock form (or any form that carries it), else from this browser's session.
    key = (request.POST.get("key") or request.session.get(SESSION_KEYS, {}).get(code, "")).strip()
    if not key:
        messages.error(request, _("Masukkan kunci balasan yang Anda terima saat melapor."))
        return
    forms = {"reply": ReplyForm, "rate": RateForm, "reopen": ReopenForm}
    try:
        services.citizen_complaint(code, key)
    except DomainError as exc:
        _too_many_misses(request, count=True)
        _forget_key(request, code)
        messages.error(request, exc.message)
        return
    _keep_key(request, code, key)
    if action == "unlock":
        messages.success(
            request, _("Kunci balasan cocok. Anda dapat membalas, menilai, atau membuka kembali laporan ini.")
        )
        return
    if action not in forms:
        return
    form = forms[action](request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return
    d = form.cleaned_data
    try:
        if action == "reply":
            services.complaint_reply(code=code, key=key, text=d["text"])
            messages.success(request, _("Balasan Anda terkirim."))
        elif action == "rate":
            services.complaint_rate(code=code, key=key, rating=d["rating"], comment=d["comment"])
            messages.success(request, _("Terima kasih atas penilaian Anda."))
        else:
            services.complaint_reopen(code=code, key=key, reason=d["reason"])
            messages.success(request, _("Laporan dibuka kembali dan akan ditindaklanjuti lagi."))
    except DomainError as exc:
        messages.error(request, exc.message)


def status(request, code: str):
    """A report's status by its tracking code. Without the reply key the page shows what the public may
    see of it (for a confidential or hidden report: the status and dates only); with the key, everything
    the reporter may see, and the reply, rating and reopening forms."""
    template = "publicservice/public/status.html"
    if _too_many_misses(request, count=False):
        return _limited(request, template, {"code": code})
    complaint = selectors.complaint_by_code(code)
    if complaint is None:
        if _too_many_misses(request, count=True):
            return _limited(request, template, {"code": code})
        resp = render(
            request, template, {"code": code, "missing": True, "form": TrackForm(initial={"code": code})}, status=404
        )
        return _private(resp)
    if code != complaint.tracking_code:
        return redirect("publicservice:status", code=complaint.tracking_code)
    if request.method == "POST":
        _act(request, complaint)
        if _too_many_misses(request, count=False):
            return _limited(request, template, {"code": code})
        return redirect("publicservice:status", code=complaint.tracking_code)

    holder = _holder(request, complaint)
    public = selectors.is_public(complaint)
    show_text = holder or public
    events = selectors.citizen_history(complaint)
    history = [
        {
            "event": e,
            "text": e.text if (holder or (public and e.kind not in selectors.CITIZEN_EVENTS)) else "",
        }
        for e in events
    ]
    responses = [h for h in history if h["event"].kind == ComplaintEvent.Kind.RESPONSE]
    due = selectors.due_of(complaint)
    now = timezone.now()
    attachments = [
        a
        for a in complaint.attachments.only("id", "kind", "size", "public", "complaint_id").order_by("id")
        if holder or (public and a.public)
    ]
    ctx = {
        "c": complaint,
        "holder": holder,
        "public": public,
        "show_text": show_text,
        "text": (complaint.description if holder else selectors.public_text(complaint)) if show_text else "",
        "history": history,
        "responses": responses,
        "due": due,
        "overdue": bool(due and due < now),
        "attachments": attachments,
        "can_reply": holder
        and complaint.status not in (ComplaintStatus.REJECTED, ComplaintStatus.MERGED, ComplaintStatus.CLOSED),
        "can_rate": holder and complaint.status in (ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED),
        "reopen_until": _reopen_until(complaint) if holder else None,
        "key_form": KeyForm(),
        "reply_form": ReplyForm(),
        "rate_form": RateForm(initial={"rating": complaint.rating}),
        "reopen_form": ReopenForm(),
        "nav": "publicservice",
    }
    return _private(render(request, template, ctx))


@require_GET
def attachment(request, code: str, attachment_id: int):
    """One attachment: for the key's holder, or for the public when an officer has published it."""
    complaint = selectors.complaint_by_code(code)
    if complaint is None:
        raise Http404
    att = get_object_or_404(complaint.attachments, pk=attachment_id)
    if not (_holder(request, complaint) or (att.public and selectors.is_public(complaint))):
        raise Http404
    types = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
    resp = FileResponse(
        att.file.open("rb"),
        content_type=types.get(att.kind, "application/octet-stream"),
        as_attachment=att.kind == "pdf",
        filename=f"{complaint.tracking_code}-{att.pk}.{att.kind}",
    )
    resp["X-Content-Type-Options"] = "nosniff"
    return _private(resp)


# --- The public list and dashboards ----------------------------------------------------------------------------


@require_GET
def public_list(request):
    """Public and anonymous reports past verification, newest first, filtered and paginated."""
    f = ListFilterForm(request.GET or None)
    filters = f.cleaned_data if f.is_valid() else {}
    agency_code = filters.get("instansi", "")
    unit_code = (filters.get("unit") or "").upper()
    qs = selectors.public_list(agency_code=agency_code, unit_code=unit_code, status=filters.get("status", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    agencies = list(selectors.agencies_with_units())
    agency = next((a for a in agencies if a.code == agency_code), None)
    units = list(selectors.units_of(agency)) if agency else []
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "rows": [(c, selectors.public_text(c)) for c in page.object_list],
        "filter": f,
        "agencies": agencies,
        "agency": agency,
        "units": units,
        "unit_code": unit_code,
        "status": filters.get("status", ""),
        "query": query.urlencode(),
        "nav": "publicservice",
    }
    return render(request, "publicservice/public/list.html", ctx)


def _dashboard_data(agency=None, unit=None) -> dict:
    key = f"publicservice:dashboard:{'u' + unit.code if unit else ('a' + agency.code if agency else 'all')}"
    return cache.get_or_set(key, lambda: selectors.dashboard(agency=agency, unit=unit), DASHBOARD_SECONDS)


def _as_json(data: dict, **scope) -> JsonResponse:
    t = data["totals"]
    body = {
        **scope,
        "since": data["since"].isoformat(),
        "until": data["until"].isoformat(),
        "totals": {
            k: t[k] for k in ("total", "responded", "on_time", "late", "open", "overdue", "confidential", "rated")
        }
        | {"on_time_rate": t["on_time_rate"], "rating": t["rating"], "median_days_to_first_response": t["median_days"]},
        "by_month": [
            {"month": m.strftime("%Y-%m"), "by_kind": dict(zip(data["by_kind"], ns, strict=True))}
            for m, ns in data["by_month"]
        ],
        "by_kind": data["by_kind"],
        "by_class": [
            {k: r[k] for k in ("classification", "total", "on_time", "late", "on_time_rate")} for r in data["by_class"]
        ],
        "by_status": data["by_status"],
        "ratings": {str(k): v for k, v in data["ratings"].items()},
        data["group"] or "rows": [
            {
                "code": r["code"],
                "name": r["name"],
                "total": r["total"],
                "on_time_rate": r["on_time_rate"],
                "median_days_to_first_response": r["median_days"],
                "rating": r["rating"],
                "rated": r["rated"],
            }
            for r in data["rows"]
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _charts(data: dict) -> dict:
    kinds = dict(ComplaintKind.choices)
    statuses = dict(ComplaintStatus.choices)
    month_labels = [m.strftime("%m/%Y") for m, _ns in data["by_month"]]
    return {
        "months": {
            "labels": month_labels,
            "stacked": True,
            "datasets": [
                {"label": str(kinds[k]), "data": [ns[i] for _m, ns in data["by_month"]]}
                for i, k in enumerate(data["by_kind"])
            ],
        },
        "kinds": {
            "labels": [str(kinds[k]) for k in data["by_kind"]],
            "label": _("Laporan"),
            "values": list(data["by_kind"].values()),
        },
        "statuses": {
            "labels": [str(statuses[s]) for s in data["by_status"]],
            "label": _("Laporan"),
            "values": list(data["by_status"].values()),
        },
        "ratings": {
            "labels": [f"{k} ★" for k in data["ratings"]],
            "label": _("Penilaian"),
            "values": list(data["ratings"].values()),
        },
    }


def _render_dashboard(request, data: dict, **ctx):
    kinds = dict(ComplaintKind.choices)
    classes = dict(ComplaintClass.choices)
    ctx = {
        **ctx,
        "class_rows": [
            {**r, "label": classes.get(r["classification"]) or _("Belum diklasifikasi")} for r in data["by_class"]
        ],
        "d": data,
        "t": data["totals"],
        "charts": _charts(data),
        "kind_rows": [(kinds[k], n) for k, n in data["by_kind"].items()],
        "nav": "publicservice",
    }
    return render(request, "publicservice/public/dashboard.html", ctx)


@require_GET
def dashboard(request):
    """All agencies: the national numbers and a row per agency."""
    data = _dashboard_data()
    if request.GET.get("format") == "json":
        return _as_json(data, scope="all")
    url = reverse("publicservice:dashboard") + "?format=json"
    return _render_dashboard(request, data, agencies=selectors.agencies_with_units(), json_url=url)


@require_GET
def dashboard_agency(request, code: str):
    """One agency: its numbers and a row per service unit."""
    agency = get_object_or_404(Agency.objects.only("code", "name", "short_name"), code=code)
    data = _dashboard_data(agency=agency)
    if request.GET.get("format") == "json":
        return _as_json(data, scope="agency", agency={"code": agency.code, "name": agency.name})
    url = reverse("publicservice:dashboard_agency", args=[agency.code])
    return _render_dashboard(request, data, agency=agency, json_url=url + "?format=json")


@require_GET
def dashboard_unit(request, code: str):
    """One service unit's numbers."""
    unit = get_object_or_404(ServiceUnit.objects.select_related("agency"), code=code.upper())
    data = _dashboard_data(unit=unit)
    if request.GET.get("format") == "json":
        return _as_json(
            data,
            scope="unit",
            unit={"code": unit.code, "name": unit.name},
            agency={"code": unit.agency.code, "name": unit.agency.name},
        )
    url = reverse("publicservice:dashboard_unit", args=[unit.code])
    return _render_dashboard(request, data, agency=unit.agency, unit=unit, json_url=url + "?format=json")
