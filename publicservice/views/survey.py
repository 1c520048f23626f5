"""Satisfaction survey (SKM) pages. Public, without an account: the questionnaire behind a unit's (or a
desk's) code and its thank-you page. For the agency's survey officers: service units, survey periods and
desk links with their QR codes and printable sheet, the results with trends, the report and poster PDFs,
the export of responses, and the agency dashboard."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.export import xlsx_response
from organization.models import Agency
from publicservice import action_plans as ap
from publicservice import antispam, documents, feedback, rules, services
from publicservice.forms_survey import CampaignForm, PointForm, ServiceUnitForm, SurveyForm
from publicservice.models import SurveyCampaign, SurveyPoint, SurveyResponse

PURPOSE = "survey"
NAV = "publicservice"


# --- Public ------------------------------------------------------------------------------------------------


def _public(request, response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return antispam.remember_device(request, response)


def _unavailable(request, code: str, exc: DomainError):
    """A clear page for a code that leads nowhere (404) or a period that is not running today (410)."""
    campaign = None
    if exc.code == "closed":
        point = SurveyPoint.objects.filter(code=code).select_related("campaign__unit").first()
        campaign = point.campaign if point else SurveyCampaign.objects.filter(code=code).select_related("unit").first()
    ctx = {"message": exc.message, "campaign": campaign, "closed": exc.code == "closed"}
    status = 410 if exc.code == "closed" else 404
    return _public(request, render(request, "publicservice/survey/unavailable.html", ctx, status=status))


@require_http_methods(["GET", "POST"])
def survey_public(request, code: str):
    """The questionnaire: nine unsur on the 4-point scale and the respondent's profile; one answer per
    device per day, guarded by the public forms' challenge and rate limits."""
    try:
        campaign, point = services.survey_open(code)
    except DomainError as exc:
        return _unavailable(request, code, exc)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        try:
            antispam.verify(request, PURPOSE)
        except antispam.Refused as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            if valid:
                try:
                    services.survey_submit(
                        code=code,
                        answers=form.answers(),
                        profile=form.profile_data(),
                        device=antispam.device_id(request),
                        suggestion=form.cleaned_data["suggestion"],
                    )
                except DomainError as exc:
                    apply_to_form(form, exc)
                    status = 409 if exc.code == "duplicate" else 400
                else:
                    return _public(request, redirect("publicservice:survey_thanks", code=code))
            else:
                status = 400
    ctx = {
        "campaign": campaign,
        "unit": campaign.unit,
        "point": point,
        "form": form,
        "questions": [(bf, bf.field.unsur) for bf in form.questions],
        "antispam": antispam.issue_challenge(request, PURPOSE),
    }
    response = render(request, "publicservice/survey/public_form.html", ctx, status=status)
    if status == 429:
        response["Retry-After"] = str(antispam.config()["PER_ADDRESS"][1])
    return _public(request, response)


def survey_thanks(request, code: str):
    try:
        campaign, point = services.survey_open(code)
    except DomainError as exc:
        return _unavailable(request, code, exc)
    ctx = {"campaign": campaign, "unit": campaign.unit, "point": point}
    return _public(request, render(request, "publicservice/survey/thanks.html", ctx))


# --- Service units ----------------------------------------------------------------------------------------


def _agencies(actor, *, write: bool):
    scope = ap.survey_agencies(actor, write=write)
    qs = Agency.objects.order_by("name")
    return qs if scope is None else qs.filter(pk__in=scope)


