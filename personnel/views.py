from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.export import export_response, xlsx_response
from organization.models import Agency
from personnel import services
from personnel.access import access_employee
from personnel.filters import EmployeeFilter
from personnel.forms import AssignmentForm, EducationForm, EmployeeForm, RankForm
from personnel.importing import jobs
from personnel.importing.template import COLUMNS, HEADERS
from personnel.models import Employee, ImportJob
from personnel.selectors import employee_list_qs, employee_profile, import_jobs_visible_to
from personnel.tables import EmployeeTable

EXPORT_HEADERS = [
    "NIP",
    "Nama",
    "Gelar Depan",
    "Gelar Belakang",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Jenis Pegawai",
    "Status",
    "Golongan",
    "Jabatan",
    "Jenis Jabatan",
    "Unit",
    "Instansi",
    "Pendidikan",
    "TMT Pengangkatan",
    "TMT Pensiun",
]


def _require_registry(actor):
    if not actor.can_read_registry:
        raise Http404


@login_required
def employee_list(request):
    """Search, filter, sort and page through the employees in the actor's scope; export them."""
    actor = get_actor(request.user)
    _require_registry(actor)
    flt = EmployeeFilter(request.GET or None, queryset=employee_list_qs(actor), actor=actor)
    qs = flt.qs
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = (
            [
                e.nip,
                e.name,
                e.front_title,
                e.back_title,
                e.get_gender_display(),
                e.birth_date,
                e.get_employee_type_display(),
                e.get_status_display(),
                e.current_rank.code if e.current_rank else "",
                e.current_position or "",
                e.get_current_position_type_display() if e.current_position_type else "",
                e.current_unit or "",
                e.agency,
                e.current_education or "",
                e.tmt_appointment,
                e.retirement_date,
            ]
            for e in qs.select_related("current_education").iterator(chunk_size=2000)
        )
        return export_response(fmt, "pegawai", EXPORT_HEADERS, rows)
    table = EmployeeTable(qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    template = "personnel/_employee_table.html" if request.htmx else "personnel/employee_list.html"
    return render(request, template, {"filter": flt, "table": table, "nav": "personnel"})


@login_required
def employee_detail(request, nip: str):
    actor = get_actor(request.user)
    employee = access_employee(actor, nip)
    ctx = employee_profile(employee)
    ctx.update(nav="personnel", can_write=actor.can_write_agency(employee.agency_id))
    return render(request, "personnel/employee_detail.html", ctx)


@login_required
def my_profile(request):
    actor = get_actor(request.user)
    if not actor.employee_id:
        raise Http404
    nip = Employee.objects.visible_to(actor).filter(pk=actor.employee_id).values_list("nip", flat=True).first()
    if nip is None:
        raise Http404
    return redirect("personnel:detail", nip=nip)


# --- import ---------------------------------------------------------------------------------


class UploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("Instansi"), queryset=Agency.objects.none())
    file = forms.FileField(label=gettext_lazy("Berkas (xlsx atau CSV)"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            Agency.objects.all()
            if actor.write_agency_ids is None
            else Agency.objects.filter(pk__in=actor.write_agency_ids)
        )
        self.fields["agency"].queryset = qs
        if qs.count() == 1:
            self.fields["agency"].initial = qs.first()
        self.fields["agency"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.csv"})


def _require_writer(actor):
    if not actor.can_write_registry:
        raise Http404


@login_required
def import_home(request):
    actor = get_actor(request.user)
    _require_writer(actor)
    form = UploadForm(request.POST or None, request.FILES or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(
                actor=actor, agency=form.cleaned_data["agency"], upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return redirect("personnel:import_job", uid=job.uid)
    recent = import_jobs_visible_to(actor).select_related("agency", "created_by")[:20]
    return render(
        request, "personnel/import_home.html", {"form": form, "recent": recent, "columns": COLUMNS, "nav": "personnel"}
    )


@login_required
def import_template(request, fmt: str):
    actor = get_actor(request.user)
    _require_writer(actor)
    example = [c.example for c in COLUMNS]
    if fmt == "xlsx":
        return xlsx_response("templat-impor-pegawai", HEADERS, [example], title="Pegawai")
    if fmt == "csv":
        return export_response("csv", "templat-impor-pegawai", HEADERS, [example])
    raise Http404


def _job(actor, uid: str) -> ImportJob:
    job = import_jobs_visible_to(actor).select_related("agency", "created_by").filter(uid=uid).first()
    if job is None:
        raise Http404
    return job


@login_required
def import_job(request, uid: str):
    actor = get_actor(request.user)
    _require_writer(actor)
    job = _job(actor, uid)
    issues = job.issues.all()
    ctx = {
        "job": job,
        "nav": "personnel",
        "progress": jobs.job_progress(job),
        "issues_page": Paginator(issues, 100).get_page(request.GET.get("page")),
        "preview": jobs.preview_rows(job) if job.status == ImportJob.Status.VALIDATED else [],
        "columns": COLUMNS,
    }
    if request.htmx and request.GET.get("poll"):
        if job.is_running:
            return render(request, "personnel/_import_progress.html", ctx)
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, "personnel/import_job.html", ctx)


@login_required
def import_issues_export(request, uid: str, fmt: str):
    actor = get_actor(request.user)
    _require_writer(actor)
    job = _job(actor, uid)
    rows = (
        [i.row, i.column, i.message, _("galat") if i.severity == "error" else _("peringatan")]
        for i in job.issues.all().iterator()
    )
    return export_response(
        fmt if fmt == "xlsx" else "csv",
        f"laporan-galat-{job.uid}",
        [_("Baris"), _("Kolom"), _("Pesan"), _("Tingkat")],
        rows,
    )


@login_required
def import_commit(request, uid: str):
    actor = get_actor(request.user)
    _require_writer(actor)
    if request.method != "POST":
        return redirect("personnel:import_job", uid=uid)
    job = _job(actor, uid)
    try:
        if request.POST.get("action") == "cancel":
            jobs.import_job_cancel(actor=actor, job=job)
            messages.info(request, _("Impor dibatalkan; tidak ada data yang disimpan."))
        else:
            jobs.import_job_commit(actor=actor, job=job, mode=request.POST.get("mode", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        raise Http404 from None
    return redirect("personnel:import_job", uid=uid)


# --- writes from the profile ---------------------------------------------------------------

HISTORY_FORMS = {
    "jabatan": (AssignmentForm, gettext_lazy("Tambah riwayat jabatan"), services.assignment_add),
    "pangkat": (RankForm, gettext_lazy("Tambah riwayat pangkat/golongan"), services.rank_add),
    "pendidikan": (EducationForm, gettext_lazy("Tambah riwayat pendidikan"), services.education_add),
}


@login_required
def history_add(request, nip: str, kind: str):
    """Record a position, rank or diploma for an employee (agency admins)."""
    if kind not in HISTORY_FORMS:
        raise Http404
    actor = get_actor(request.user)
    employee = access_employee(actor, nip, for_write=True)
    form_class, title, service = HISTORY_FORMS[kind]
    form = form_class(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=actor, employee=employee, **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("personnel:detail", nip=employee.nip)
    return render(
        request, "personnel/form.html", {"form": form, "title": title, "employee": employee, "nav": "personnel"}
    )


@login_required
def employee_new(request):
    """Register one employee by hand (for many, the import)."""
    actor = get_actor(request.user)
    _require_writer(actor)
    agencies = (
        Agency.objects.all() if actor.write_agency_ids is None else Agency.objects.filter(pk__in=actor.write_agency_ids)
    )
    agency = agencies.filter(pk=request.GET.get("agency") or 0).first() or agencies.order_by("name").first()
    if agency is None:
        raise Http404
    form = EmployeeForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            employee = services.employee_create(
                actor=actor,
                agency=agency,
                data={k: d[k] for k in EmployeeForm.IDENTITY},
                rank=d["rank"],
                rank_decree=d["rank_decree"],
                position=d["position"],
                position_decree=d["position_decree"],
                education=d["education"],
                education_number=d["education_number"] or "-",
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Pegawai tersimpan."))
            return redirect("personnel:detail", nip=employee.nip)
    title = _("Tambah pegawai — %(agency)s") % {"agency": agency}
    return render(
        request,
        "personnel/form.html",
        {"form": form, "title": title, "agencies": agencies, "agency": agency, "nav": "personnel"},
    )
