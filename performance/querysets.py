from django.db import models

from personnel.querysets import employee_scope_q


class PerfYearQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """Years of the agencies the actor reads, and of the actor's own agency."""
        if not actor.is_authenticated:
            return self.none()
        if actor.registry_agency_ids is None:
            return self
        q = models.Q(agency_id__in=actor.registry_agency_ids or ())
        if actor.employee_id is not None:
            q |= models.Q(agency__employees__pk=actor.employee_id)
        return self.filter(q).distinct()


class SkpQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """Plans of the employees the actor may read: own, subordinates', the agencies in scope."""
        if not actor.is_authenticated:
            return self.none()
        return self.filter(employee_scope_q(actor, "employee__"))


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, actor):
        if not actor.is_authenticated:
            return self.none()
        return self.filter(employee_scope_q(actor, "skp__employee__"))

    def final(self):
        return self.filter(status="final")
