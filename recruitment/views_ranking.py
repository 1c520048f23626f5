"""Pages of the SKD ranking, the SKB scores and the final result: the committee's desk per formation, the
SKB import, the publication and the exports; and, once announced, the public final result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.export import export_response
from organization.models import Agency
from recruitment import ranking
from recruitment.access import access_formation, access_period_agency, committee_scope
from recruitment.choices import ApplicationStatus
from recruitment.forms_ranking import SkbEntryForm, SkbImportForm
from recruitment.models import FinalPublication, Formation, FormationQuota, RecruitmentPeriod

EXPORT_KINDS = {"skd": "peringkat-skd", "akhir": "hasil-akhir", "skb": "templat-nilai-skb"}


def _formation(request, formation_id: int) -> Formation:
    return access_formation(get_actor(request.user), formation_id)


def _period_agency(request, period_id: int, agency_id: int) -> tuple[RecruitmentPeriod, Agency]:
    return access_period_agency(get_actor(request.user), period_id, agency_id)


@login_required
def desk(request):
    """The committee's list of formations of a period with their progress to the final result."""
    scope = committee_scope(get_actor(request.user))
    if not scope.any:
        raise Http404
    periods = RecruitmentPeriod.objects.all()
    wanted = request.GET.get("periode", "")
    period = (periods.filter(pk=wanted).first() if wanted.isdigit() else None) or periods.first()
    formations = Formation.objects.none()
    if period is not None:
        eligible = Q(applications__status=ApplicationStatus.ELIGIBLE)
        quota = FormationQuota.objects.filter(formation=OuterRef("pk")).values("formation").annotate(t=Sum("quota"))
        formations = (
            Formation.objects.filter(period=period)
            .select_related("agency", "unit")
            .annotate(
                quota_total=Subquery(quota.values("t")),
                eligible_count=Count("applications", filter=eligible, distinct=True),
                sat_count=Count(
                    "applications",
                    filter=eligible & Q(applications__participant__finished_at__isnull=False),
                    distinct=True,
                ),
                skb_count=Count("applications__skb_score", filter=eligible, distinct=True),
            )
            .order_by("agency__name", "position_title", "pk")
        )
        if scope.agency_ids is not None:
            formations = formations.filter(agency_id__in=scope.agency_ids)
    page = Paginator(formations, 50).get_page(request.GET.get("page"))
    published = {
        p.agency_id: p
        for p in FinalPublication.objects.filter(period=period, agency_id__in={f.agency_id for f in page})
    }
    groups: dict = {}
    for f in page:
        groups.setdefault(f.agency, []).append(f)
    return render(
        request,
        "recruitment/ranking/desk.html",
        {
            "period": period,
            "periods": periods,
            "page": page,
            "groups": [(agency, published.get(agency.pk), rows) for agency, rows in groups.items()],
            "nav": "recruitment",
        },
    )


@login_required
def formation_detail(request, formation_id: int):
    """One formation: quotas, the SKD ranking per category, who goes to the SKB, SKB entry, the final list."""
    formation = _formation(request, formation_id)
    result = ranking.formation_ranking(formation)
    publication = ranking.publication_of(formation.period_id, formation.agency_id) if result.published else None
    return render(
        request,
        "recruitment/ranking/formation.html",
        {
            "r": result,
            "f": formation,
            "publication": publication,
            "grades": {c.category: ranking.grade_text(c.grade) for c in result.categories},
            "chart": ranking.histogram(result),
            "default_maximum": result.skb_maximum if result.skb_maximum is not None else 100,
            "nav": "recruitment",
        },
    )


