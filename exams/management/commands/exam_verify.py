from django.core.management.base import BaseCommand, CommandError

from exams.models import ExamSession, Participant
from exams.services import verify_receipt, verify_session


class Command(BaseCommand):
    help = "Verify a session's hash-chained answer log and every finished participant's receipt and score."

    def add_arguments(self, parser):
        parser.add_argument("session", help="session code")
        parser.add_argument("--participant", help="only this participant number's receipt")

    def handle(self, *args, session, participant=None, **options):
        s = ExamSession.objects.filter(code=session).first()
        if s is None:
            raise CommandError(f"no session {session}")
        problems = verify_session(s.pk)
        people = Participant.objects.filter(session=s, finished_at__isnull=False)
        if participant:
            people = people.filter(number=participant)
        checked = 0
        for p in people.order_by("number"):
            checked += 1
            if not verify_receipt(p):
                problems.append(f"participant {p.number}: receipt or score does not match the log")
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s); first: {problems[0]}")
        self.stdout.write(self.style.SUCCESS(f"session {s.code}: log intact, {checked} receipt(s) verified"))
