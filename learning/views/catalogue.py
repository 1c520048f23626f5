"""The catalogue of development programmes: search, a programme with its events, new programmes and
events (HR), and the yearly training budget of an agency (HR)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from learning import forms_catalogue as f
from learning import selectors, services
from learning.access import competencies_visible_to, hr_agencies, require_hr
from learning.choices import CLOSED_STATUSES, SEATED, EnrollmentStatus
from learning.models import Competency, Enrollment, Program, ProgramCompetency, TrainingBudget
from organization.models import OrgUnit
from personnel.models import Employee

PAGE_SIZE = 20


def today():
    return timezone.localdate()


def with_seats(events):
    """Events annotated with the seats taken and the length of the waiting list."""
    return events.annotate(
        seats_used=Count("enrollments", filter=Q(enrollments__status__in=SEATED)),
        waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
    )


# --- Catalogue -------------------------------------------------------------------------------------


@login_required
def catalogue(request):
    """Programmes of the catalogue, searchable by text, modality and competency."""
    actor = get_actor(request.user)
    competencies = Competency.objects.filter(active=True, programs__isnull=False).distinct().order_by("kind", "code")
    form = f.CatalogueFilterForm(request.GET or None, competencies=competencies)
    programs = Program.objects.filter(active=True)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            programs = programs.filter(
                Q(title__icontains=d["q"])
                | Q(code__icontains=d["q"])
                | Q(provider__icontains=d["q"])
                | Q(description__icontains=d["q"])
            )
        if d["modality"]:
            programs = programs.filter(modality=d["modality"])
        if d["competency"]:
            programs = programs.filter(targets__competency_id=d["competency"])
    programs = programs.annotate(
        upcoming=Count("events", filter=Q(events__cancelled=False, events__ends_on__gte=today()), distinct=True)
    ).prefetch_related(
        Prefetch(
            "targets", queryset=ProgramCompetency.objects.select_related("competency").order_by("competency__code")
        )
    )
    page = Paginator(programs.order_by("title"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/catalogue/catalogue.html",
        {
            "nav": "learning",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_hr": actor.can_write_registry,
            "is_employee": actor.employee_id is not None,
            "is_supervisor": actor.is_supervisor,
        },
    )


@login_required
def program_create(request):
    """HR adds a programme: JP, modality, provider, cost, and the competencies and levels it develops."""
    actor = get_actor(request.user)
    require_hr(actor)
    competencies = list(competencies_visible_to(actor))
    form = f.ProgramForm(request.POST or None, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            program = services.program_create(
                actor=actor,
                code=d["code"],
                title=d["title"],
                jp=d["jp"],
                modality=d["modality"],
                provider=d["provider"],
                cost=d["cost"],
                targets=d["targets"],
                description=d["description"],
                has_tests=d["has_tests"],
                pass_score=d["pass_score"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Program ditambahkan ke katalog."))
            return redirect("learning:catalogue_program", program_id=program.pk)
    return render(request, "learning/catalogue/program_form.html", {"nav": "learning", "form": form})


def _program_page(request, actor, program, event_form=None, status=200):
    events = list(
        with_seats(program.events.filter(cancelled=False)).select_related("agency").order_by("-starts_on", "pk")
    )
    mine: set[int] = set()
    my_agency = None
    if actor.employee_id is not None:
        mine = set(
            Enrollment.objects.filter(employee_id=actor.employee_id, event__program=program)
            .exclude(status__in=[EnrollmentStatus.CANCELLED, EnrollmentStatus.REJECTED])
            .values_list("event_id", flat=True)
        )
        my_agency = Employee.objects.filter(pk=actor.employee_id).values_list("agency_id", flat=True).first()
    day = today()
    rows = [
        {
            "event": e,
            "free": max(0, e.capacity - e.seats_used),
            "manage": actor.can_write_agency(e.agency_id),
            "requestable": e.agency_id == my_agency and e.starts_on >= day and e.pk not in mine,
            "mine": e.pk in mine,
            "past": e.ends_on < day,
        }
        for e in events
    ]
    agencies = list(hr_agencies(actor)) if actor.can_write_registry else []
    if event_form is None and agencies:
        event_form = f.EventForm(agencies=agencies)
    return render(
        request,
        "learning/catalogue/program_detail.html",
        {
            "nav": "learning",
            "program": program,
            "targets": program.targets.select_related("competency").order_by("competency__code"),
            "rows": rows,
            "event_form": event_form,
        },
        status=status,
    )


@login_required
def program_detail(request, program_id: int):
    """A programme with the competencies it develops and its events; HR adds events here."""
    actor = get_actor(request.user)
    program = get_object_or_404(Program, pk=program_id)
    if not program.active and not actor.can_write_registry:
        raise Http404
    return _program_page(request, actor, program)


@login_required
@require_POST
def event_create(request, program_id: int):
    actor = get_actor(request.user)
    require_hr(actor)
    program = get_object_or_404(Program, pk=program_id)
    form = f.EventForm(request.POST, agencies=list(hr_agencies(actor)))
    if form.is_valid():
        d = form.cleaned_data
        try:
            event = services.event_create(
                actor=actor,
                program=program,
                agency=d["agency"],
                name=d["name"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                place=d["place"],
                capacity=d["capacity"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Angkatan dibuat."))
            return redirect("learning:catalogue_event", event_id=event.pk)
    return _program_page(request, actor, program, event_form=form)


# --- Budget ----------------------------------------------------------------------------------------


def _unit_positions(agency_id: int, year: int, budgets) -> list[dict]:
    """Each unit budget's ceiling, committed, spent and available, in one grouped query
    (the same sums as ``services.budget_position`` for one unit)."""
    ids = [b.unit_id for b in budgets]
    sums = {
        r["employee__current_unit_id"]: r
        for r in Enrollment.objects.filter(
            selectors.counts_in_year(year), event__agency_id=agency_id, employee__current_unit_id__in=ids
        )
        .values("employee__current_unit_id")
        .annotate(
            committed=Sum("cost", filter=Q(status=EnrollmentStatus.ENROLLED)),
            spent=Sum("cost", filter=Q(status__in=CLOSED_STATUSES)),
        )
        .order_by()
    }
    out = []
    for b in budgets:
        r = sums.get(b.unit_id, {})
        committed, spent = r.get("committed") or Decimal(0), r.get("spent") or Decimal(0)
        out.append(
            {
                "unit": b.unit,
                "amount": b.amount,
                "committed": committed,
                "spent": spent,
                "available": b.amount - committed - spent,
            }
        )
    return out


@login_required
def budget(request):
    """HR: a year's training budget of the agency (and of units), what is committed, spent and left."""
    actor = get_actor(request.user)
    require_hr(actor)
    agencies = hr_agencies(actor)
    wanted = request.GET.get("instansi") or request.POST.get("instansi")
    if wanted:
        agency = agencies.filter(pk=wanted).first() if wanted.isdigit() else None
        if agency is None:
            raise Http404
    else:
        agency = agencies.first()
        if agency is None:
            raise Http404
    raw_year = request.GET.get("tahun") or ""
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else today().year
    units = OrgUnit.objects.filter(agency=agency, is_active=True).order_by("path")
    form = f.BudgetForm(request.POST or None, units=units, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.budget_set(actor=actor, agency=agency, year=d["year"], amount=d["amount"], unit=d["unit"])
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Pagu anggaran disimpan."))
            return redirect(f"{request.path}?instansi={agency.pk}&tahun={d['year']}")
    position = services.budget_position(agency.pk, year)
    unit_budgets = list(
        TrainingBudget.objects.filter(agency=agency, year=year, unit__isnull=False).select_related("unit")
    )
    overrides = list(
        Enrollment.objects.filter(selectors.counts_in_year(year), event__agency=agency)
        .exclude(over_budget_reason="")
        .select_related("employee", "event__program")
        .order_by("-created_at")[:50]
    )
    available = position["available"]
    chart = {
        "labels": [str(_("Terpakai")), str(_("Terikat")), str(_("Sisa"))],
        "label": str(_("Rupiah")),
        "values": [
            float(position["spent"]),
            float(position["committed"]),
            float(available) if available is not None and available > 0 else 0,
        ],
    }
    return render(
        request,
        "learning/catalogue/budget.html",
        {
            "nav": "learning",
            "agency": agency,
            "agencies": agencies if actor.write_agency_ids is None else list(agencies),
            "year": year,
            "years": range(today().year - 2, today().year + 3),
            "position": position,
            "over": available is not None and available < 0,
            "units": _unit_positions(agency.pk, year, unit_budgets),
            "overrides": overrides,
            "form": form,
            "chart": chart,
        },
    )
