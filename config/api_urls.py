from rest_framework.routers import DefaultRouter

from organization import api as org_api
from performance import api as performance_api
from personnel import api as personnel_api

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
urlpatterns = router.urls
