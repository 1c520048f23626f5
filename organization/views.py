from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.db import dashboard_db
from core.export import export_response
from organization.access import access_agency
from organization.choices import PositionType
from organization.models import OrgUnit, Position, Province, RegionalOffice
from organization.selectors import agencies_with_headcount, agency_overview, unit_tree
from personnel.choices import EmployeeType, Gender
from personnel.supervision import supervision_worklist


@login_required
def agency_list(request):
    actor = get_actor(request.user)
    agencies = agencies_with_headcount(actor)
    if not (actor.org_agency_ids is None or actor.org_agency_ids):
        raise Http404
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = ([a.code, a.name, a.get_kind_display(), a.province, a.regency or "", a.headcount] for a in agencies)
        return export_response(
            fmt, "instansi", [_("Kode"), _("Nama"), _("Jenis"), _("Provinsi"), _("Kab/Kota"), _("Pegawai aktif")], rows
        )
    return render(request, "organization/agency_list.html", {"agencies": agencies, "nav": "organization"})


def _chart(labels, values, label):
    return {"labels": [str(x) for x in labels], "values": list(values), "label": str(label)}


@login_required
def agency_detail(request, agency_id: int):
    """Agency overview: headcount charts and the retirements due in the next five years."""
    actor = get_actor(request.user)
    agency = access_agency(actor, agency_id)
    ctx = {"agency": agency, "nav": "organization", "can_registry": actor.can_read_agency(agency.pk)}
    if ctx["can_registry"]:
        ov = agency_overview(agency, using=dashboard_db())
        ptype = dict(PositionType.choices)
        gender = dict(Gender.choices)
        etype = dict(EmployeeType.choices)
        ctx.update(
            ov=ov,
            charts={
                "rank": _chart(
                    [r["current_rank__code"] or _("(kosong)") for r in ov["ranks"]],
                    [r["n"] for r in ov["ranks"]],
                    _("Pegawai"),
                ),
                "ptype": _chart(
                    [ptype.get(r["current_position_type"], _("(belum ada jabatan)")) for r in ov["position_types"]],
                    [r["n"] for r in ov["position_types"]],
                    _("Pegawai"),
                ),
                "gender": _chart(
                    [gender.get(r["gender"]) for r in ov["genders"]], [r["n"] for r in ov["genders"]], _("Pegawai")
                ),
                "etype": _chart(
                    [etype.get(r["employee_type"]) for r in ov["types"]], [r["n"] for r in ov["types"]], _("Pegawai")
                ),
                "age": _chart([a for a, _n in ov["age_bands"]], [n for _a, n in ov["age_bands"]], _("Pegawai")),
                "edu": _chart(
                    [r["current_education__name"] or _("(kosong)") for r in ov["education"]],
                    [r["n"] for r in ov["education"]],
                    _("Pegawai"),
                ),
                "retire": _chart(
                    [y for y, _n in ov["retire_per_year"]], [n for _y, n in ov["retire_per_year"]], _("Pensiun")
                ),
            },
        )
    return render(request, "organization/agency_detail.html", ctx)


@login_required
def agency_units(request, agency_id: int):
    actor = get_actor(request.user)
    agency = access_agency(actor, agency_id)
    return render(
        request, "organization/unit_tree.html", {"agency": agency, "tree": unit_tree(agency), "nav": "organization"}
    )


@login_required
def agency_positions(request, agency_id: int):
    actor = get_actor(request.user)
    agency = access_agency(actor, agency_id)
    qs = (
        Position.objects.filter(agency=agency)
        .select_related("unit", "parent")
        .annotate(holders_now=Count("holders", filter=Q(holders__status="active")))
        .order_by("path")
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = get_object_or_404(OrgUnit, agency=agency, pk=int(request.GET["unit"]))
        qs = qs.filter(unit__path__startswith=unit.path)
    fmt = request.GET.get("export")
    headers = [
        _("Kode"),
        _("Jabatan"),
        _("Jenis"),
        _("Jenjang"),
        _("Kelas"),
        _("Unit"),
        _("Jabatan atasan"),
        _("Pemangku definitif"),
    ]
    rows = (
        [
            p.code,
            p.title,
            p.get_position_type_display(),
            p.get_level_display(),
            p.job_class,
            p.unit,
            p.parent or "",
            p.holders_now,
        ]
        for p in qs
    )
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, f"jabatan-{agency.code}", headers, rows)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request, "organization/position_list.html", {"agency": agency, "page": page, "q": q, "unit": unit, "nav": "organization"}
    )


@login_required
def agency_worklist(request, agency_id: int):
    """Positions with no holder and employees whose supervisor cannot be resolved."""
    actor = get_actor(request.user)
    agency = access_agency(actor, agency_id)
    if not actor.can_read_agency(agency.pk):
        raise Http404
    work = supervision_worklist(agency.pk)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = [
            [_("Pegawai tanpa atasan"), w.employee.nip, w.employee.name, w.position or "", w.text]
            for w in work["unresolved"]
        ]
        rows += [
            [_("Jabatan kosong"), "", "", w.position, w.text + (f" ({w.acting})" if w.acting else "")]
            for w in work["vacant"]
        ]
        return export_response(
            fmt,
            f"perbaikan-atasan-{agency.code}",
            [_("Masalah"), "NIP", _("Nama"), _("Jabatan"), _("Yang harus dilakukan")],
            rows,
        )
    return render(request, "organization/worklist.html", {"agency": agency, "work": work, "nav": "organization"})


@login_required
def regions(request):
    offices = RegionalOffice.objects.prefetch_related("provinces")
    provinces = Province.objects.annotate(n=Count("regencies"))
    return render(
        request, "organization/regions.html", {"offices": offices, "provinces": provinces, "nav": "organization"}
    )
