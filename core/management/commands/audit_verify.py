from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain
from core.models import AuditChainHead


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero naming the first broken record."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", help="a head hash printed earlier (kept off this server) that must still be in the chain"
        )

    def handle(self, *args, anchor=None, **options):
        first = next(verify_chain(), None)
        if first is not None:
            raise CommandError(f"audit chain broken at record {first.record_id}: {first.problem}")
        head = AuditChainHead.objects.filter(id=1).first()
        if anchor:
            from core.models import AuditRecord

            if not AuditRecord.objects.filter(hash=anchor).exists():
                raise CommandError(f"anchor {anchor} is no longer in the chain: the chain was rewritten")
        n = head.last_id if head else 0
        self.stdout.write(f"audit chain intact: {n} records, head {head.last_hash if head else '-'}")
