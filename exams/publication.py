"""The published answer log of a session: every answer event with its hash link and, at the end, every
participant's chain head, the root over those heads and every finished participant's score and receipt.
Once a session is over anyone may download it; `manage.py exam_verify SESSION --log FILE` then proves that
neither the log nor any score changed after publication, by re-walking each participant's chain and
recomputing every score from the logged answers."""

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator

from exams import rules, services
from exams.models import AnswerEvent, ExamSession, Participant


def session_closed(session: ExamSession) -> bool:
    """True when everyone placed in the session has finished (or nobody was)."""
    return not Participant.objects.filter(session=session, finished_at__isnull=True).exists()


def heads_root(heads: dict[str, str]) -> str:
    """SHA-256 of the heads as canonical JSON (sorted by participant number): one digest for the session."""
    return hashlib.sha256(json.dumps(heads, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def log_lines(session: ExamSession) -> Iterator[str]:
    """The session's log as JSON lines, oldest event first, the participants' heads, their root and the
    scores last."""
    numbers, heads = {}, {}
    for pk, number, head in Participant.objects.filter(session=session).values_list("pk", "number", "last_hash"):
        numbers[pk], heads[number] = number, head
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
    scores = [
        {"number": n, "twk": a, "tiu": b, "tkp": c, "receipt": r}
        for n, a, b, c, r in Participant.objects.filter(session=session, finished_at__isnull=False)
        .order_by("number")
        .values_list("number", "twk", "tiu", "tkp", "receipt")
    ]
    heads = dict(sorted(heads.items()))
    yield json.dumps({"session": session.code, "heads": heads, "root": heads_root(heads), "scores": scores}) + "\n"


def verify_log(session: ExamSession, lines: Iterable[str]) -> list[str]:
    """Check a published log against itself and against the database: the first problems, in order."""
    problems: list[str] = []
    current = {p.number: p for p in Participant.objects.filter(session=session)}
    prev: dict[str, str] = {}  # participant number -> the hash of their last event so far
    events, tail = [], None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if "heads" in row:
            tail = row
            break
        at = datetime.datetime.fromisoformat(row["at"])
        before = prev.get(row["number"], services.GENESIS)
        expected = services._event_hash(before, row["participant"], row["position"], row["option"], row["seq"], at)
        if row["prev"] != before or row["hash"] != expected:
            problems.append(f"line {n}: the published chain is broken")
        owner = current.get(row["number"])
        if owner is None or owner.pk != row["participant"]:
            problems.append(f"line {n}: the event's participant is not participant {row['number']} of the session")
        prev[row["number"]] = row["hash"]
        events.append(row)
    if tail is None:
        return problems + ["the file has no heads line: it was cut short"]
    heads = tail["heads"]
    for number in sorted(heads.keys() | prev.keys()):
        if heads.get(number) != prev.get(number, services.GENESIS):
            problems.append(f"participant {number}: the published head does not close the published chain")
    if heads_root(heads) != tail["root"]:
        problems.append("the published root does not follow from the published heads")
    stored = list(AnswerEvent.objects.filter(session=session).order_by("id").values_list("id", "hash"))
    published = [(e["event"], e["hash"]) for e in events]
    if stored != published:
        first = next((i for i, (a, b) in enumerate(zip(stored, published)) if a != b), min(len(stored), len(published)))
        problems.append(f"the database log differs from the published one from event #{first + 1} on")
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
