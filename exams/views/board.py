"""The live public scoreboard: a page for anyone, fed by a JSON endpoint it polls every second."""

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exams import board as live
from exams import publication
from exams.models import ExamSession


def _session(key: str) -> ExamSession:
    return get_object_or_404(ExamSession.objects.select_related("room__site", "period"), public_key=key)


@require_GET
def board_page(request, key: str):
    session = _session(key)
    labels = {
        "finished": _("Selesai"),
        "working": _("Sedang ujian"),
        "waiting": _("Belum mulai"),
        "pass": _("Memenuhi ambang batas"),
        "fail": _("Tidak memenuhi ambang batas"),
    }
    context = {
        "session": session,
        "data": live.board(session),
        "labels": labels,
        "closed": publication.session_closed(session),
        "nav": "recruitment",
    }
    return render(request, "exams/board.html", context)


@require_GET
def board_data(request, key: str):
    response = JsonResponse(live.board(_session(key)))
    response["Cache-Control"] = "public, max-age=1"
    return response


@require_GET
def board_log(request, key: str):
    """The session's answer log for anyone to verify, once every participant has finished."""
    session = _session(key)
    if not publication.session_closed(session):
        return HttpResponse(
            _("Log diterbitkan setelah semua peserta sesi selesai."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(publication.log_lines(session), content_type="application/x-ndjson")
    response["Content-Disposition"] = f'attachment; filename="log-{session.code}.jsonl"'
    return response
