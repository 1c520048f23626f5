from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.export import export_response
from core.selectors import audit_records_visible_to


def healthz(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    actor = get_actor(request.user)
    if actor.can_read_registry and (actor.registry_agency_ids is None or actor.registry_agency_ids):
        return redirect("organization:agency_list")
    if actor.employee_id:
        return redirect("personnel:me")
    if hasattr(request.user, "applicant"):
        return redirect("recruitment:mine")
    return render(request, "core/home.html", {})


AUDIT_HEADERS = [
    "id",
    "waktu",
    "pelaku",
    "tindakan",
    "jenis objek",
    "id objek",
    "objek",
    "alasan",
    "sebelum",
    "sesudah",
    "hash",
]


@login_required
def audit_list(request):
    """Browse and filter the audit trail (auditors and admins, within their scope)."""
    actor = get_actor(request.user)
    if not actor.can_read_audit:
        raise Http404
    qs = audit_records_visible_to(actor)
    f = {
        k: request.GET.get(k, "").strip()
        for k in ("action", "object_type", "actor", "object_id", "since", "until", "q")
    }
    if f["action"]:
        qs = qs.filter(action=f["action"])
    if f["object_type"]:
        qs = qs.filter(object_type=f["object_type"])
    if f["actor"]:
        qs = qs.filter(actor_label__icontains=f["actor"])
    if f["object_id"]:
        qs = qs.filter(object_id=f["object_id"])
    if f["since"]:
        qs = qs.filter(created_at__date__gte=f["since"])
    if f["until"]:
        qs = qs.filter(created_at__date__lte=f["until"])
    if f["q"]:
        qs = qs.filter(object_label__icontains=f["q"]) | qs.filter(reason__icontains=f["q"])
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = (
            [
                r.id,
                r.created_at,
                r.actor_label,
                r.action,
                r.object_type,
                r.object_id,
                r.object_label,
                r.reason,
                r.before,
                r.after,
                r.hash,
            ]
            for r in qs.iterator(chunk_size=2000)
        )
        return export_response(fmt, "jejak-audit", AUDIT_HEADERS, rows)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    actions = audit_records_visible_to(actor).order_by().values_list("action", flat=True).distinct()
    return render(
        request,
        "core/audit_list.html",
        {"page": page, "f": f, "actions": sorted(actions), "nav": "audit", "title": _("Jejak audit")},
    )
