from django.urls import path

from performance.views import agency, documents, plans, rounds, team

app_name = "performance"
urlpatterns = [
    path("", plans.home, name="home"),
    path("tahun/<int:year_id>/skp-baru/", plans.skp_new, name="skp_new"),
    path("skp/<int:skp_id>/", plans.skp_detail, name="skp"),
    path("skp/<int:skp_id>/rhk/tambah/", plans.rhk_form, name="rhk_add"),
    path("skp/<int:skp_id>/rhk/<int:rhk_id>/", plans.rhk_form, name="rhk_edit"),
    path("skp/<int:skp_id>/rhk/<int:rhk_id>/hapus/", plans.rhk_delete, name="rhk_delete"),
    path("skp/<int:skp_id>/aksi/<slug:action>/", plans.skp_action, name="skp_action"),
    path("skp/<int:skp_id>/skp.pdf", documents.skp_pdf, name="skp_pdf"),
    path("skp/<int:skp_id>/bukti/<int:evidence_id>/", documents.evidence_file, name="evidence_file"),
    path("skp/<int:skp_id>/periode/<int:period_id>/evaluasi.pdf", documents.evaluation_pdf, name="evaluation_pdf"),
    path("tim/", team.team, name="team"),
    path("360/", team.peer_input, name="peer_input"),
    path("unit/<int:unit_id>/periode/<int:period_id>/", rounds.unit_round, name="unit_round"),
    path("instansi/<int:agency_id>/", agency.agency_dashboard, name="agency"),
    path("instansi/<int:agency_id>/aksi/<slug:action>/", agency.agency_action, name="agency_action"),
]
