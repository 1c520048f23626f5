"""The optimal allocation page of an agency's HR: choose the year and the weights, see the exact plan
(allocation.propose) beside the greedy one with the gain, the solve time and who is still short and why,
then accept it.

The proposal travels to the accept step signed (django.core.signing) together with a fingerprint of what it
was computed from — the remaining budget, the free seats, each candidate's JP, gaps and enrolments — so that a
changed list of pairs is refused as tampered and a proposal overtaken by any enrolment, cancellation or
budget change since is refused as stale."""

import hashlib
import json
import time
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError
from learning import allocation, rules, services
from learning.forms_reports import MAX_YEAR, MIN_YEAR, WeightsForm
from organization.access import access_agency
from organization.models import Agency

SALT = "learning.allocation.proposal"
MAX_AGE = 60 * 60  # seconds a proposal may wait for acceptance
REASON_TEXT = {
    "budget": gettext_lazy("anggaran tidak cukup"),
    "seats": gettext_lazy("kursi angkatan yang sesuai penuh"),
    "no_event": gettext_lazy("tidak ada angkatan yang sesuai"),
    "limit": gettext_lazy("batas 24 JP PPPK"),
}


# --- the signed proposal -----------------------------------------------------------------------------------


def _d(value) -> str:
    return str(Decimal(value).quantize(rules.HUNDREDTH))


def fingerprint(problem: allocation.Problem) -> str:
    """A digest of everything the optimiser read: equal digests, equal problems."""
    people = [
        [p.id, p.employee_type, _d(p.jp_done), sorted(p.levels.items()), p.coaching, sorted(p.excluded)]
        for p in sorted(problem.people, key=lambda p: p.id)
    ]
    events = [
        [e.id, e.cost, e.seats, _d(e.jp), sorted(e.targets.items()), str(e.starts_on), str(e.ends_on), e.open_to_all]
        for e in sorted(problem.events, key=lambda e: e.id)
    ]
    raw = json.dumps([problem.budget, people, events], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


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


# --- the proposal as pages and the API show it ---------------------------------------------------------------


def run_proposal(*, agency, year: int, weights: rules.Weights, user_id: int) -> dict:
    """Solve, and describe the exact plan, the greedy one, the gain and who is still short and why."""
    started = time.perf_counter()
    result = allocation.propose(agency=agency, year=year, weights=weights)
    seconds = time.perf_counter() - started
    problem, exact, greedy = result["problem"], result["exact"], result["greedy"]
    people = {p.id: p for p in problem.people}
    events = {e.id: e for e in problem.events}
    by_event: dict[int, list] = defaultdict(list)
    got: dict[int, Decimal] = defaultdict(Decimal)
    for pid, eid in exact.pairs:
        by_event[eid].append(problem.employees[pid])
        got[pid] += events[eid].jp
    plan = []
    for eid, staff in by_event.items():
        row = problem.event_rows[eid]
        plan.append(
            {
                "event": row,
                "people": sorted(staff, key=lambda e: e.name),
                "seats": events[eid].seats,
                "cost": events[eid].cost * len(staff),
            }
        )
    plan.sort(key=lambda r: (r["event"].starts_on, r["event"].pk))
    short = []
    for pid, reason in exact.still_short.items():
        emp, person = problem.employees[pid], people[pid]
        short.append(
            {
                "employee": emp,
                "reason": reason,
                "reason_text": str(REASON_TEXT.get(reason, reason)),
                "jp": person.jp_done,
                "shortfall": person.shortfall,
                "planned": got.get(pid, Decimal(0)),
            }
        )
    short.sort(key=lambda r: (r["reason"], r["employee"].name))
    gain = round(exact.value - greedy.value, 6)
    return {
        "year": year,
        "weights": weights,
        "budget": problem.budget,
        "candidates": len(problem.people),
        "short_before": sum(1 for p in problem.people if p.shortfall > 0),
        "open_events": len(problem.events),
        "exact": exact,
        "greedy": greedy,
        "gain": gain,
        "gain_pct": None if greedy.value <= 0 else round(100 * gain / greedy.value, 1),
        "seconds": seconds,
        "plan": plan,
        "short": short,
        "employees": problem.employees,
        "token": sign_proposal(user_id=user_id, agency_id=agency.pk, year=year, pairs=exact.pairs, problem=problem)
        if exact.pairs
        else "",
    }


# --- pages -------------------------------------------------------------------------------------------------


def writable_agencies(actor):
    """Agencies whose HR the actor is (every agency for the national admin); 404 for anyone else."""
    if actor.write_agency_ids is None:
        return Agency.objects.order_by("name")
    if not actor.write_agency_ids:
        raise Http404
    return Agency.objects.filter(pk__in=actor.write_agency_ids).order_by("name")


def hr_agency(actor, agency_id: int):
    agency = access_agency(actor, agency_id)
    if not actor.can_write_agency(agency.pk):
        raise Http404
    return agency


@login_required
def allocation_index(request):
    """HR of one agency goes straight to its page; the national admin picks the agency."""
    actor = get_actor(request.user)
    agencies = list(writable_agencies(actor).only("id", "name"))
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
def allocation_page(request, agency_id: int):
    """The weights form; with ``jalankan`` the proposal (htmx swaps in just the result)."""
    actor = get_actor(request.user)
    agency = hr_agency(actor, agency_id)
    run = "jalankan" in request.GET
    year = timezone.localdate().year
    if str(request.GET.get("tahun", "")).isdigit():
        year = min(max(int(request.GET["tahun"]), MIN_YEAR), MAX_YEAR)
    form = WeightsForm(request.GET if run else None, initial={"tahun": year})
    ctx = {"nav": "learning", "agency": agency, "form": form, "ran": run}
    if run and form.is_valid():
        year = form.cleaned_data["tahun"]
        ctx["result"] = run_proposal(agency=agency, year=year, weights=form.weights(), user_id=request.user.pk)
    ctx["position"] = services.budget_position(agency.pk, year)
    ctx["year"] = year
    if request.htmx and run:
        return render(request, "learning/reports/_allocation_result.html", ctx)
    return render(request, "learning/reports/allocation.html", ctx)


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
