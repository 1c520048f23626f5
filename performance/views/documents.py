"""Files of a plan: uploaded evidence and the SKP and evaluation PDFs, each behind the plan's access."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404

from accounts.access import get_actor
from performance.access import access_skp
from performance.models import Evidence


@login_required
def evidence_file(request, skp_id: int, evidence_id: int):
    """An uploaded evidence file, served only to those who may read the plan (never from /media/)."""
    skp = access_skp(get_actor(request.user), skp_id)
    ev = get_object_or_404(Evidence, rhk__skp=skp, pk=evidence_id, kind="file")
    return FileResponse(ev.file.open("rb"), as_attachment=False, filename=Path(ev.file.name).name)


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    resp = HttpResponse(content, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


@login_required
def skp_pdf(request, skp_id: int):
    from performance.documents import skp_pdf as render_pdf

    skp = access_skp(get_actor(request.user), skp_id)
    return _pdf_response(render_pdf(skp), f"SKP-{skp.perf_year.year}-{skp.employee.nip}.pdf")


@login_required
def evaluation_pdf(request, skp_id: int, period_id: int):
    from performance.documents import evaluation_pdf as render_pdf

    skp = access_skp(get_actor(request.user), skp_id)
    period = get_object_or_404(skp.perf_year.periods, pk=period_id)
    return _pdf_response(
        render_pdf(skp, period), f"Evaluasi-{period.label}-{skp.perf_year.year}-{skp.employee.nip}.pdf"
    )
