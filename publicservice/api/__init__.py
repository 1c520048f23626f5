"""Public service over REST.

- ``complaints``: the officers' reports, through the same scope as the pages (handlers see their agencies'
  reports whole; the staff of a unit see those forwarded to it, never the reporter's identity), one POST
  endpoint per workflow step calling its service (which checks the actor and writes the audit record).
  Out of scope answers 404 like missing; a service's PermissionDenied 403, its DomainError 400.
- ``public-complaints``: read-only and open to anyone: the reports the public pages list
  (``selectors.public_complaints``: never a confidential or hidden one), with no reporter identity at all.
- ``service-units``, ``survey-campaigns`` (with their SKM result): read-only reference data.
"""

from publicservice.api.complaints import ComplaintViewSet
from publicservice.api.public import PublicComplaintViewSet
from publicservice.api.surveys import ServiceUnitViewSet, SurveyCampaignViewSet

__all__ = ["ComplaintViewSet", "PublicComplaintViewSet", "ServiceUnitViewSet", "SurveyCampaignViewSet"]
