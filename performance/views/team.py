"""The pages about colleagues: 360° input for peers and the supervisor, and a supervisor's team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.errors import DomainError
from core.export import export_response
from performance import forms as f
from performance import selectors
from performance.choices import Predikat, SkpStatus
from performance.models import PeerInput, PerformanceYear, Skp
from performance.services import during
from performance.services.common import actor_employee, leads_unit
from performance.views.common import _current_period, _today


@login_required
def peer_input(request):
    """360° input: the colleagues and the supervisor the actor may rate anonymously this period."""
    actor = get_actor(request.user)
    me = actor_employee(actor)
    if me is None:
        raise Http404
    day = _today()
    targets = selectors.peer_targets(me, day)
    given = set(PeerInput.objects.filter(rater=me, skp__in=targets).values_list("skp_id", "period_id").distinct())
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
