"""Who the actor is and what they may see: the one place where roles become scopes.

``None`` for a set of agency ids means "every agency". Supervisors are not a role: the scope of a
supervisor follows from the positions the person holds today (see personnel.supervision).
"""

from dataclasses import dataclass, field

from accounts.choices import ADMIN_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user: object
    roles: frozenset = frozenset()
    registry_agency_ids: frozenset | None = frozenset()  # employees, histories: read
    write_agency_ids: frozenset | None = frozenset()  # employees, org structure: write
    org_agency_ids: frozenset | None = frozenset()  # org units and positions: read
    audit_agency_ids: frozenset | None = frozenset()  # audit trail: read
    employee_id: int | None = None
    supervised_paths: tuple = field(default=())  # position paths whose holders report (in)directly to the actor

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_admin(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervised_paths)

    def can_read_agency(self, agency_id: int) -> bool:
        return self.registry_agency_ids is None or agency_id in self.registry_agency_ids

    def can_write_agency(self, agency_id: int) -> bool:
        return self.write_agency_ids is None or agency_id in self.write_agency_ids

    @property
    def can_read_registry(self) -> bool:
        return self.registry_agency_ids is None or bool(self.registry_agency_ids) or self.is_supervisor

    @property
    def can_write_registry(self) -> bool:
        return self.write_agency_ids is None or bool(self.write_agency_ids)

    @property
    def can_read_audit(self) -> bool:
        return self.audit_agency_ids is None or bool(self.audit_agency_ids)


ANONYMOUS = Actor(user=None)
# Seeds and migrations act as the system: every scope, audited as "system".
SYSTEM = Actor(user=None, registry_agency_ids=None, write_agency_ids=None, org_agency_ids=None, audit_agency_ids=None)


def _union(*sets):
    if any(s is None for s in sets):
        return None
    out = frozenset()
    for s in sets:
        out |= s
    return out


def build_actor(user) -> Actor:
    """Return the actor for a user, with every scope resolved for today."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    from organization.models import Agency
    from personnel.supervision import supervised_position_paths

    registry, write, org, audit = frozenset(), frozenset(), frozenset(), frozenset()
    roles = set()
    for ra in user.role_assignments.select_related("regional_office").all():
        role = Role(ra.role)
        roles.add(role)
        if role == Role.NATIONAL_ADMIN:
            registry = write = org = audit = None
        elif role == Role.AUDITOR:
            scope = None if ra.agency_id is None else frozenset({ra.agency_id})
            registry, org, audit = _union(registry, scope), _union(org, scope), _union(audit, scope)
        elif role == Role.REGIONAL_OFFICE:
            ids = frozenset(
                Agency.objects.filter(province__regional_offices=ra.regional_office_id).values_list("id", flat=True)
            )
            registry, org, audit = _union(registry, ids), _union(org, ids), _union(audit, ids)
        elif role == Role.AGENCY_ADMIN:
            one = frozenset({ra.agency_id})
            registry, write, org, audit = (
                _union(registry, one),
                _union(write, one),
                _union(org, one),
                _union(audit, one),
            )
        elif role in (Role.SELECTION_COMMITTEE, Role.COMPLAINT_OFFICER):
            org = _union(org, frozenset({ra.agency_id}))
    employee = getattr(user, "employee", None) if hasattr(user, "employee") else None
    employee_id, paths = None, ()
    if employee is not None:
        employee_id = employee.pk
        org = _union(org, frozenset({employee.agency_id}))
        paths = supervised_position_paths(employee)
    return Actor(
        user=user,
        roles=frozenset(roles),
        registry_agency_ids=registry,
        write_agency_ids=write,
        org_agency_ids=org,
        audit_agency_ids=audit,
        employee_id=employee_id,
        supervised_paths=paths,
    )


def get_actor(user) -> Actor:
    """Return the actor for this user, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    actor = getattr(user, "_pamong_actor", None)
    if actor is None:
        actor = build_actor(user)
        user._pamong_actor = actor
    return actor
