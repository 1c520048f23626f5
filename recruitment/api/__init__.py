"""Recruitment over REST, through the same access functions, services and selectors as the pages.

- ``formations``: published formations with their quota per category, open to anyone (the public search).
- ``applications``: the committee of an agency reads its applications (the national admin every agency's),
  an applicant only their own; ``verify`` records the committee's check (``services.verification_decide``).
- ``formation-rankings`` and ``agency-results``: the committee's SKD ranking, SKB scores (one by one or
  imported), final list and publication, each write the service the page calls (it checks the caller and
  writes the audit record).
- ``published-results``: announced final results, open to anyone, exactly what the public page shows.

Out of scope answers 404 exactly like missing; a service's PermissionDenied answers 403 and its DomainError 400
with its Indonesian message per field (core.api.exception_handler).
"""

from recruitment.api.applications import ApplicationVerifyApi, ApplicationViewSet
from recruitment.api.formations import FormationViewSet
from recruitment.api.public import PublishedResultApi, PublishedResultViewSet
from recruitment.api.ranking import (
    AgencyResultApi,
    FinalPublishApi,
    FormationFinalApi,
    FormationRankingApi,
    SkbImportApi,
    SkbScoresApi,
)

__all__ = [
    "AgencyResultApi",
    "ApplicationVerifyApi",
    "ApplicationViewSet",
    "FinalPublishApi",
    "FormationFinalApi",
    "FormationRankingApi",
    "FormationViewSet",
    "PublishedResultApi",
    "PublishedResultViewSet",
    "SkbImportApi",
    "SkbScoresApi",
]
