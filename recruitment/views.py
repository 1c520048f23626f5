"""The public portal of the selection: formations searchable without an account."""

import hashlib
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from organization.models import Agency
from personnel.models import EducationLevel
from recruitment import services
from recruitment.access import access_application, committee_scope
from recruitment.choices import ApplicationStatus, Category, DocumentKind, IneligibleReason
from recruitment.forms import ApplyForm, RegisterForm
from recruitment.models import Announcement, Appeal, Applicant, Application, Formation, RecruitmentPeriod
from recruitment.rules import DOCUMENT_RULES
from recruitment.selectors import public_formations

PAGE_SIZE = 25
CACHE_SECONDS = 60  # the registration-day surge reads the same pages over and over
CACHE_VERSION_KEY = "formasi:version"  # bumped when formations change, so a change shows at once


def _int(value):
    return int(value) if value and str(value).isdigit() else None


def formation_search(request):
    """Search published formations by text, period, agency, category and education; no login."""
    params = {
        "q": request.GET.get("q", "").strip()[:100],
        "periode": _int(request.GET.get("periode")),
        "instansi": _int(request.GET.get("instansi")),
        "kategori": request.GET.get("kategori", "") if request.GET.get("kategori") in Category.values else "",
        "pendidikan": _int(request.GET.get("pendidikan")),
        "page": _int(request.GET.get("page")) or 1,
    }
    version = cache.get_or_set(CACHE_VERSION_KEY, 1, None)
    raw = repr((version, get_language(), sorted(params.items()))).encode()
    key = "formasi:" + hashlib.sha256(raw).hexdigest()
    data = cache.get(key)
    if data is None:
        qs = public_formations(
            period=RecruitmentPeriod.objects.filter(pk=params["periode"]).first() if params["periode"] else None,
            agency=Agency.objects.filter(pk=params["instansi"]).first() if params["instansi"] else None,
            category=params["kategori"],
            education=EducationLevel.objects.filter(pk=params["pendidikan"]).first() if params["pendidikan"] else None,
            text=params["q"],
        )
        page = Paginator(qs, PAGE_SIZE).get_page(params["page"])
        labels = dict(Category.choices)
        data = {
            "count": page.paginator.count,
            "number": page.number,
            "num_pages": page.paginator.num_pages,
            "rows": [
                {
                    "id": f.pk,
                    "period": f.period.name,
                    "agency": f.agency.name,
                    "unit": f.unit.name,
                    "position": f.position_title,
                    "education": ", ".join(e.code for e in f.education.all()),
                    "majors": f.education_majors,
                    "quotas": [(str(labels[q.category]), q.quota) for q in f.quotas.all()],
                    "total": sum(q.quota for q in f.quotas.all()),
                }
                for f in page
            ],
        }
        cache.set(key, data, CACHE_SECONDS)
    ctx = {
        "data": data,
        "params": params,
        "periods": RecruitmentPeriod.objects.filter(published_at__isnull=False),
        "agencies": Agency.objects.filter(formations__period__published_at__isnull=False).distinct().order_by("name"),
        "categories": Category.choices,
        "educations": EducationLevel.objects.all(),
        "nav": "recruitment",
    }
    return render(request, "recruitment/formation_search.html", ctx)


