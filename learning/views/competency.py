"""The competency pages: the dictionary, position standards, assessments (one by one and imported), each
employee's gaps and the gap heat map per employee, unit, agency or region."""

from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.export import export_response, xlsx_response
from learning import assessment_import as importing
from learning import selectors, services
from learning.access import access_person, allowed_sources, direct_reports, reads_registry
from learning.choices import AssessmentSource, CompetencyKind
from learning.forms_competency import AssessmentForm, AssessmentImportForm, CompetencyForm
from learning.models import Competency, CompetencyAssessment, CompetencyStandard
from organization.models import Agency, Position
from personnel.models import Employee

REFUSED = "learning/competency/refused.html"
NAV = "learning"
PAGE_SIZE = 50
MATRIX_ROWS = 300  # employees shown in the per-employee map; the rest are in the download


def shows_refusal(view):
    """Answer a refusal (PermissionDenied) with 403 and its reason in the page, not a bare error page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("Anda tidak berwenang membuka halaman ini.")
            if getattr(request, "htmx", False):
                return render(request, "learning/competency/_refused_inline.html", {"message": message}, status=403)
            return render(request, REFUSED, {"message": message, "nav": NAV}, status=403)

    return wrapper


# --- Scope -------------------------------------------------------------------------------------------


def competencies_for(agency_id: int):
    """The active competencies usable in an agency: the national ones and its own technical ones."""
    return Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id), active=True).order_by(
        "kind", "code"
    )


def pick_agency(request, actor):
    """The agency a page is about: the one asked for (?instansi=, 404 outside the actor's registry scope),
    else the actor's only one, else None (the page offers a choice)."""
    agencies = Agency.objects.registry_visible_to(actor).order_by("name")
    wanted = request.GET.get("instansi") or request.POST.get("instansi")
    if wanted:
        agency = agencies.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if agency is None:
            raise Http404
        return agency, agencies
    if actor.registry_agency_ids is not None and len(actor.registry_agency_ids) == 1:
        return agencies.first(), agencies
    return None, agencies


# --- Dictionary --------------------------------------------------------------------------------------


@login_required
@shows_refusal
def dictionary(request):
    """The competency dictionary by kind, with each level's description; technical ones per agency and family."""
    actor = get_actor(request.user)
    if actor.employee_id is None and not (actor.org_agency_ids is None or actor.org_agency_ids):
        raise PermissionDenied(_("Kamus kompetensi terbuka bagi pegawai dan admin kepegawaian."))
    kind = request.GET.get("jenis") or CompetencyKind.MANAGERIAL
    if kind not in CompetencyKind.values:
        raise Http404
    visible_agencies = Agency.objects.visible_to(actor)
    base = Competency.objects.filter(Q(agency__isnull=True) | Q(agency__in=visible_agencies))
    counts = dict(base.values_list("kind").annotate(n=Count("pk")).order_by())
    qs = base.filter(kind=kind)
    agency, family, families, agencies = None, "", [], []
    if kind == CompetencyKind.TECHNICAL:
        agencies = list(visible_agencies.filter(competencies__isnull=False).distinct().order_by("name"))
        wanted = request.GET.get("instansi")
        if wanted:
            agency = next((a for a in agencies if str(a.pk) == wanted), None)
            if agency is None:
                raise Http404
            qs = qs.filter(agency=agency)
            families = list(qs.exclude(family="").values_list("family", flat=True).distinct().order_by("family"))
            family = request.GET.get("rumpun", "")
            if family:
                qs = qs.filter(family=family)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    qs = qs.select_related("agency").prefetch_related("levels").order_by("agency__name", "family", "code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [(k, label, counts.get(k, 0)) for k, label in CompetencyKind.choices]
    return render(
        request,
        "learning/competency/dictionary.html",
        {
            "nav": NAV,
            "kind": kind,
            "tabs": tabs,
            "page": page,
            "agencies": agencies,
            "agency": agency,
            "families": families,
            "family": family,
            "q": text,
            "can_create": actor.can_write_registry,
        },
    )


@login_required
@shows_refusal
def competency_create(request):
    """Add a competency with its level descriptions: national kinds by the national admin, technical ones by HR."""
    actor = get_actor(request.user)
    if not actor.can_write_registry:
        raise PermissionDenied(
            _(
                "Kamus kompetensi diisi admin kepegawaian (kompetensi teknis) dan admin nasional "
                "(manajerial dan sosial kultural)."
            )
        )
    national = actor.write_agency_ids is None
    kinds = list(CompetencyKind.values) if national else [CompetencyKind.TECHNICAL]
    agencies = Agency.objects.order_by("name")
    if not national:
        agencies = agencies.filter(pk__in=actor.write_agency_ids)
    initial = {"kind": kinds[0]}
    if not national and len(actor.write_agency_ids) == 1:
        initial["agency"] = next(iter(actor.write_agency_ids))
    form = CompetencyForm(request.POST or None, kinds=kinds, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            comp = services.competency_create(
                actor=actor,
                kind=data["kind"],
                code=data["code"],
                name=data["name"],
                max_level=data["max_level"],
                levels=form.levels(),
                agency=data["agency"] if data["kind"] == CompetencyKind.TECHNICAL else None,
                family=data["family"],
                description=data["description"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Kompetensi %(c)s ditambahkan.") % {"c": comp})
            url = reverse("learning:competency_list") + f"?jenis={comp.kind}"
            if comp.agency_id:
                url += f"&instansi={comp.agency_id}"
            return redirect(url)
    return render(request, "learning/competency/competency_form.html", {"nav": NAV, "form": form})


# --- Standards ---------------------------------------------------------------------------------------


def _positions_in_scope(actor):
    return Position.objects.filter(agency__in=Agency.objects.registry_visible_to(actor))


@login_required
@shows_refusal
def standards(request):
    """The agency's positions (searchable) with how many competency standards each has."""
    actor = get_actor(request.user)
    if not reads_registry(actor):
        raise PermissionDenied(_("Standar kompetensi jabatan dikelola admin kepegawaian."))
    agency, agencies = pick_agency(request, actor)
    page, text = None, request.GET.get("q", "").strip()
    if agency is not None:
        qs = (
            Position.objects.filter(agency=agency, is_active=True)
            .select_related("unit")
            .annotate(n=Count("competency_standards"))
            .order_by("path")
        )
        if text:
            qs = qs.filter(Q(title__icontains=text) | Q(code__icontains=text) | Q(unit__name__icontains=text))
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/competency/standards.html",
        {
            "nav": NAV,
            "agency": agency,
            "agencies": agencies if agency is None else [],
            "page": page,
            "q": text,
            "can_edit": agency is not None and actor.can_write_agency(agency.pk),
        },
    )


def _standard_rows(position, competencies, required: dict[int, int]):
    return [{"c": c, "required": required.get(c.pk), "levels": range(1, c.max_level + 1)} for c in competencies]


@login_required
@shows_refusal
def position_standards(request, position_id: int):
    """The level a position requires of each competency, editable in place by the agency's HR."""
    actor = get_actor(request.user)
    position = _positions_in_scope(actor).select_related("agency", "unit").filter(pk=position_id).first()
    if position is None:
        raise Http404
    competencies = list(competencies_for(position.agency_id).select_related("agency"))
    required = dict(CompetencyStandard.objects.filter(position=position).values_list("competency_id", "required_level"))
    holders = Employee.objects.filter(current_position=position).active().order_by("name")[:20]
    return render(
        request,
        "learning/competency/position_standards.html",
        {
            "nav": NAV,
            "position": position,
            "rows": _standard_rows(position, competencies, required),
            "holders": holders,
            "can_edit": actor.can_write_agency(position.agency_id),
        },
    )


@login_required
@require_POST
@shows_refusal
def standard_set(request, position_id: int, competency_id: int):
    """Set or remove one standard; answers the table row for htmx, else goes back to the position."""
    actor = get_actor(request.user)
    position = _positions_in_scope(actor).select_related("agency").filter(pk=position_id).first()
    if position is None:
        raise Http404
    competency = competencies_for(position.agency_id).filter(pk=competency_id).first()
    if competency is None:
        raise Http404
    if not actor.can_write_agency(position.agency_id):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat mengubah standar kompetensi."))
    raw = request.POST.get("required_level", "").strip()
    error, saved = "", False
    try:
        if raw and not raw.isdigit():
            raise DomainError(_("Level harus berupa angka."), field="required_level")
        services.standard_set(
            actor=actor, position=position, competency=competency, required_level=int(raw) if raw else None
        )
        saved = True
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        level = (
            CompetencyStandard.objects.filter(position=position, competency=competency)
            .values_list("required_level", flat=True)
            .first()
        )
        row = _standard_rows(position, [competency], {competency.pk: level} if level else {})[0]
        return render(
            request,
            "learning/competency/_standard_row.html",
            {"r": row, "position": position, "can_edit": True, "saved": saved, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Standar %(c)s disimpan.") % {"c": competency.code})
    return redirect("learning:competency_position", position_id=position.pk)


# --- One employee: gaps, results, recording ------------------------------------------------------------


def _person_page(request, actor, employee: Employee, *, own: bool):
    sources = allowed_sources(actor, employee)
    form = None
    if sources:
        form = AssessmentForm(
            request.POST if request.method == "POST" else None,
            competencies=competencies_for(employee.agency_id),
            sources=sources,
            initial={"source": sources[0], "assessed_on": timezone.localdate()},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Anda tidak berwenang mencatat penilaian kompetensi pegawai ini."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assessment_record(
                    actor=actor,
                    employee=employee,
                    competency=data["competency"],
                    level=data["level"],
                    source=data["source"],
                    assessed_on=data["assessed_on"],
                    note=data["note"],
                )
            except DomainError as exc:
                apply_to_form(form, exc)
            else:
                messages.success(request, _("Hasil penilaian kompetensi dicatat."))
                return redirect(request.path)
    gaps = selectors.employee_gaps(employee)
    results = (
        CompetencyAssessment.objects.filter(employee=employee)
        .select_related("competency", "recorded_by")
        .order_by("-assessed_on", "-pk")[:50]
    )
    open_gaps = [g for g in gaps if g.gap is not None and g.gap > 0]
    return render(
        request,
        "learning/competency/employee.html",
        {
            "nav": NAV,
            "employee": employee,
            "own": own,
            "gaps": gaps,
            "open_gaps": len(open_gaps),
            "unassessed": sum(1 for g in gaps if g.held is None),
            "results": results,
            "form": form,
            "source_labels": dict(AssessmentSource.choices),
        },
    )


@login_required
@shows_refusal
def my_competency(request):
    """Kompetensi saya: the employee's own standards, held levels, gaps and results, and a self-assessment."""
    actor = get_actor(request.user)
    employee = (
        Employee.objects.select_related("agency", "current_position", "current_unit")
        .filter(pk=actor.employee_id)
        .first()
        if actor.employee_id
        else None
    )
    if employee is None:
        raise PermissionDenied(_("Halaman ini untuk pegawai yang tercatat di registri kepegawaian."))
    return _person_page(request, actor, employee, own=True)


@login_required
@shows_refusal
def employee_competency(request, nip: str):
    """One employee's standards, held levels and gaps (largest first) with programmes that close them."""
    actor = get_actor(request.user)
    employee = access_person(actor, nip)
    return _person_page(request, actor, employee, own=employee.pk == actor.employee_id)


# --- Import ------------------------------------------------------------------------------------------


@login_required
@shows_refusal
def assessment_import(request):
    """HR uploads assessment-centre and CACT results: all rows recorded, or none and every problem named."""
    actor = get_actor(request.user)
    if not actor.can_write_registry:
        raise PermissionDenied(_("Hasil assessment center dan CACT diimpor oleh admin kepegawaian."))
    if request.GET.get("templat"):
        return xlsx_response(
            "templat-hasil-penilaian-kompetensi",
            importing.HEADERS,
            [["199001152015032001", "M1", 3, "Assessment center", "15-01-2026", ""]],
            title=_("Hasil penilaian"),
        )
    agency, agencies = pick_agency(request, actor)
    if agency is not None and not actor.can_write_agency(agency.pk):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat mengimpor hasil penilaian."))
    if actor.write_agency_ids is not None:
        agencies = agencies.filter(pk__in=actor.write_agency_ids)
    form = AssessmentImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and agency is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = importing.assessment_import(actor=actor, agency=agency, data=upload.read(), filename=upload.name)
        except DomainError as exc:
            form.add_error(None, exc.message)
            problems = [m for m in exc.errors.get("file", []) if m != exc.message]
        else:
            messages.success(request, _("%(n)s hasil penilaian diimpor.") % {"n": n})
            return redirect(reverse("learning:competency_import") + f"?instansi={agency.pk}")
    return render(
        request,
        "learning/competency/import.html",
        {"nav": NAV, "agency": agency, "agencies": agencies, "form": form, "problems": problems},
    )


# --- Heat map ----------------------------------------------------------------------------------------

GROUP_LABELS = {
    "employee": gettext_lazy("Pegawai"),
    "unit": gettext_lazy("Unit kerja"),
    "agency": gettext_lazy("Instansi"),
    "region": gettext_lazy("Wilayah (provinsi)"),
}


def employee_matrix(employees) -> dict:
    """The gap per employee and competency (0 when the level is met), in the heat map's shape: four queries."""
    people = list(employees.values_list("pk", "name", "nip", "current_position_id"))
    standards = defaultdict(list)
    for pos, comp, level in CompetencyStandard.objects.filter(
        position_id__in={p[3] for p in people if p[3]}
    ).values_list("position_id", "competency_id", "required_level"):
        standards[pos].append((comp, level))
    held = selectors.held_levels([p[0] for p in people])
    cells, comps, groups = {}, set(), []
    for pk, name, nip, pos in people:
        groups.append((pk, name, nip))
        for comp, required in standards.get(pos, ()):
            h = held.get((pk, comp))
            if h is not None:
                comps.add(comp)
                cells[(pk, comp)] = max(0, required - h)
    codes = dict(Competency.objects.filter(pk__in=comps).values_list("pk", "code"))
    totals = defaultdict(int)
    for (_pk, comp), value in cells.items():
        totals[comp] += value
    columns = sorted(comps, key=lambda c: (-totals[c], codes[c]))
    return {"groups": groups, "competencies": [(c, codes[c]) for c in columns], "cells": cells}


def colour(value) -> str:
    """Green for no gap through amber to red for a mean gap of three levels or more."""
    if value is None:
        return ""
    hue = round(120 * (1 - min(float(value), 3.0) / 3.0))
    return f"background-color: hsl({hue}, 70%, 82%)"


@login_required
@shows_refusal
def heatmap(request):
    """Mean gap per competency and group (employee, unit, agency or region), the largest gaps first."""
    actor = get_actor(request.user)
    reader = reads_registry(actor)
    if not reader and not actor.is_supervisor:
        raise PermissionDenied(_("Peta kesenjangan kompetensi untuk atasan dan admin kepegawaian."))
    agency, agencies = (None, Agency.objects.none())
    if reader:
        agency, agencies = pick_agency(request, actor)
        employees = Employee.objects.visible_to(actor).active()
        if agency is not None:
            employees = employees.filter(agency=agency)
        groups = ["unit", "agency", "region"] + (["employee"] if agency is not None else [])
        default = "unit" if agency is not None else "region"
    else:
        employees = Employee.objects.filter(pk__in=direct_reports(actor)).active()
        groups, default = ["employee", "unit"], "employee"
    group = request.GET.get("kelompok") or default
    if group not in groups:
        raise Http404
    if group == "employee":
        data = employee_matrix(employees)
    else:
        data = selectors.gap_heatmap(employees, group)
        data["groups"] = [(g, name, None) for g, name in data["groups"]]
    columns = data["competencies"]
    rows = []
    for key, name, nip in data["groups"]:
        values = [data["cells"].get((key, c)) for c, _code in columns]
        known = [v for v in values if v is not None]
        mean = round(sum(known) / len(known), 2) if known else None
        rows.append({"key": key, "name": name or "—", "nip": nip, "mean": mean, "cells": values})
    rows.sort(key=lambda r: (-(r["mean"] if r["mean"] is not None else -1), str(r["name"])))
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        headers = [str(GROUP_LABELS[group]), _("Rata-rata kesenjangan")] + [code for _c, code in columns]
        lines = ([r["name"], r["mean"]] + r["cells"] for r in rows)
        return export_response(fmt, f"peta-kesenjangan-{group}", headers, lines)
    codes = dict(columns)
    names = {key: name for key, name, _nip in data["groups"]}
    largest = sorted(
        ((v, names[g], codes[c]) for (g, c), v in data["cells"].items() if v and c in codes),
        key=lambda x: (-x[0], str(x[1]), x[2]),
    )[:10]
    shown = rows[:MATRIX_ROWS]
    for r in shown:
        r["cells"] = [(v, colour(v)) for v in r["cells"]]
        r["style"] = colour(r["mean"])
    return render(
        request,
        "learning/competency/heatmap.html",
        {
            "nav": NAV,
            "agency": agency,
            "agencies": agencies,
            "reader": reader,
            "group": group,
            "groups": [(g, GROUP_LABELS[g]) for g in groups],
            "columns": columns,
            "rows": shown,
            "hidden": len(rows) - len(shown),
            "largest": largest,
            "legend": [(v, colour(v)) for v in (0, 0.5, 1, 1.5, 2, 3)],
        },
    )
