"""Bench-only baselines served next to the real CAT endpoints (never part of the app): the URLconf that
bench/cat_settings.py gives the app server, the naive views the real ones are compared with, and prototypes
of a leaner start and question read (the start gate it once prototyped is exams.gate.StartGate).

- ``/bench/ping/``: a JSON answer through the whole middleware stack, no query (the framework's floor).
- ``/bench/naive/jawab/``: the answer save written the first way that comes to mind with the ORM: model
  instances fetched and saved whole, the option looked up as a row, the participant (the head of their
  answer chain) saved whole. Same guarantees as ``exams.services.answer_save`` (participant row lock, seq order, chained
  event, stored before the acknowledgement), so only the way it is written differs.
- ``/bench/naive/mulai/``: a start that draws the participant's sheet at start time through the ORM,
  one ``SheetItem.objects.create`` per question, reading the bank per request (what the real start
  avoids by drawing sheets at check-in from a per-process pool).
- ``/bench/naive/papan/<key>/``: the board rebuilt on every request (no one-second cache).
- ``/bench/proto/mulai/`` and ``/bench/proto/soal/<n>/``: prototypes of a leaner start and question fetch:
  the first start is one statement (the participant's clock set in one ``UPDATE … RETURNING`` joined
  with the session; the answers are read only on a resume), and a question is one
  indexed read plus a per-process copy of the question's text (versions never change), not a cache
  round trip. Refusals fall through to the real views, so only the hot path is prototyped.
"""

import datetime
import json
import random

from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from config.urls import urlpatterns as app_urlpatterns
from exams import board as live
from exams import rules
from exams.models import (
    Answer,
    AnswerEvent,
    ExamSession,
    Option,
    Participant,
    Question,
    SheetItem,
)
from exams.services import _event_hash
from exams.views.delivery import _claims, _remaining_ms


def ping(request):
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def naive_answer(request):
    claims = _claims(request)
    if claims is None:
        return JsonResponse({"error": "unknown"}, status=401)
    data = json.loads(request.body)
    position, seq, option_id = int(data["position"]), int(data["seq"]), data.get("option")
    now = timezone.now()
    with transaction.atomic():
        p = Participant.objects.select_for_update().select_related("session").filter(pk=claims[0]).first()
        if p is None:
            return JsonResponse({"error": "unknown"}, status=401)
        if p.device_token != claims[1]:
            return JsonResponse({"error": "device"}, status=409)
        if p.finished_at or p.deadline is None or now > p.deadline:
            return JsonResponse({"error": "time"}, status=410)
        item = SheetItem.objects.filter(participant=p, position=position).first()
        option = Option.objects.filter(pk=option_id).first() if option_id is not None else None
        if item is None or (option_id is not None and (option is None or option.pk not in item.option_order)):
            return JsonResponse({"error": "invalid"}, status=400)
        answer = Answer.objects.filter(participant=p, position=position).first()
        applied = answer is None or answer.seq < seq
        if answer is None:
            answer = Answer(participant=p, position=position)
        if applied:
            answer.option, answer.doubtful, answer.seq, answer.saved_at = option, bool(data.get("doubtful")), seq, now
            answer.save()
            event = AnswerEvent(
                session=p.session,
                participant=p,
                position=position,
                option_id=option_id,
                seq=seq,
                at=now,
                prev_hash=p.last_hash,
            )
            event.hash = _event_hash(p.last_hash, p.pk, position, option_id, seq, now)
            event.save()
            p.last_hash = event.hash
            p.save()
    remaining = max(0, int((p.deadline - now).total_seconds() * 1000))
    return JsonResponse({"position": position, "seq": answer.seq, "applied": applied, "remaining_ms": remaining})


@csrf_exempt
@require_POST
def naive_start(request):
    claims = _claims(request)
    if claims is None:
        return JsonResponse({"error": "unknown"}, status=401)
    now = timezone.now()
    with transaction.atomic():
        p = Participant.objects.select_for_update().select_related("session").filter(pk=claims[0]).first()
        if p is None or p.device_token != claims[1]:
            return JsonResponse({"error": "device"}, status=409)
        if p.session.opened_at is None:
            return JsonResponse({"error": "not_open"}, status=425)
        blueprint = rules.BLUEPRINTS[p.session.blueprint]
        if p.started_at is None:
            if not SheetItem.objects.filter(participant=p).exists():
                rng = random.Random(f"{p.session_id}:{p.number}")
                position = 1
                for part in blueprint.parts:
                    pool = list(Question.objects.filter(subtest=part.subtest, active=True).prefetch_related("options"))
                    for q in rng.sample(pool, part.questions):
                        order = [o.pk for o in q.options.all()]
                        rng.shuffle(order)
                        SheetItem.objects.create(participant=p, position=position, question=q, option_order=order)
                        position += 1
            p.started_at = now
            p.deadline = now + datetime.timedelta(minutes=blueprint.minutes_for(visually_impaired=p.visually_impaired))
            p.save()
        answers = {
            str(a.position): {"option": a.option_id, "doubtful": a.doubtful, "seq": a.seq}
            for a in Answer.objects.filter(participant=p)
        }
    grid = [item.question.subtest for item in SheetItem.objects.filter(participant=p).select_related("question")]
    return JsonResponse(
        {
            "number": p.number,
            "name": p.name,
            "session": p.session.code,
            "subtests": grid,
            "answers": answers,
            "max_seq": max((a["seq"] for a in answers.values()), default=0),
            "remaining_ms": max(0, int((p.deadline - now).total_seconds() * 1000)),
        }
    )


