from rest_framework.routers import DefaultRouter

from learning import api as learning_api
from organization import api as org_api
from performance import api as performance_api
from personnel import api as personnel_api
from publicservice import api as publicservice_api

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
urlpatterns = router.urls