@login_required
@require_POST
def skb_enter(request, formation_id: int):
    """Record one SKB score (or absence) from the formation page."""
    formation = _formation(request, formation_id)
    form = SkbEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian nilai SKB tidak lengkap."))
        return redirect("recruitment:ranking_formation", formation_id=formation.pk)
    data = form.cleaned_data
    application = get_object_or_404(formation.applications.all(), pk=data["application"])
    try:
        ranking.skb_enter(
            actor=get_actor(request.user),
            application=application,
            score=data["score"],
            maximum=data["maximum"],
            absent=data["absent"],
            ipk=data["ipk"],
            reason=data["reason"],
        )
    except DomainError as exc:
        messages.error(request, f"{application.registration_number}: {exc.message}")
    else:
        messages.success(request, _("Nilai SKB %(no)s tersimpan.") % {"no": application.registration_number})
    return redirect(reverse("recruitment:ranking_formation", args=[formation.pk]) + f"#skb-{application.category}")


@login_required
def skb_import(request, period_id: int, agency_id: int):
    """Import the SKB scores of an agency's SKB participants from xlsx or CSV: all rows or none."""
    period, agency = _period_agency(request, period_id, agency_id)
    form = SkbImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = ranking.skb_import(
                actor=get_actor(request.user),
                period=period,
                agency=agency,
                data=ranking.skb_file_bytes(upload),
                filename=upload.name,
                maximum=form.cleaned_data["maximum"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s nilai SKB disimpan atau diubah.") % {"n": n})
            return redirect(f"{reverse('recruitment:ranking')}?periode={period.pk}")
    return render(
        request,
        "recruitment/ranking/skb_import.html",
        {"form": form, "period": period, "agency": agency, "headers": ranking.SKB_HEADERS, "nav": "recruitment"},
    )


@login_required
def skb_template(request, period_id: int, agency_id: int, fmt: str):
    """The agency's SKB participants as the file to fill in and import."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    period, agency = _period_agency(request, period_id, agency_id)
    headers, rows = ranking.skb_template(ranking.agency_rankings(period, agency))
    return export_response(fmt, f"templat-nilai-skb-{agency.code}-{period.year}", headers, rows)


@login_required
def final_publish(request, period_id: int, agency_id: int):
    """Check and publish the agency's final result; refused while an SKB score is missing."""
    period, agency = _period_agency(request, period_id, agency_id)
    publication = ranking.publication_of(period.pk, agency.pk)
    if publication is not None:
        return redirect("recruitment:final_public", period_id=period.pk, agency_id=agency.pk)
    if request.method == "POST":
        try:
            ranking.final_publish(actor=get_actor(request.user), period=period, agency=agency)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Hasil akhir diumumkan."))
            return redirect("recruitment:final_public", period_id=period.pk, agency_id=agency.pk)
    rankings = ranking.agency_rankings(period, agency)
    return render(
        request,
        "recruitment/ranking/publish.html",
        {
            "period": period,
            "agency": agency,
            "rankings": rankings,
            "missing": [r for f in rankings for r in f.missing_skb],
            "nav": "recruitment",
        },
    )


@login_required
def export(request, formation_id: int, kind: str, fmt: str):
    """The formation's SKD ranking, final list (frozen once published) or SKB template, as xlsx or CSV."""
    if kind not in EXPORT_KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    formation = _formation(request, formation_id)
    result = ranking.formation_ranking(formation)
    if kind == "skd":
        headers, rows = ranking.skd_export(result)
    elif kind == "akhir":
        headers, rows = ranking.final_export(result)
    else:
        headers, rows = ranking.skb_template([result])
    return export_response(fmt, f"{EXPORT_KINDS[kind]}-formasi-{formation.pk}", headers, rows)


def public_list(request):
    """Published final results, for everyone."""
    page = Paginator(ranking.publications(), 50).get_page(request.GET.get("page"))
    return render(request, "recruitment/ranking/public_list.html", {"page": page, "nav": "recruitment"})


def public_result(request, period_id: int, agency_id: int):
    """The announced final result of an agency, frozen at publication; nothing before it is announced."""
    publication = ranking.publication_of(period_id, agency_id)
    if publication is None:
        raise Http404
    return render(
        request,
        "recruitment/ranking/public.html",
        {"p": publication, "groups": ranking.published_results(publication), "nav": "recruitment"},
    )
