"""The audit trail: every service writes its record here, in the service's own transaction.

Records form a hash chain: each stores the hash of the one before, and its own hash over its
content. Ids are assigned here, one after another, while the chain head is locked, so a deleted
record leaves a gap and a changed one no longer matches its hash. ``audit_verify`` walks the chain.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from core.bulk import build, bulk_insert
from core.models import AuditChainHead, AuditRecord

GENESIS = "0" * 64
BOOKKEEPING = frozenset({"created_at", "updated_at"})  # the record's own time says when


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the JSON-safe values of a model's concrete fields (or the named ones)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields if f.attname not in BOOKKEEPING]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys whose value changed, so that a record shows what the write did."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class Entry:
    action: str
    object_type: str
    object_id: str
    object_label: str = ""
    agency_id: int | None = None
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


def entry_for(obj: models.Model, action: str, **kwargs: Any) -> Entry:
    return Entry(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        **kwargs,
    )


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "username", None) or str(actor)


def audit_log_many(*, actor, entries: Iterable[Entry], batch_size: int = 2000) -> int:
    """Append records for many writes at once; must run inside the writing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit records are written inside the service's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    label = _actor_label(actor)
    batch: list[AuditRecord] = []
    written = 0
    for e in entries:
        rec = build(
            AuditRecord,
            id=head.last_id + 1,
            created_at=now,
            actor_id=actor_id,
            actor_label=label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_label=e.object_label[:300],
            agency_id=e.agency_id,
            before=e.before,
            after=e.after,
            reason=e.reason[:300],
            prev_hash=head.last_hash,
        )
        rec.hash = rec.compute_hash()
        head.last_id, head.last_hash = rec.id, rec.hash
        head.count += 1
        batch.append(rec)
        if len(batch) >= batch_size:
            bulk_insert(AuditRecord, batch)
            written += len(batch)
            batch = []
    if batch:
        bulk_insert(AuditRecord, batch)
        written += len(batch)
    head.save()
    return written


def audit_log(*, actor, entry: Entry) -> None:
    """Append one record for one write; must run inside the writing transaction."""
    audit_log_many(actor=actor, entries=[entry])


@dataclass(frozen=True)
class ChainBreak:
    record_id: int
    problem: str


def verify_chain(*, chunk_size: int = 5000) -> Iterator[ChainBreak]:
    """Yield every break in the chain, first one first; nothing when the chain is intact."""
    expected_prev = GENESIS
    expected_id = 1
    qs = AuditRecord.objects.order_by("id")
    for rec in qs.iterator(chunk_size=chunk_size):
        if rec.id != expected_id:
            yield ChainBreak(rec.id, f"records {expected_id}..{rec.id - 1} are missing before this one")
        elif rec.prev_hash != expected_prev:
            yield ChainBreak(rec.id, "does not chain to the record before it (inserted or reordered)")
        if rec.compute_hash() != rec.hash:
            yield ChainBreak(rec.id, "content does not match its hash (altered)")
        expected_prev = rec.hash
        expected_id = rec.id + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head and (head.last_id != expected_id - 1 or head.last_hash != expected_prev):
        yield ChainBreak(head.last_id, "the chain ends before its recorded head (records removed at the end)")
