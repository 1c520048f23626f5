from django.db import models


def _by_agency(qs, ids, field="agency_id"):
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """Agencies whose structure the actor may see."""
        return _by_agency(self, actor.org_agency_ids, "id")

    def registry_visible_to(self, actor):
        """Agencies whose registry (employees) the actor may see in full."""
        return _by_agency(self, actor.registry_agency_ids, "id")


class OrgUnitQuerySet(models.QuerySet):
    def visible_to(self, actor):
        return _by_agency(self, actor.org_agency_ids)

    def active(self):
        return self.filter(is_active=True)


class PositionQuerySet(models.QuerySet):
    def visible_to(self, actor):
        return _by_agency(self, actor.org_agency_ids)

    def active(self):
        return self.filter(is_active=True)
