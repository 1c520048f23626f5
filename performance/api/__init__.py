"""The performance cycle over REST: the pages' reads through the same choke points (``visible_to`` for lists,
``access_*`` for one object), and one endpoint per workflow step, each calling the service that checks the
actor's part and writes the audit record.

Out of scope answers 404 exactly like missing; a service's PermissionDenied answers 403 and its DomainError
400 (core.api.exception_handler). An id in a request body is looked up inside the plan or year it belongs to;
an unknown one answers 400 on that field, the same whether it does not exist or is out of reach.
"""

from performance.api.plans import SkpViewSet
from performance.api.rounds import AssessmentViewSet, CoachingPlanViewSet, TeamViewSet, UnitRoundViewSet
from performance.api.years import IndicatorViewSet, PerformanceSettingsViewSet, PerformanceYearViewSet

__all__ = [
    "AssessmentViewSet",
    "CoachingPlanViewSet",
    "IndicatorViewSet",
    "PerformanceSettingsViewSet",
    "PerformanceYearViewSet",
    "SkpViewSet",
    "TeamViewSet",
    "UnitRoundViewSet",
]
