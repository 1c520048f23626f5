from django.db import models
from django.utils import timezone


class FormationQuerySet(models.QuerySet):
    def public(self):
        """Formations of published periods: what anyone may search without an account."""
        return self.filter(period__published_at__isnull=False, period__published_at__lte=timezone.now())

    def visible_to(self, actor):
        """Formations the actor may manage or read: the agencies in their structure scope."""
        if not actor.is_authenticated:
            return self.none()
        if actor.org_agency_ids is None:
            return self
        return self.filter(agency_id__in=actor.org_agency_ids)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(position_title__icontains=text)
            | models.Q(unit__name__icontains=text)
            | models.Q(agency__name__icontains=text)
        )
