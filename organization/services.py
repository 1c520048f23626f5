"""Writes to the organization registry. Each one records itself in the audit trail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log, diff, entry_for, snapshot
from core.errors import DomainError
from organization.models import Agency, OrgUnit, Position


def _require_write(actor, agency_id: int):
    if not actor.can_write_agency(agency_id):
        raise DomainError(_("Anda tidak berwenang mengubah data instansi ini."), code="forbidden")


def _full_clean(obj):
    try:
        obj.full_clean()
    except ValidationError as exc:
        first_field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=first_field) from exc


def _set_path(obj, model):
    parent = model.objects.get(pk=obj.parent_id) if obj.parent_id else None
    obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
    if hasattr(obj, "depth"):
        obj.depth = obj.path.count("/") - 2
    if len(obj.path) > 255:
        raise DomainError(_("Pohon terlalu dalam."))


@transaction.atomic
def agency_create(*, actor, **fields) -> Agency:
    """Create an agency (tenant); national admins only."""
    if actor.write_agency_ids is not None:
        raise DomainError(_("Hanya admin nasional yang dapat menambah instansi."), code="forbidden")
    agency = Agency(**fields)
    _full_clean(agency)
    agency.save()
    audit_log(actor=actor.user, entry=entry_for(agency, "agency.create", agency_id=agency.pk, after=snapshot(agency)))
    return agency


@transaction.atomic
def unit_create(*, actor, agency: Agency, parent: OrgUnit | None, code: str, name: str, kind: str) -> OrgUnit:
    """Add an org unit under a parent unit (or as a root) in an agency."""
    _require_write(actor, agency.pk)
    unit = OrgUnit(agency=agency, parent=parent, code=code, name=name, kind=kind, path="/")
    _full_clean(unit)
    unit.save()
    _set_path(unit, OrgUnit)
    unit.save(update_fields=["path", "depth"])
    audit_log(actor=actor.user, entry=entry_for(unit, "orgunit.create", agency_id=agency.pk, after=snapshot(unit)))
    return unit


@transaction.atomic
def position_create(*, actor, agency: Agency, unit: OrgUnit, parent: Position | None, **fields) -> Position:
    """Add a position (jabatan) in a unit, reporting to a parent position."""
    _require_write(actor, agency.pk)
    pos = Position(agency=agency, unit=unit, parent=parent, path="/", **fields)
    _full_clean(pos)
    pos.save()
    _set_path(pos, Position)
    pos.save(update_fields=["path"])
    audit_log(actor=actor.user, entry=entry_for(pos, "position.create", agency_id=agency.pk, after=snapshot(pos)))
    return pos


@transaction.atomic
def position_set_parent(*, actor, position: Position, parent: Position | None, reason: str) -> Position:
    """Move a position under another parent; refuse cycles; repath its subtree."""
    _require_write(actor, position.agency_id)
    position = Position.objects.select_for_update().get(pk=position.pk)
    before = snapshot(position)
    if parent is not None and parent.path.startswith(position.path):
        raise DomainError(_("Jabatan atasan tidak boleh berada di bawah jabatan itu sendiri."), field="parent")
    old_path = position.path
    position.parent = parent
    if parent is not None:
        position.reports_to_head = False
    _full_clean(position)
    _set_path(position, Position)
    position.save()
    for child in Position.objects.filter(path__startswith=old_path).exclude(pk=position.pk):
        child.path = position.path + child.path[len(old_path) :]
        child.save(update_fields=["path"])
    b, a = diff(before, snapshot(position))
    audit_log(
        actor=actor.user,
        entry=entry_for(
            position, "position.set_parent", agency_id=position.agency_id, before=b, after=a, reason=reason
        ),
    )
    return position
