from django.urls import include, path

from publicservice.views import public

app_name = "publicservice"

urlpatterns = [
    path("", public.home, name="home"),
    path("lapor/", public.report, name="report"),
    path("lapor/tanda-terima/", public.receipt, name="receipt"),
    path("unit/cari/", public.unit_search, name="unit_search"),
    path("lacak/", public.track, name="track"),
    path("lacak/<str:code>/", public.status, name="status"),
    path("lacak/<str:code>/lampiran/<int:attachment_id>/", public.attachment, name="attachment"),
    path("laporan/", public.public_list, name="list"),
    path("dasbor/", public.dashboard, name="dashboard"),
    path("dasbor/instansi/<str:code>/", public.dashboard_agency, name="dashboard_agency"),
    path("dasbor/unit/<str:code>/", public.dashboard_unit, name="dashboard_unit"),
    path("petugas/", include("publicservice.urls_officer")),
    path("survei/", include("publicservice.urls_survey")),
]
