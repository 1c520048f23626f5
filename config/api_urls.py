from django.urls import path
from rest_framework.routers import DefaultRouter

from learning import api as learning_api
from organization import api as org_api
from performance import api as performance_api
from personnel import api as personnel_api
from publicservice import api as publicservice_api
from recruitment import api as recruitment_api

router = DefaultRouter()
router.register("provinces", org_api.ProvinceViewSet)
router.register("regencies", org_api.RegencyViewSet)
router.register("regional-offices", org_api.RegionalOfficeViewSet)
router.register("agencies", org_api.AgencyViewSet, basename="agency")
router.register("units", org_api.OrgUnitViewSet, basename="orgunit")
router.register("positions", org_api.PositionViewSet, basename="position")
router.register("ranks", personnel_api.RankViewSet)
router.register("employees", personnel_api.EmployeeViewSet, basename="employee")
router.register("performance-years", performance_api.PerformanceYearViewSet, basename="performance-year")
router.register("performance-settings", performance_api.PerformanceSettingsViewSet, basename="performance-settings")
router.register("indicators", performance_api.IndicatorViewSet, basename="indicator")
router.register("skps", performance_api.SkpViewSet, basename="skp")
router.register("team", performance_api.TeamViewSet, basename="team")
router.register("unit-rounds", performance_api.UnitRoundViewSet, basename="unit-round")
router.register("assessments", performance_api.AssessmentViewSet, basename="assessment")
router.register("coaching-plans", performance_api.CoachingPlanViewSet, basename="coaching-plan")
router.register("competencies", learning_api.CompetencyViewSet, basename="competency")
router.register("competency-standards", learning_api.CompetencyStandardViewSet, basename="competency-standard")
router.register("competency-assessments", learning_api.CompetencyAssessmentViewSet, basename="competency-assessment")
router.register("development-plans", learning_api.DevelopmentPlanViewSet, basename="development-plan")
router.register("programs", learning_api.ProgramViewSet, basename="program")
router.register("training-events", learning_api.TrainingEventViewSet, basename="training-event")
router.register("enrollments", learning_api.EnrollmentViewSet, basename="enrollment")
router.register("jp-entries", learning_api.JpEntryViewSet, basename="jp-entry")
router.register("external-learning", learning_api.ExternalLearningViewSet, basename="external-learning")
router.register("training-budgets", learning_api.TrainingBudgetViewSet, basename="training-budget")
router.register("learning-reports", learning_api.LearningReportViewSet, basename="learning-report")
router.register("learning-allocation", learning_api.AllocationViewSet, basename="learning-allocation")
router.register("complaints", publicservice_api.ComplaintViewSet, basename="complaint")
router.register("public-complaints", publicservice_api.PublicComplaintViewSet, basename="public-complaint")
router.register("service-units", publicservice_api.ServiceUnitViewSet, basename="service-unit")
router.register("survey-campaigns", publicservice_api.SurveyCampaignViewSet, basename="survey-campaign")
router.register("formations", recruitment_api.FormationViewSet, basename="formation")
router.register("applications", recruitment_api.ApplicationViewSet, basename="application")
router.register("published-results", recruitment_api.PublishedResultViewSet, basename="published-result")

# The recruitment workflow: one endpoint per operation, keyed like the pages (a formation, or a period and agency).
SELECTION = "<int:period_id>/<int:agency_id>"
urlpatterns = router.urls + [
    path(
        "applications/<str:registration_number>/verify/",
        recruitment_api.ApplicationVerifyApi.as_view(),
        name="application-verify",
    ),
    path(
        "formation-rankings/<int:formation_id>/",
        recruitment_api.FormationRankingApi.as_view(),
        name="formation-ranking",
    ),
    path(
        "formation-rankings/<int:formation_id>/skb-scores/",
        recruitment_api.SkbScoresApi.as_view(),
        name="formation-skb-scores",
    ),
    path(
        "formation-rankings/<int:formation_id>/final/",
        recruitment_api.FormationFinalApi.as_view(),
        name="formation-final",
    ),
    path(f"agency-results/{SELECTION}/", recruitment_api.AgencyResultApi.as_view(), name="agency-result"),
    path(f"agency-results/{SELECTION}/skb-import/", recruitment_api.SkbImportApi.as_view(), name="agency-skb-import"),
    path(f"agency-results/{SELECTION}/publish/", recruitment_api.FinalPublishApi.as_view(), name="agency-publish"),
    path(
        f"published-results/{SELECTION}/", recruitment_api.PublishedResultApi.as_view(), name="published-result-detail"
    ),
]