_GRID: dict[str, list[str]] = {}
_START = (
    "WITH u AS (UPDATE exams_participant p SET started_at = COALESCE(p.started_at, %(now)s),"
    " deadline = COALESCE(p.deadline, %(now)s + make_interval(mins => CASE WHEN p.visually_impaired"
    " THEN %(long)s ELSE %(normal)s END)), updated_at = %(now)s"
    " FROM exams_examsession s WHERE p.id = %(p)s AND s.id = p.session_id AND p.device_token = %(d)s"
    " AND p.finished_at IS NULL AND s.opened_at <= %(now)s AND s.blueprint = %(bp)s"
    " AND (p.started_at IS NOT NULL OR EXISTS (SELECT 1 FROM exams_sheetitem i WHERE i.participant_id = p.id))"
    " RETURNING p.number, p.name, s.code, p.session_id, p.deadline, p.visually_impaired,"
    " p.started_at = %(now)s AS first)"
    " SELECT * FROM u"
)


@csrf_exempt
@require_POST
def proto_start(request):
    """The real start's hot path in one statement (plus the answers on a resume); anything else: the real view."""
    from exams.views.delivery import api_start

    claims = _claims(request)
    if claims is None:
        return api_start(request)
    now = timezone.now()
    blueprint = rules.BLUEPRINTS["SKD-2021"]
    with connection.cursor() as cur:
        cur.execute(
            _START,
            {
                "now": now,
                "p": claims[0],
                "d": claims[1],
                "bp": blueprint.code,
                "normal": blueprint.minutes,
                "long": blueprint.minutes_visually_impaired,
            },
        )
        row = cur.fetchone()
        if row is None or row[4] <= now:
            return api_start(request)  # not open, another device, finished, time over, no sheet: the real answers
        number, name, code, _session_id, deadline, impaired, first = row
        answers = {}
        if not first:
            cur.execute(
                "SELECT position, option_id, doubtful, seq FROM exams_answer WHERE participant_id = %s", [claims[0]]
            )
            answers = {str(a): {"option": o, "doubtful": d, "seq": q} for a, o, d, q in cur.fetchall()}
    grid = _GRID.get(blueprint.code)
    if grid is None:
        grid = _GRID[blueprint.code] = [part.subtest for part in blueprint.parts for _i in range(part.questions)]
    return JsonResponse(
        {
            "number": number,
            "name": name,
            "session": code,
            "subtests": grid,
            "answers": answers,
            "max_seq": max((a["seq"] for a in answers.values()), default=0),
            "remaining_ms": _remaining_ms(deadline, now),
            "minutes": blueprint.minutes_for(visually_impaired=impaired),
        }
    )


_CONTENT: dict[int, dict] = {}


@require_GET
def proto_question(request, position: int):
    """One indexed read for the participant's item; the question's text from this process's memory."""
    from exams.views.delivery import api_question

    claims = _claims(request)
    if claims is None:
        return api_question(request, position)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.question_id, i.option_order FROM exams_sheetitem i JOIN exams_participant p"
            " ON p.id = i.participant_id WHERE i.participant_id = %s AND i.position = %s AND p.device_token = %s"
            " AND p.finished_at IS NULL",
            [claims[0], position, claims[1]],
        )
        row = cur.fetchone()
        if row is None:
            return api_question(request, position)
        question_id, order = row
        content = _CONTENT.get(question_id)
        if content is None:
            cur.execute(
                "SELECT q.subtest, q.text, o.id, o.text FROM exams_question q JOIN exams_option o ON o.question_id = q.id"
                " WHERE q.id = %s",
                [question_id],
            )
            rows = cur.fetchall()
            content = _CONTENT[question_id] = {
                "subtest": rows[0][0],
                "text": rows[0][1],
                "options": {o: t for _s, _t, o, t in rows},
            }
    if isinstance(order, str):
        order = json.loads(order)
    options = [{"id": o, "text": content["options"][o]} for o in order]
    response = JsonResponse(
        {"position": position, "subtest": content["subtest"], "text": content["text"], "options": options}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def naive_board(request, key: str):
    session = get_object_or_404(ExamSession.objects.select_related("room__site", "period"), public_key=key)
    return JsonResponse(live.board_rows(session))


urlpatterns = [
    path("bench/ping/", ping),
    path("bench/naive/jawab/", naive_answer),
    path("bench/naive/mulai/", naive_start),
    path("bench/proto/mulai/", proto_start),
    path("bench/proto/soal/<int:position>/", proto_question),
    path("bench/naive/papan/<str:key>/", naive_board),
    *app_urlpatterns,
]
