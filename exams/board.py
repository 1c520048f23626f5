"""The live public scoreboard of a session: every participant's number and name, sub-test scores, total
and whether it meets the passing grade, rebuilt at most once a second however many people watch."""

import time

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from exams import operations, rules
from exams.models import ExamSession, Participant
from recruitment import rules as recruitment_rules
from recruitment.choices import Category
from recruitment.selectors import passing_grade

REFRESH_SECONDS = 1  # the page polls every second; a row is at most two seconds old
SWEEP_SECONDS = 5  # how often a board request closes sheets whose time ran out


def _grade(session: ExamSession, category: str) -> recruitment_rules.PassingGrade | None:
    if session.period_id is None:
        return None
    on = timezone.localdate(session.starts_at)
    return passing_grade(session.period.kind, category, on)


def passing_for(p: Participant) -> recruitment_rules.PassingGrade | None:
    """The passing grade that applies to a participant: their period's, for their application's category."""
    category = p.application.category if p.application_id else Category.UMUM
    return _grade(p.session, category)


def board_rows(session: ExamSession) -> dict:
    """The board's content: finished participants by total, then those still working (with progress)."""
    grades: dict[str, recruitment_rules.PassingGrade | None] = {}
    rows = []
    people = (
        Participant.objects.filter(session=session)
        .annotate(answered=Count("answers", distinct=True))
        .values("number", "name", "started_at", "finished_at", "twk", "tiu", "tkp", "answered", "application__category")
    )
    for p in people:
        category = p["application__category"] or Category.UMUM
        if category not in grades:
            grades[category] = _grade(session, category)
        row = {"number": p["number"], "name": p["name"], "answered": p["answered"]}
        if p["finished_at"]:
            score = rules.Score(p["twk"], p["tiu"], p["tkp"])
            grade = grades[category]
            row.update(
                status="finished",
                twk=score.twk,
                tiu=score.tiu,
                tkp=score.tkp,
                total=score.total,
                passing=grade.met_by(score) if grade else None,
            )
        else:
            row.update(status="working" if p["started_at"] else "waiting")
        rows.append(row)
    order = {"finished": 0, "working": 1, "waiting": 2}
    rows.sort(key=lambda r: (order[r["status"]], -r.get("total", 0), -r.get("tkp", 0), -r.get("tiu", 0), r["number"]))
    blueprint = rules.BLUEPRINTS[session.blueprint]
    return {
        "session": session.code,
        "questions": blueprint.questions,
        "maximum": blueprint.maximum,
        "rows": rows,
        "built_at": timezone.now().isoformat(),
    }


def board(session: ExamSession) -> dict:
    """The board from the cache, rebuilt when older than a second; closes expired sheets every few seconds."""
    slot = int(time.time() // REFRESH_SECONDS)
    key = f"cat:board:{session.pk}:{slot}"
    data = cache.get(key)
    if data is None:
        if cache.add(f"cat:board-sweep:{session.pk}", 1, SWEEP_SECONDS):
            operations.finish_expired(session_id=session.pk)
        data = board_rows(session)
        cache.set(key, data, REFRESH_SECONDS * 3)
    return data
