"""The participant's side of the CAT: login with number and PIN, the exam page, and the JSON endpoints the
page talks to. The endpoints authenticate with a signed token in a header, not a cookie session, so a
long exam never fails on an expired session; the token stays valid until the sheet is closed, and the
server checks on every call that it belongs to the participant's one active device."""

import json

from django.core import signing
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from exams import operations, rules, services
from exams.board import passing_for
from exams.models import Answer, Participant, Question, SheetItem

TOKEN_SALT = "exams.cat"
STATUS_FOR = {"device": 409, "time": 410, "finished": 410, "not_open": 425, "unknown": 401, "login": 401, "locked": 429}


def _error(exc: DomainError) -> JsonResponse:
    response = JsonResponse({"error": exc.code, "message": exc.message}, status=STATUS_FOR.get(exc.code, 400))
    if exc.code == "not_open":
        response["Retry-After"] = "5"
    return response


def _claims(request) -> tuple[int, str] | None:
    try:
        data = signing.loads(request.headers.get("X-CAT-Token", ""), salt=TOKEN_SALT)
        return int(data["p"]), str(data["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _unauthorized() -> JsonResponse:
    return JsonResponse({"error": "unknown", "message": _("Silakan masuk dengan nomor peserta dan PIN.")}, status=401)


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _remaining_ms(deadline, now) -> int:
    return max(0, int((deadline - now).total_seconds() * 1000)) if deadline else 0


@never_cache
def login_page(request):
    return render(request, "exams/login.html")


@never_cache
def exam_page(request):
    strings = {
        "saved": _("Tersimpan"),
        "saving": _("Menyimpan…"),
        "offline": _("Terputus — jawaban disimpan ulang otomatis"),
        "online": _("Tersambung"),
        "pending": _("%(n)s jawaban menunggu terkirim"),
        "device": _("Ujian ini sedang dibuka di perangkat lain. Minta bantuan operator."),
        "confirm": _("Akhiri ujian? %(empty)s soal kosong, %(doubtful)s ragu-ragu."),
        "passing": _("Memenuhi nilai ambang batas."),
        "failing": _("Belum memenuhi nilai ambang batas."),
        "nograde": _("Nilai ambang batas ditetapkan kemudian."),
        "timeup": _("Waktu habis. Lembar jawaban ditutup."),
        "finishing": _("Menunggu semua jawaban tersimpan sebelum mengakhiri ujian…"),
        "question": _("Soal"),
    }
    return render(request, "exams/exam.html", {"strings": strings})


@csrf_exempt
@require_POST
def api_login(request):
    """Number and PIN → the token of this device (any earlier device stops being accepted)."""
    data = _body(request)
    try:
        participant, device = operations.participant_login(
            number=str(data.get("number", "")), pin=str(data.get("pin", ""))
        )
    except DomainError as exc:
        return _error(exc)
    token = signing.dumps({"p": participant.pk, "d": device}, salt=TOKEN_SALT, compress=True)
    return JsonResponse({"token": token, "number": participant.number, "name": participant.name})


def _state(p: Participant, now) -> dict:
    blueprint = rules.BLUEPRINTS[p.session.blueprint]
    grid = [part.subtest for part in blueprint.parts for _i in range(part.questions)]
    answers = {
        str(pos): {"option": opt, "doubtful": doubtful, "seq": seq}
        for pos, opt, doubtful, seq in Answer.objects.filter(participant=p).values_list(
            "position", "option_id", "doubtful", "seq"
        )
    }
    return {
        "number": p.number,
        "name": p.name,
        "session": p.session.code,
        "subtests": grid,
        "answers": answers,
        "max_seq": max((a["seq"] for a in answers.values()), default=0),
        "remaining_ms": _remaining_ms(p.deadline, now),
        "minutes": blueprint.minutes_for(visually_impaired=p.visually_impaired),
    }


@csrf_exempt
@require_POST
def api_start(request):
    """Start or resume: the grid, the answers already stored and the time left by the server's clock."""
    claims = _claims(request)
    if claims is None:
        return _unauthorized()
    participant = Participant.objects.filter(pk=claims[0]).select_related("session").first()
    if participant is None:
        return _unauthorized()
    if participant.device_token != claims[1]:
        return _error(DomainError(_("Ujian ini sedang dibuka di perangkat lain."), code="device"))
    now = timezone.now()
    if participant.session.opened_at is None or now < participant.session.opened_at:
        # Thousands of pages wait for the opening: answer them without a transaction or a lock.
        return _error(DomainError(_("Sesi belum dibuka oleh operator. Mohon menunggu."), code="not_open"))
    try:
        p = services.participant_start(participant=participant, device_token=claims[1], now=now)
    except DomainError as exc:
        return _error(exc)
    if p.deadline <= now:
        return JsonResponse(_result(services.participant_finish(participant=p, now=now)), status=410)
    return JsonResponse(_state(p, now))


def question_content(question_id: int) -> dict:
    """The text and option texts of a question version (never its points); versions never change, so
    the cache needs no invalidation."""
    key = f"cat:q:{question_id}"
    content = cache.get(key)
    if content is None:
        q = Question.objects.filter(pk=question_id).prefetch_related("options").first()
        content = {"subtest": q.subtest, "text": q.text, "options": {str(o.pk): o.text for o in q.options.all()}}
        cache.set(key, content, 6 * 3600)
    return content


@require_GET
def api_question(request, position: int):
    """One question of the participant's sheet, options in the participant's own order."""
    claims = _claims(request)
    if claims is None:
        return _unauthorized()
    item = (
        SheetItem.objects.filter(
            participant_id=claims[0],
            position=position,
            participant__device_token=claims[1],
            participant__finished_at__isnull=True,
        )
        .values("question_id", "option_order")
        .first()
    )
    if item is None:
        return JsonResponse({"error": "invalid", "message": _("Soal tidak tersedia.")}, status=404)
    content = question_content(item["question_id"])
    options = [{"id": o, "text": content["options"][str(o)]} for o in item["option_order"]]
    response = JsonResponse(
        {"position": position, "subtest": content["subtest"], "text": content["text"], "options": options}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
@require_POST
def api_answer(request):
    """Store one answer durably, then acknowledge it with the sequence number stored."""
    claims = _claims(request)
    if claims is None:
        return _unauthorized()
    data = _body(request)
    try:
        position, seq = int(data["position"]), int(data["seq"])
        option = data.get("option")
        option = int(option) if option is not None else None
    except (KeyError, TypeError, ValueError):
        return JsonResponse({"error": "invalid", "message": _("Jawaban tidak sesuai soal.")}, status=400)
    now = timezone.now()
    try:
        ack = services.answer_save(
            participant_id=claims[0],
            device_token=claims[1],
            position=position,
            option_id=option,
            seq=seq,
            doubtful=bool(data.get("doubtful")),
            now=now,
        )
    except DomainError as exc:
        return _error(exc)
    deadline = ack.pop("deadline")
    ack["remaining_ms"] = _remaining_ms(deadline, now)
    return JsonResponse(ack)


def _result(p: Participant) -> dict:
    score = rules.Score(p.twk or 0, p.tiu or 0, p.tkp or 0)
    passing = passing_for(p)
    return {
        "finished": True,
        "number": p.number,
        "name": p.name,
        "twk": score.twk,
        "tiu": score.tiu,
        "tkp": score.tkp,
        "total": score.total,
        "passing": passing.met_by(score) if passing else None,
        "receipt": p.receipt,
    }


@csrf_exempt
@require_POST
def api_finish(request):
    """Close the sheet at the participant's request or when the page's timer reaches zero."""
    claims = _claims(request)
    if claims is None:
        return _unauthorized()
    p = Participant.objects.filter(pk=claims[0]).select_related("session__period", "application").first()
    if p is None:
        return _unauthorized()
    if p.finished_at is None and p.device_token != claims[1]:
        return _error(DomainError(_("Ujian ini sedang dibuka di perangkat lain."), code="device"))
    try:
        p = services.participant_finish(participant=p)
    except DomainError as exc:
        return _error(exc)
    return JsonResponse(_result(p))


@require_GET
def api_status(request):
    """The heartbeat: time left (an incident's extra time shows up here) and whether this device still holds the exam."""
    claims = _claims(request)
    if claims is None:
        return _unauthorized()
    p = Participant.objects.filter(pk=claims[0]).values("device_token", "deadline", "finished_at").first()
    if p is None:
        return _unauthorized()
    if p["device_token"] != claims[1]:
        return _error(DomainError(_("Ujian ini sedang dibuka di perangkat lain."), code="device"))
    return JsonResponse(
        {"remaining_ms": _remaining_ms(p["deadline"], timezone.now()), "finished": bool(p["finished_at"])}
    )
