from django.core.management.base import BaseCommand, CommandError

from exams.models import ExamSession, Participant
from exams.publication import verify_log
from exams.services import verify_receipt, verify_session


class Command(BaseCommand):
    help = (
        "Verify each participant's hash-chained answer log in a session and every finished participant's "
        "receipt and score; with --log, also a published log file against the database; with --receipt, "
        "one participant's receipt."
    )

    def add_arguments(self, parser):
        parser.add_argument("session", help="session code")
        parser.add_argument("--participant", help="only this participant number")
        parser.add_argument("--receipt", help="the receipt (hex digest) the participant was given")
        parser.add_argument("--log", help="a published log file (JSON lines from the session's board)")

    def handle(self, *args, session, participant=None, receipt=None, log=None, **options):
        s = ExamSession.objects.filter(code=session).first()
        if s is None:
            raise CommandError(f"no session {session}")
        if receipt and not participant:
            raise CommandError("--receipt needs --participant")
        problems = verify_session(s.pk)
        people = Participant.objects.filter(session=s, finished_at__isnull=False)
        if participant:
            people = people.filter(number=participant)
            if not people.exists():
                raise CommandError(f"no finished participant {participant} in {session}")
        checked = 0
        for p in people.order_by("number"):
            checked += 1
            if not verify_receipt(p):
                problems.append(f"participant {p.number}: receipt or score does not match the log")
            if receipt and receipt.strip().lower() != p.receipt:
                problems.append(f"participant {p.number}: the receipt given is not the one issued")
        if log:
            with open(log, encoding="utf-8") as fh:
                problems += verify_log(s, fh)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s); first: {problems[0]}")
        extra = ", published log matches" if log else ""
        self.stdout.write(self.style.SUCCESS(f"session {s.code}: log intact, {checked} receipt(s) verified{extra}"))
