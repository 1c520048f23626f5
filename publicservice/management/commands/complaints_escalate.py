from django.core.management.base import BaseCommand

from publicservice import tasks


class Command(BaseCommand):
    help = (
        "Escalate overdue complaints (to the unit head, then three working days later to the agency) and email "
        "the officers. Run it from a timer after midnight WIB; --enqueue hands the run to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the run for the task worker instead")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.escalate_overdue.enqueue()
            self.stdout.write(f"escalation queued: {result.id}")
            return
        counts = tasks.run_escalation()
        self.stdout.write(
            f"escalated {counts['unit_head']} to unit heads and {counts['agency']} to agencies; "
            f"{counts['emails']} emails sent"
        )
