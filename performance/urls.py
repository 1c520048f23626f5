from django.urls import path

from performance import views

app_name = "performance"
urlpatterns = [
    path("", views.home, name="home"),
    path("tahun/<int:year_id>/skp-baru/", views.skp_new, name="skp_new"),
    path("skp/<int:skp_id>/", views.skp_detail, name="skp"),
    path("skp/<int:skp_id>/rhk/tambah/", views.rhk_form, name="rhk_add"),
    path("skp/<int:skp_id>/rhk/<int:rhk_id>/", views.rhk_form, name="rhk_edit"),
    path("skp/<int:skp_id>/rhk/<int:rhk_id>/hapus/", views.rhk_delete, name="rhk_delete"),
    path("skp/<int:skp_id>/aksi/<slug:action>/", views.skp_action, name="skp_action"),
    path("skp/<int:skp_id>/skp.pdf", views.skp_pdf, name="skp_pdf"),
    path("skp/<int:skp_id>/bukti/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("skp/<int:skp_id>/periode/<int:period_id>/evaluasi.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("tim/", views.team, name="team"),
    path("360/", views.peer_input, name="peer_input"),
    path("unit/<int:unit_id>/periode/<int:period_id>/", views.unit_round, name="unit_round"),
    path("instansi/<int:agency_id>/", views.agency_dashboard, name="agency"),
    path("instansi/<int:agency_id>/aksi/<slug:action>/", views.agency_action, name="agency_action"),
]
