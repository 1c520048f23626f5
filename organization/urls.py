from django.urls import path

from organization import views

app_name = "organization"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("wilayah/", views.regions, name="regions"),
    path("instansi/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("instansi/<int:agency_id>/unit/", views.agency_units, name="agency_units"),
    path("instansi/<int:agency_id>/jabatan/", views.agency_positions, name="agency_positions"),
    path("instansi/<int:agency_id>/perbaikan-atasan/", views.agency_worklist, name="agency_worklist"),
]