@login_required
def survey_units(request):
    """The service units whose surveys the actor runs or reads, each with its latest period's IKM."""
    actor = get_actor(request.user)
    scope = ap.survey_agencies(actor)
    if scope is not None and not scope:
        raise Http404
    qs = ap.units_visible_to(actor).select_related("agency", "org_unit").annotate(n_campaigns=Count("campaigns"))
    agency_id = request.GET.get("instansi", "")
    if agency_id.isdigit():
        qs = qs.filter(agency_id=int(agency_id))
    page = Paginator(qs.order_by("agency__name", "name"), 50).get_page(request.GET.get("page"))
    latest: dict[int, SurveyCampaign] = {}
    for c in SurveyCampaign.objects.filter(unit__in=list(page.object_list)).order_by("unit_id", "-starts_on"):
        latest.setdefault(c.unit_id, c)
    results = feedback.results_by_campaign(latest.values())
    rows = []
    for u in page.object_list:
        c = latest.get(u.pk)
        rows.append(
            {
                "unit": u,
                "target": rules.krejcie_morgan(u.population),
                "campaign": c,
                "result": results.get(c.pk) if c else None,
            }
        )
    ctx = {
        "nav": NAV,
        "page": page,
        "rows": rows,
        "agencies": list(_agencies(actor, write=False)),
        "agency_id": int(agency_id) if agency_id.isdigit() else None,
        "may_create": bool(ap.survey_agencies(actor, write=True) is None or ap.survey_agencies(actor, write=True)),
    }
    return render(request, "publicservice/survey/units.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def survey_unit_edit(request, unit_id: int | None = None):
    """Create a service unit, or change one (name, organisation unit, services, population)."""
    actor = get_actor(request.user)
    unit = ap.access_unit(actor, unit_id, for_write=True) if unit_id else None
    agencies = _agencies(actor, write=True)
    if unit is None and not agencies.exists():
        raise Http404
    initial = {}
    if unit is not None:
        initial = {
            "name": unit.name,
            "org_unit": unit.org_unit_id,
            "services": unit.services,
            "address": unit.address,
            "population": unit.population,
            "active": unit.active,
        }
    elif request.GET.get("instansi", "").isdigit():
        initial["agency"] = int(request.GET["instansi"])
    form = ServiceUnitForm(
        request.POST or None, initial=initial, agencies=agencies, agency=unit.agency if unit else None
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = ap.service_unit_save(
                actor=actor,
                agency=unit.agency if unit else d["agency"],
                name=d["name"],
                org_unit=d["org_unit"],
                services=d["services"],
                address=d["address"],
                population=d["population"],
                active=d["active"],
                unit=unit,
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Unit layanan disimpan."))
            return redirect("publicservice:survey_unit", unit_id=saved.pk)
    return render(request, "publicservice/survey/unit_form.html", {"nav": NAV, "form": form, "unit": unit})


@login_required
def survey_unit(request, unit_id: int):
    """A service unit: its survey periods with results and the trend, its action plans, recurring themes."""
    actor = get_actor(request.user)
    unit = ap.access_unit(actor, unit_id)
    trend = feedback.unit_trend(unit)
    ctx = {
        "nav": NAV,
        "unit": unit,
        "target": rules.krejcie_morgan(unit.population),
        "trend": list(reversed(trend)),
        "trend_chart": feedback.trend_chart(trend) if any(r for _c, r in trend) else None,
        "plans": list(unit.action_plans.select_related("owner", "campaign").order_by("status", "due")),
        "themes": feedback.complaint_themes(unit, timezone.localdate() - datetime.timedelta(days=365)),
        "may_manage": ap.may_manage(actor, unit.agency_id),
        "today": timezone.localdate(),
    }
    return render(request, "publicservice/survey/unit.html", ctx)


# --- Survey periods and desks -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_campaign_edit(request, unit_id: int | None = None, campaign_id: int | None = None):
    """Open a survey period for a unit, or change one."""
    actor = get_actor(request.user)
    campaign = ap.access_campaign(actor, campaign_id, for_write=True) if campaign_id else None
    unit = campaign.unit if campaign else ap.access_unit(actor, unit_id, for_write=True)
    initial = {"population": unit.population, "weighting": SurveyCampaign.Weighting.EXACT}
    if campaign is not None:
        initial = {
            "name": campaign.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "population": campaign.population,
            "weighting": campaign.weighting,
        }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = ap.campaign_save(actor=actor, unit=unit, campaign=campaign, **form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Periode survei disimpan."))
            return redirect("publicservice:survey_results", campaign_id=saved.pk)
    ctx = {
        "nav": NAV,
        "form": form,
        "unit": unit,
        "campaign": campaign,
        "target": rules.krejcie_morgan(int(form["population"].value() or 0))
        if str(form["population"].value() or "").isdigit()
        else None,
    }
    return render(request, "publicservice/survey/campaign_form.html", ctx)


@login_required
@require_POST
def survey_point_add(request, campaign_id: int):
    actor = get_actor(request.user)
    campaign = ap.access_campaign(actor, campaign_id, for_write=True)
    form = PointForm(request.POST, agency_id=campaign.unit.agency_id)
    if form.is_valid():
        try:
            ap.survey_point_add(actor=actor, campaign=campaign, label=form.cleaned_data["label"], officer=form.officer)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tautan loket/petugas dibuat."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("publicservice:survey_results", campaign_id=campaign.pk)


def _point_of(campaign: SurveyCampaign, request) -> SurveyPoint | None:
    raw = request.GET.get("loket", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(SurveyPoint.objects.select_related("officer"), campaign=campaign, pk=int(raw))


def _public_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("publicservice:survey_public", kwargs={"code": code}))


@login_required
def survey_results(request, campaign_id: int):
    """Results of a period (or of one desk): respondents against the Krejcie–Morgan target, NRR and grade
    per unsur, IKM, converted index and grade, the weakest unsur, both weightings for a legacy period,
    results per desk, and the trend across the unit's periods."""
    actor = get_actor(request.user)
    campaign = ap.access_campaign(actor, campaign_id)
    point = _point_of(campaign, request)
    summary = feedback.campaign_summary(campaign, point)
    trend = feedback.unit_trend(campaign.unit)
    ctx = {
        "nav": NAV,
        "campaign": campaign,
        "unit": campaign.unit,
        "point": point,
        "summary": summary,
        "result": summary.result,
        "nrr_chart": feedback.nrr_chart(summary) if summary.result else None,
        "points": [] if point else feedback.point_summaries(campaign),
        "trend": trend,
        "trend_chart": feedback.trend_chart(trend) if any(r for _c, r in trend) else None,
        "public_url": _public_url(request, point.code if point else campaign.code),
        "plans": list(campaign.action_plans.select_related("owner").order_by("status", "due")),
        "may_manage": ap.may_manage(actor, campaign.unit.agency_id),
        "point_form": PointForm(agency_id=campaign.unit.agency_id),
        "grades": rules.GRADES,
        "today": timezone.localdate(),
    }
    return render(request, "publicservice/survey/results.html", ctx)


@login_required
def survey_qr(request, campaign_id: int, fmt: str):
    """The QR code of the period's public link (or a desk's, with ``?loket=``) as PNG or SVG."""
    if fmt not in ("png", "svg"):
        raise Http404
    actor = get_actor(request.user)
    campaign = ap.access_campaign(actor, campaign_id)
    point = _point_of(campaign, request)
    url = _public_url(request, point.code if point else campaign.code)
    name = f"QR-SKM-{campaign.pk}{f'-{point.pk}' if point else ''}"
    if fmt == "svg":
        resp = HttpResponse(documents.qr_svg(url), content_type="image/svg+xml")
    else:
        resp = HttpResponse(documents.qr_png(url), content_type="image/png")
    resp["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return resp


@login_required
def survey_qr_sheet(request, campaign_id: int):
    """A printable sheet: the period's QR code and each desk's, with their links and a short instruction."""
    actor = get_actor(request.user)
    campaign = ap.access_campaign(actor, campaign_id)
    cards = [(None, _public_url(request, campaign.code))]
    cards += [(p, _public_url(request, p.code)) for p in campaign.points.order_by("label")]
    ctx = {
        "nav": NAV,
        "campaign": campaign,
        "unit": campaign.unit,
        "cards": [{"point": p, "url": url, "svg": documents.qr_svg(url)} for p, url in cards],
    }
    return render(request, "publicservice/survey/qr_sheet.html", ctx)


def _pdf(content: bytes, name: str) -> HttpResponse:
    resp = HttpResponse(content, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


@login_required
def survey_report_pdf(request, campaign_id: int):
    campaign = ap.access_campaign(get_actor(request.user), campaign_id)
    return _pdf(documents.report_pdf(campaign), f"Laporan-SKM-{campaign.pk}.pdf")


@login_required
def survey_poster_pdf(request, campaign_id: int):
    campaign = ap.access_campaign(get_actor(request.user), campaign_id)
    return _pdf(documents.poster_pdf(campaign), f"Poster-IKM-{campaign.pk}.pdf")


@login_required
def survey_export(request, campaign_id: int):
    """Every response of the period as xlsx (without the device digests)."""
    campaign = ap.access_campaign(get_actor(request.user), campaign_id)
    labels = {
        "age_band": dict(SurveyResponse.AGE_BANDS),
        "gender": dict(SurveyResponse._meta.get_field("gender").choices),
        "education": dict(SurveyResponse.EDUCATION),
        "occupation": dict(SurveyResponse.OCCUPATION),
    }
    rows = (
        [
            i,
            r.day,
            r.point.label if r.point else "",
            *[getattr(r, c.lower()) for c in rules.CODES],
            *[str(labels[k].get(getattr(r, k), getattr(r, k))) for k in labels],
            r.suggestion,
        ]
        for i, r in enumerate(campaign.responses.select_related("point").order_by("created_at", "pk"), 1)
    )
    headers = [
        pgettext("row number", "No"),
        _("Tanggal"),
        _("Loket / petugas"),
        *[f"{c} {n}" for c, n in rules.UNSUR],
        _("Usia"),
        _("Jenis kelamin"),
        _("Pendidikan"),
        _("Pekerjaan"),
        _("Saran"),
    ]
    return xlsx_response(f"SKM-{campaign.pk}", headers, rows, title=_("Jawaban"))


@login_required
def survey_dashboard(request, agency_id: int):
    """The agency's survey dashboard: IKM per unit (latest period) and the open action plans."""
    actor = get_actor(request.user)
    agency = get_object_or_404(Agency, pk=agency_id)
    if not ap.may_read(actor, agency.pk):
        raise Http404
    today = timezone.localdate()
    ctx = {
        "nav": NAV,
        "agency": agency,
        "today": today,
        "may_manage": ap.may_manage(actor, agency.pk),
        **feedback.agency_overview(agency, today=today),
    }
    return render(request, "publicservice/survey/dashboard.html", ctx)
