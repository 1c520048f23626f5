"""The optimal allocation pages of an agency's HR: choose the year and the weights and ask for a computation
(a background task, AllocationRun), watch it run, then see the exact plan beside the greedy one with the
gain, the solve time and who is still short and why, and accept it.

The proposal travels to the accept step signed (django.core.signing) together with a fingerprint of what it
was computed from — the remaining budget, the free seats, each candidate's JP, gaps and enrolments — so that a
changed list of pairs is refused as tampered and a proposal overtaken by any enrolment, cancellation or
budget change since is refused as stale. The run page compares the same fingerprint and offers no acceptance
once the data has moved on."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from learning import allocation, rules, services
from learning.access import access_allocation_run, hr_agencies, hr_agency
from learning.allocation import fingerprint
from learning.forms_reports import MAX_YEAR, MIN_YEAR, WeightsForm
from learning.models import AllocationRun, TrainingEvent

SALT = "learning.allocation.proposal"
MAX_AGE = 60 * 60  # seconds a proposal may wait for acceptance
RECENT_RUNS = 5
REASON_TEXT = {
    "budget": gettext_lazy("anggaran tidak cukup"),
    "seats": gettext_lazy("kursi angkatan yang sesuai penuh"),
    "no_event": gettext_lazy("tidak ada angkatan yang sesuai"),
    "limit": gettext_lazy("batas 24 JP PPPK"),
}
# How far along the bar stands at each step (the solve itself is measured against its time limit).
STAGE_PCT = {"": 5, "build": 15, "solve": 40, "greedy": 95}


# --- the signed proposal -----------------------------------------------------------------------------------


def sign_proposal(*, user_id: int, agency_id: int, year: int, pairs, problem: allocation.Problem) -> str:
    payload = {"u": user_id, "a": agency_id, "y": year, "p": [list(x) for x in pairs], "f": fingerprint(problem)}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_proposal(token: str, *, user_id: int, agency_id: int) -> dict:
    """The signed proposal, if it is intact, recent, this user's and this agency's; else a refusal."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("Usulan sudah kedaluwarsa; hitung ulang."), code="stale") from None
    except signing.BadSignature:
        raise DomainError(_("Usulan tidak sah (diubah atau rusak); hitung ulang."), code="tampered") from None
    if payload.get("u") != user_id or payload.get("a") != agency_id:
        raise DomainError(_("Usulan ini bukan milik Anda atau instansi ini; hitung ulang."), code="tampered")
    return payload


def ensure_fresh(payload: dict, agency) -> None:
    """Refuse a proposal whose data (budget, seats, candidates' JP, gaps, enrolments) changed since."""
    problem = allocation.build(agency=agency, year=payload["y"])
    if fingerprint(problem) != payload["f"]:
        raise DomainError(
            _("Data berubah sejak usulan dihitung (anggaran, kursi, atau pendaftaran); hitung ulang."), code="stale"
        )


def accept_signed(*, actor, agency, token: str, user_id: int) -> tuple[int, list]:
    """Check the signed proposal and create its enrolments (allocation.accept); the year and the enrolments."""
    payload = read_proposal(token, user_id=user_id, agency_id=agency.pk)
    ensure_fresh(payload, agency)
    pairs = [(int(p), int(e)) for p, e in payload["p"]]
    return payload["y"], allocation.accept(actor=actor, agency=agency, pairs=pairs, year=payload["y"])


# --- a run as the pages and the API show it -------------------------------------------------------------------


