from rest_framework.routers import DefaultRouter

from organization import api as org_api
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
urlpatterns = router.urls