def register(request):
    """Create an applicant account tied to a NIK, then sign in."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant = services.applicant_register(**form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            login(request, applicant.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Akun pelamar dibuat. Silakan pilih formasi."))
            return redirect("recruitment:formations")
    return render(request, "recruitment/register.html", {"form": form, "nav": "recruitment"})


@login_required
def apply(request, formation_id: int):
    """Apply for a published formation: one form, one idempotency key, one application however often sent."""
    applicant = Applicant.objects.filter(user=request.user).first()
    if applicant is None:
        raise PermissionDenied(_("Masuk dengan akun pelamar untuk melamar."))
    formation = get_object_or_404(
        Formation.objects.public().select_related("period", "agency", "unit"), pk=formation_id
    )
    labels = dict(Category.choices)
    categories = [(q.category, labels[q.category]) for q in formation.quotas.all()]
    form = ApplyForm(request.POST or None, categories=categories, initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=get_actor(request.user),
                formation=formation,
                category=form.cleaned_data["category"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return redirect("recruitment:receipt", number=application.registration_number)
    return render(request, "recruitment/apply.html", {"form": form, "formation": formation, "nav": "recruitment"})


@login_required
def receipt(request, number: str):
    """The applicant's receipt (tanda bukti pendaftaran): only their own; others answer 404."""
    application = get_object_or_404(
        Application.objects.select_related(
            "applicant", "formation__agency", "formation__unit", "period", "participant", "skb_score", "final_result"
        ),
        registration_number=number,
        applicant__user=request.user,
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "document":
                services.document_upload(
                    actor=get_actor(request.user),
                    application=application,
                    kind=request.POST.get("kind", ""),
                    file=request.FILES.get("file"),
                )
                messages.success(request, _("Dokumen diunggah."))
            else:
                services.appeal_submit(
                    actor=get_actor(request.user), application=application, text=request.POST.get("text", "")
                )
                messages.success(request, _("Sanggah Anda diterima panitia."))
        except DomainError as exc:
            messages.error(request, exc.message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(request.path)
    verdict = application.verifications.order_by("-stage").first()
    appeal = Appeal.objects.filter(application=application).first()
    p = application.period
    now = timezone.now()
    appeal_open = bool(p.appeal_opens and p.appeal_closes and p.appeal_opens <= now <= p.appeal_closes)
    latest = {}
    for d in application.documents.all():
        latest.setdefault(d.kind, d)
    documents = [
        {
            "kind": kind,
            "label": label,
            "doc": latest.get(kind),
            "accept": ",".join("." + t if t != "jpg" else ".jpg,.jpeg" for t in sorted(DOCUMENT_RULES[kind][0])),
            "max_bytes": DOCUMENT_RULES[kind][1],
            "max_kb": DOCUMENT_RULES[kind][1] // 1024,
        }
        for kind, label in DocumentKind.choices
    ]
    registration_open = application.period.registration_opens <= now <= application.period.registration_closes
    from recruitment.ranking import applicant_result

    return render(
        request,
        "recruitment/receipt.html",
        {
            "a": application,
            "verdict": verdict,
            "appeal": appeal,
            "appeal_open": appeal_open,
            "documents": documents,
            "registration_open": registration_open,
            "result": applicant_result(application),
            "nav": "recruitment",
        },
    )


@login_required
def document_file(request, number: str, document_id: int):
    """A document, for its applicant and for the committee of the formation's agency only."""
    application = access_application(get_actor(request.user), number)
    doc = get_object_or_404(application.documents, pk=document_id)
    return FileResponse(doc.file.open("rb"), filename=Path(doc.file.name).name)


@login_required
def mine(request):
    """The applicant's page: their application (with its receipt) or the way to the formations."""
    applicant = Applicant.objects.filter(user=request.user).first()
    if applicant is None:
        raise PermissionDenied(_("Halaman ini untuk pelamar."))
    applications = applicant.applications.select_related("period", "formation__agency", "formation__unit")
    return render(
        request, "recruitment/mine.html", {"applicant": applicant, "applications": applications, "nav": "recruitment"}
    )


@login_required
def committee(request):
    """The committee's desk: applications to verify, appeals to decide, announcements to publish."""
    actor = get_actor(request.user)
    scope = committee_scope(actor)
    if not scope.any:
        raise Http404
    apps = scope.applications().select_related("applicant", "formation__agency", "formation__unit", "period")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                app = get_object_or_404(apps, pk=request.POST.get("application") or 0)
                services.verification_decide(
                    actor=actor,
                    application=app,
                    eligible=request.POST.get("eligible") == "1",
                    reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Verifikasi %(no)s tersimpan.") % {"no": app.registration_number})
            elif action == "appeal":
                appeal = get_object_or_404(
                    Appeal.objects.filter(application__in=apps), pk=request.POST.get("appeal") or 0
                )
                services.appeal_decide(
                    actor=actor,
                    appeal=appeal,
                    granted=request.POST.get("granted") == "1",
                    response=request.POST.get("response", ""),
                )
                messages.success(request, _("Keputusan sanggah tersimpan."))
            elif action == "announce":
                period = get_object_or_404(RecruitmentPeriod, pk=request.POST.get("period") or 0)
                agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
                services.announcement_publish(
                    actor=actor,
                    period=period,
                    agency=agency,
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                )
                messages.success(request, _("Pengumuman diterbitkan."))
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect(request.get_full_path())
    status = request.GET.get("status", "submitted")
    listed = apps.filter(status=status) if status in ApplicationStatus.values else apps
    page = Paginator(listed.order_by("submitted_at", "pk").prefetch_related("verifications"), 50).get_page(
        request.GET.get("page")
    )
    appeals = Appeal.objects.filter(application__in=apps, decided_at__isnull=True).select_related(
        "application__applicant"
    )
    agency_choices = Agency.objects.all() if scope.agency_ids is None else Agency.objects.filter(pk__in=scope.agency_ids)
    return render(
        request,
        "recruitment/committee.html",
        {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "reasons": IneligibleReason.choices,
            "appeals": appeals,
            "periods": RecruitmentPeriod.objects.all(),
            "agency_choices": agency_choices,
            "counts": {s: apps.filter(status=s).count() for s in ApplicationStatus.values},
            "nav": "recruitment",
        },
    )


def announcements(request):
    """Published announcements, for everyone."""
    items = Announcement.objects.select_related("period", "agency")[:100]
    return render(request, "recruitment/announcements.html", {"items": items, "nav": "recruitment"})
