import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from core.audit import Entry, audit_log, audit_log_many, verify_chain
from core.models import AuditChainHead, AuditRecord

pytestmark = pytest.mark.django_db


def write(n, start=0):
    with transaction.atomic():
        audit_log_many(
            actor=None,
            entries=[
                Entry("test.write", "test.thing", str(i), f"thing {i}", None, {"v": i}, {"v": i + 1}, "SK/1")
                for i in range(start, start + n)
            ],
        )


def raw(sql, params=()):
    # Tampering goes around the ORM, as an attacker with database access would.
    with connection.cursor() as cur:
        cur.execute(sql, params)


def verify_message():
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")
    return str(exc.value)


class TestAuditChain:
    def test_an_intact_chain_verifies(self, capsys):
        write(5)
        call_command("audit_verify")
        assert "intact: 5 records" in capsys.readouterr().out

    def test_records_chain_to_their_predecessor(self):
        write(3)
        recs = list(AuditRecord.objects.order_by("id"))
        assert recs[0].prev_hash == "0" * 64
        assert [r.prev_hash for r in recs[1:]] == [r.hash for r in recs[:-1]]
        assert [r.id for r in recs] == [1, 2, 3]

    @pytest.mark.django_db(transaction=True)
    def test_writing_outside_a_transaction_is_refused(self):
        with pytest.raises(RuntimeError):
            audit_log(actor=None, entry=Entry("x", "y", "1"))

    def test_an_altered_record_is_named(self):
        write(5)
        raw("UPDATE core_auditrecord SET reason = %s WHERE id = 3", ["SK/palsu"])
        assert "record 3" in verify_message() and "altered" in verify_message()

    def test_altered_values_are_caught_too(self):
        write(5)
        raw("UPDATE core_auditrecord SET actor_label = %s WHERE id = 2", ["orang lain"])
        assert "record 2" in verify_message()

    def test_a_deleted_record_is_named_by_the_one_after_it(self):
        write(5)
        raw("DELETE FROM core_auditrecord WHERE id = 2")
        msg = verify_message()
        assert "record 3" in msg and "missing" in msg

    def test_a_deleted_last_record_is_caught_by_the_head(self):
        write(5)
        raw("DELETE FROM core_auditrecord WHERE id = 5")
        assert "record 5" in verify_message()

    def test_an_inserted_record_is_named(self):
        write(3)
        rec = AuditRecord.objects.get(id=3)
        raw(
            "INSERT INTO core_auditrecord (id, created_at, actor_label, action, object_type, object_id, object_label, before, after, reason, prev_hash, hash)"
            " VALUES (4, %s, 'x', 'forged', 't', '1', '', NULL, NULL, '', %s, %s)",
            [rec.created_at, "f" * 64, "e" * 64],
        )
        raw("UPDATE core_auditchainhead SET last_id = 4, last_hash = %s", ["e" * 64])
        msg = verify_message()
        assert "record 4" in msg

    def test_a_rewritten_chain_is_caught_by_an_anchor(self):
        write(3)
        anchor = AuditChainHead.objects.get().last_hash
        raw("DELETE FROM core_auditrecord")
        raw("UPDATE core_auditchainhead SET last_id = 0, last_hash = %s", ["0" * 64])
        write(2)
        with pytest.raises(CommandError, match="anchor"):
            call_command("audit_verify", anchor=anchor)

    def test_verify_reports_every_break_in_order(self):
        write(6)
        raw("UPDATE core_auditrecord SET reason = 'x' WHERE id IN (2, 5)")
        assert [b.record_id for b in verify_chain()] == [2, 5]

    def test_appends_after_many_batches_still_verify(self):
        write(4500)
        write(10, start=4500)
        assert list(verify_chain()) == []
        assert AuditChainHead.objects.get().last_id == 4510
