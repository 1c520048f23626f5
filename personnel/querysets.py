import datetime
import operator
from functools import reduce

from django.db import models
from django.db.models import Q

from personnel.choices import EmployeeStatus


def employee_scope_q(actor, prefix: str = "") -> Q:
    """The Q that selects the employees an actor may read (prefix for related lookups)."""
    if actor.registry_agency_ids is None:
        return Q()
    parts = [Q(**{f"{prefix}agency_id__in": actor.registry_agency_ids})] if actor.registry_agency_ids else []
    if actor.employee_id is not None:
        parts.append(Q(**{f"{prefix}pk": actor.employee_id}))
    parts += [Q(**{f"{prefix}current_position__path__startswith": p}) for p in actor.supervised_paths]
    if not parts:
        return Q(pk__in=[])
    return reduce(operator.or_, parts)


class EmployeeQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """Employees the actor may read: their agencies, themselves, and whoever reports to them."""
        if not actor.is_authenticated:
            return self.none()
        return self.filter(employee_scope_q(actor))

    def active(self):
        return self.filter(status=EmployeeStatus.ACTIVE)

    def search(self, text: str):
        """By NIP (digits: prefix) or by name (any part, case-insensitive)."""
        text = (text or "").strip()
        if not text:
            return self
        compact = text.replace(" ", "")
        if compact.isdigit():
            return self.filter(nip__startswith=compact)
        return self.filter(name__icontains=text)


class HistoryQuerySet(models.QuerySet):
    def effective_on(self, day: datetime.date):
        qs = self.filter(tmt__lte=day)
        if "end_date" in {f.name for f in self.model._meta.fields}:
            qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        return qs

    def visible_to(self, actor):
        from personnel.models import Employee

        return self.filter(employee__in=Employee.objects.visible_to(actor).values("pk"))
