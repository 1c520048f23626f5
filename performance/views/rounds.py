"""A unit's rating round: its organisation predikat, the curve against the ratings, and finalization."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from organization.access import access_unit
from performance import forms as f
from performance import rules, selectors
from performance.choices import OrgPredikat, Predikat
from performance.models import Period
from performance.services import rating, setup
from performance.views.common import _today


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
