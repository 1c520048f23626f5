"""The published answer log of a session: every answer event with its hash link and, at the end, the
chain head and every participant's score and receipt. Once a session is over anyone may download it;
`manage.py exam_verify SESSION --log FILE` then proves that neither the log nor any score changed after
publication, by re-walking the chain and recomputing every score from the logged answers."""

import datetime
import json
from collections.abc import Iterable, Iterator

from exams import rules, services
from exams.models import AnswerEvent, ExamSession, Participant


def session_closed(session: ExamSession) -> bool:
    """True when everyone placed in the session has finished (or nobody was)."""
    return not Participant.objects.filter(session=session, finished_at__isnull=True).exists()


def log_lines(session: ExamSession) -> Iterator[str]:
    """The session's log as JSON lines, oldest event first, the head and scores last."""
    numbers = dict(Participant.objects.filter(session=session).values_list("pk", "number"))
    for e in AnswerEvent.objects.filter(session=session).order_by("id").iterator(chunk_size=5000):
        yield (
            json.dumps(
                {
                    "event": e.pk,
                    "participant": e.participant_id,
                    "number": numbers[e.participant_id],
                    "position": e.position,
                    "option": e.option_id,
                    "seq": e.seq,
                    "at": e.at.astimezone(datetime.UTC).isoformat(),
                    "prev": e.prev_hash,
                    "hash": e.hash,
                },
                separators=(",", ":"),
            )
            + "\n"
        )
    head = getattr(session, "chain_head", None)
    scores = [
        {"number": n, "twk": a, "tiu": b, "tkp": c, "receipt": r}
        for n, a, b, c, r in Participant.objects.filter(session=session, finished_at__isnull=False)
        .order_by("number")
        .values_list("number", "twk", "tiu", "tkp", "receipt")
    ]
    yield (
        json.dumps({"session": session.code, "head": head.last_hash if head else services.GENESIS, "scores": scores})
        + "\n"
    )


def verify_log(session: ExamSession, lines: Iterable[str]) -> list[str]:
    """Check a published log against itself and against the database: the first problems, in order."""
    problems: list[str] = []
    prev, events, tail = services.GENESIS, [], None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if "head" in row:
            tail = row
            break
        at = datetime.datetime.fromisoformat(row["at"])
        expected = services._event_hash(prev, row["participant"], row["position"], row["option"], row["seq"], at)
        if row["prev"] != prev or row["hash"] != expected:
            problems.append(f"line {n}: the published chain is broken")
        prev = row["hash"]
        events.append(row)
    if tail is None:
        return problems + ["the file has no head line: it was cut short"]
    if tail["head"] != prev:
        problems.append("the published head does not close the published chain")
    stored = list(AnswerEvent.objects.filter(session=session).order_by("id").values_list("id", "hash"))
    published = [(e["event"], e["hash"]) for e in events]
    if stored != published:
        first = next((i for i, (a, b) in enumerate(zip(stored, published)) if a != b), min(len(stored), len(published)))
        problems.append(f"the database log differs from the published one from event #{first + 1} on")
    current = {p.number: p for p in Participant.objects.filter(session=session)}
    for s in tail["scores"]:
        p = current.get(s["number"])
        if p is None:
            problems.append(f"participant {s['number']}: no longer in the session")
            continue
        latest: dict[int, tuple[int, int | None]] = {}
        for e in events:
            if e["number"] == s["number"] and (e["position"] not in latest or e["seq"] > latest[e["position"]][0]):
                latest[e["position"]] = (e["seq"], e["option"])
        answers = {pos - 1: (str(o) if o else None) for pos, (_s, o) in latest.items()}
        score = rules.score(services._sheet_items(p), answers)
        if (score.twk, score.tiu, score.tkp) != (s["twk"], s["tiu"], s["tkp"]):
            problems.append(f"participant {s['number']}: the published score does not follow from the logged answers")
        if (p.twk, p.tiu, p.tkp, p.receipt) != (s["twk"], s["tiu"], s["tkp"], s["receipt"]):
            problems.append(
                f"participant {s['number']}: the score or receipt in the database changed after publication"
            )
    return problems
