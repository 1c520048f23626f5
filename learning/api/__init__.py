"""Competency development over REST: the pages' reads through the same scope (an employee's rows for whoever
reads the employee, an agency's for whoever reads the agency) and one endpoint per workflow step, each calling
the service that checks the caller's part and writes the audit record.

Out of scope answers 404 exactly like missing; a service's PermissionDenied answers 403 and its DomainError 400
(core.api.exception_handler). An id or NIP in a request body is looked up within the caller's scope; an
unknown one answers 400 on that field, the same whether it does not exist or is out of reach.
"""

from learning.api.catalogue import (
    EnrollmentViewSet,
    ExternalLearningViewSet,
    JpEntryViewSet,
    ProgramViewSet,
    TrainingBudgetViewSet,
    TrainingEventViewSet,
)
from learning.api.competency import (
    CompetencyAssessmentViewSet,
    CompetencyStandardViewSet,
    CompetencyViewSet,
    DevelopmentPlanViewSet,
)
from learning.api.reports import AllocationViewSet, LearningReportViewSet

__all__ = [
    "AllocationViewSet",
    "CompetencyAssessmentViewSet",
    "CompetencyStandardViewSet",
    "CompetencyViewSet",
    "DevelopmentPlanViewSet",
    "EnrollmentViewSet",
    "ExternalLearningViewSet",
    "JpEntryViewSet",
    "LearningReportViewSet",
    "ProgramViewSet",
    "TrainingBudgetViewSet",
    "TrainingEventViewSet",
]
