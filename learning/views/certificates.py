"""Certificates: the public page that verifies a certificate by its code without login (lookups are
rate-limited per address so codes cannot be enumerated), and the certificate as a PDF for its holder
and the agency's HR."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import get_actor
from learning import forms_catalogue as f
from learning.choices import EnrollmentStatus
from learning.models import Enrollment

LOOKUPS_ALLOWED = 30  # per address and window: plenty for a person checking certificates by hand
LOOKUP_WINDOW = 10 * 60  # seconds


def mask_nip(nip: str) -> str:
    """Show the first four and last four digits only: the rest holds the birth date."""
    return f"{nip[:4]}{'•' * max(0, len(nip) - 8)}{nip[-4:]}" if len(nip) > 8 else "•" * len(nip)


def _client_ip(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def _over_limit(request) -> bool:
    """Count this lookup against the caller's address; True once the window's allowance is spent."""
    key = f"learning:certificate-lookups:{_client_ip(request)}"
    cache.add(key, 0, LOOKUP_WINDOW)
    try:
        n = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, LOOKUP_WINDOW)
        n = 1
    return n > LOOKUPS_ALLOWED


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def lookup(request):
    """The public form: type a certificate's verification code."""
    form = f.CertificateLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        return redirect("learning:catalogue_certificate", code=code)
    return _public(render(request, "learning/catalogue/certificate_public.html", {"form": form, "searched": False}))


def verify(request, code: str):
    """The public verification of one certificate: holder (NIP partly masked), programme, JP, dates,
    provider and validity; an unknown code says so plainly."""
    form = f.CertificateLookupForm(initial={"code": code})
    if _over_limit(request):
        ctx = {"form": form, "searched": True, "limited": True, "minutes": LOOKUP_WINDOW // 60}
        resp = render(request, "learning/catalogue/certificate_public.html", ctx, status=429)
        resp["Retry-After"] = str(LOOKUP_WINDOW)
        return _public(resp)
    e = (
        Enrollment.objects.filter(certificate=code.strip().upper(), status=EnrollmentStatus.COMPLETED)
        .exclude(certificate="")
        .select_related("employee", "event__program", "event__agency", "jp_entry")
        .first()
    )
    ctx = {"form": form, "searched": True, "code": code.upper(), "e": e}
    if e is not None:
        ctx["nip"] = mask_nip(e.employee.nip)
    return _public(render(request, "learning/catalogue/certificate_public.html", ctx, status=200 if e else 404))


@login_required
def certificate_pdf(request, enrollment_id: int):
    """The certificate as a PDF, for its holder and the HR of the holder's or the organiser's agency."""
    from learning.documents import certificate_pdf as render_pdf

    actor = get_actor(request.user)
    e = (
        Enrollment.objects.filter(pk=enrollment_id, status=EnrollmentStatus.COMPLETED)
        .exclude(certificate="")
        .select_related("employee", "event__program", "event__agency", "jp_entry")
        .first()
    )
    if e is None or not (
        actor.employee_id == e.employee_id
        or actor.can_write_agency(e.employee.agency_id)
        or actor.can_write_agency(e.event.agency_id)
    ):
        raise Http404
    url = request.build_absolute_uri(reverse("learning:catalogue_certificate", args=[e.certificate]))
    resp = HttpResponse(render_pdf(e, verify_url=url), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="Sertifikat-{e.certificate}.pdf"'
    return resp