def duration_text(seconds: float) -> str:
    if seconds < 1:
        return _("< 1 dtk")
    seconds = int(seconds)
    if seconds < 60:
        return _("%(s)d dtk") % {"s": seconds}
    return _("%(m)d mnt %(s)02d dtk") % {"m": seconds // 60, "s": seconds % 60}


def run_progress(run: AllocationRun) -> dict:
    """How long a run has been going and how far along it stands; the solve is measured against its limit."""
    now = timezone.now()
    elapsed = ((run.finished_at or now) - (run.started_at or run.created_at)).total_seconds()
    limit = settings.LEARNING_ALLOCATION_TIME_LIMIT
    pct = STAGE_PCT.get(run.stage, 5)
    stage_seconds = None
    if run.status == AllocationRun.Status.RUNNING and run.stage == AllocationRun.Stage.SOLVE:
        stage_seconds = max((now - run.updated_at).total_seconds(), 0)  # each stage change touches updated_at
        pct += int(50 * min(stage_seconds / max(limit, 1), 1))
    return {
        "elapsed": elapsed,
        "elapsed_text": duration_text(elapsed),
        "pct": pct,
        "stage_seconds": stage_seconds,
        "stage_text": None if stage_seconds is None else duration_text(stage_seconds),
        "time_limit": limit,
    }


def describe(run: AllocationRun, *, user_id: int) -> dict:
    """A finished run as the page and the API show it: the plans it kept, named from the data as it is now,
    with a token to accept only while that data is still what the run computed from."""
    kept = run.result
    problem = allocation.build(agency=run.agency, year=run.year)
    stale = fingerprint(problem) != kept["fingerprint"]
    exact, greedy = allocation.proposal_from(kept["exact"]), allocation.proposal_from(kept["greedy"])
    employees, rows = dict(problem.employees), dict(problem.event_rows)
    # Once the data has moved on, someone or some event in the plan may no longer be a candidate: name them anyway.
    missing = ({p for p, _e in exact.pairs + greedy.pairs} | set(exact.still_short)) - employees.keys()
    if missing:
        from personnel.models import Employee

        employees |= {
            e.pk: e
            for e in Employee.objects.filter(agency=run.agency, pk__in=missing).select_related(
                "current_unit", "current_position"
            )
        }
    missing = {e for _p, e in exact.pairs} - rows.keys()
    if missing:
        rows |= {
            ev.pk: ev
            for ev in TrainingEvent.objects.filter(agency=run.agency, pk__in=missing).select_related("program")
        }
    events = kept["events"]
    by_event: dict[int, list] = defaultdict(list)
    got: dict[int, Decimal] = defaultdict(Decimal)
    for pid, eid in exact.pairs:
        got[pid] += Decimal(events[str(eid)]["jp"])
        if pid in employees:
            by_event[eid].append(employees[pid])
    plan = [
        {
            "event": rows[eid],
            "people": sorted(staff, key=lambda e: e.name),
            "seats": events[str(eid)]["seats"],
            "cost": events[str(eid)]["cost"] * len(staff),
        }
        for eid, staff in by_event.items()
        if eid in rows
    ]
    plan.sort(key=lambda r: (r["event"].starts_on, r["event"].pk))
    short = []
    for pid, reason in exact.still_short.items():
        if pid not in employees:
            continue
        numbers = kept["short"][str(pid)]
        short.append(
            {
                "employee": employees[pid],
                "reason": reason,
                "reason_text": str(REASON_TEXT.get(reason, reason)),
                "jp": Decimal(numbers["jp"]),
                "shortfall": Decimal(numbers["shortfall"]),
                "planned": got.get(pid, Decimal(0)),
            }
        )
    short.sort(key=lambda r: (r["reason"], r["employee"].name))
    gain = round(exact.value - greedy.value, 6)
    return {
        "year": run.year,
        "weights": rules.Weights(**run.weights),
        "budget": kept["budget"],
        "candidates": kept["candidates"],
        "short_before": kept["short_before"],
        "open_events": kept["open_events"],
        "exact": exact,
        "greedy": greedy,
        "gain": gain,
        "gain_pct": None if greedy.value <= 0 else round(100 * gain / greedy.value, 1),
        "seconds": kept["seconds"],
        "solve_seconds": kept["solve_seconds"],
        "build_seconds": kept["build_seconds"],
        "time_limit": kept["time_limit"],
        "fallback": kept["fallback"],
        "gap_pct": None if exact.gap is None else round(100 * exact.gap, 2),
        "stale": stale,
        "plan": plan,
        "short": short,
        "employees": employees,
        "token": sign_proposal(
            user_id=user_id, agency_id=run.agency_id, year=run.year, pairs=exact.pairs, problem=problem
        )
        if exact.pairs and not stale
        else "",
    }


# --- pages -------------------------------------------------------------------------------------------------


def recent_runs(agency_id: int) -> list[AllocationRun]:
    return list(
        AllocationRun.objects.filter(agency_id=agency_id)
        .select_related("requested_by")
        .defer("result", "weights", "error")[:RECENT_RUNS]
    )


def _year(request) -> int:
    year = timezone.localdate().year
    if str(request.GET.get("tahun", "")).isdigit():
        year = min(max(int(request.GET["tahun"]), MIN_YEAR), MAX_YEAR)
    return year


def _render_page(request, agency, form, year: int, *, busy: AllocationRun | None = None):
    ctx = {
        "nav": "learning",
        "agency": agency,
        "form": form,
        "year": year,
        "position": services.budget_position(agency.pk, year),
        "runs": recent_runs(agency.pk),
        "busy": busy,
    }
    return render(request, "learning/reports/allocation.html", ctx)


@login_required
def allocation_index(request):
    """HR of one agency goes straight to its page; the national admin picks the agency."""
    actor = get_actor(request.user)
    if actor.write_agency_ids is not None and not actor.write_agency_ids:
        raise Http404  # HR of no agency
    agencies = list(hr_agencies(actor).only("id", "name"))
    wanted = request.GET.get("instansi")
    if wanted:
        agency = next((a for a in agencies if str(a.pk) == wanted), None)
        if agency is None:
            raise Http404
        return redirect("learning:allocation", agency_id=agency.pk)
    if len(agencies) == 1:
        return redirect("learning:allocation", agency_id=agencies[0].pk)
    return render(request, "learning/reports/allocation_index.html", {"nav": "learning", "agencies": agencies})


@login_required
@require_GET
def allocation_page(request, agency_id: int):
    """The weights form, the year's budget and the agency's recent computations."""
    actor = get_actor(request.user)
    agency = hr_agency(actor, agency_id)
    year = _year(request)
    return _render_page(request, agency, WeightsForm(initial={"tahun": year}), year)


@login_required
@require_POST
def allocation_run_create(request, agency_id: int):
    """Queue a computation with the chosen year and weights and go to its page."""
    actor = get_actor(request.user)
    agency = hr_agency(actor, agency_id)
    form = WeightsForm(request.POST)
    busy = None
    if form.is_valid():
        year = form.cleaned_data["tahun"]
        try:
            run = services.allocation_run_request(actor=actor, agency=agency, year=year, weights=form.weights())
        except DomainError as exc:
            apply_to_form(form, exc)
            if exc.code == "busy":
                busy = allocation.active_run(agency.pk, year)
        else:
            return redirect("learning:allocation_run", agency_id=agency.pk, uid=run.uid)
    year = form.cleaned_data.get("tahun") or timezone.localdate().year
    return _render_page(request, agency, form, year, busy=busy)


@login_required
@require_GET
def allocation_run(request, agency_id: int, uid: str):
    """One computation: its progress while it runs (htmx polls the status), then its result."""
    actor = get_actor(request.user)
    run = access_allocation_run(actor, agency_id, uid)
    if request.htmx and request.GET.get("poll"):
        if run.is_active:
            return render(
                request, "learning/reports/_allocation_run_status.html", {"run": run, "progress": run_progress(run)}
            )
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # done or failed: the whole page changes
        return response
    ctx = {
        "nav": "learning",
        "agency": run.agency,
        "run": run,
        "weights": rules.Weights(**run.weights),
        "progress": run_progress(run),
        "runs": recent_runs(run.agency_id),
        "year": run.year,
    }
    if run.status == AllocationRun.Status.DONE:
        ctx["result"] = describe(run, user_id=request.user.pk)
    return render(request, "learning/reports/allocation_run.html", ctx)


@login_required
@require_POST
def allocation_accept(request, agency_id: int):
    """Create the enrolments of a signed, still current proposal."""
    actor = get_actor(request.user)
    agency = hr_agency(actor, agency_id)
    url = reverse("learning:allocation", kwargs={"agency_id": agency.pk})
    try:
        year, created = accept_signed(
            actor=actor, agency=agency, token=request.POST.get("usulan", ""), user_id=request.user.pk
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(url)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Anda tidak berwenang melakukan ini."))
        return redirect(url)
    messages.success(
        request, _("Usulan diterima: %(n)s pendaftaran dibuat untuk tahun %(y)s.") % {"n": len(created), "y": year}
    )
    return redirect(f"{url}?tahun={year}")
