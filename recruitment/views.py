"""The public portal of the selection: formations searchable without an account."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language

from organization.models import Agency
from personnel.models import EducationLevel
from recruitment.choices import Category
from recruitment.models import RecruitmentPeriod
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
