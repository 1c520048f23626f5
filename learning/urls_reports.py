"""Reports, the optimal allocation and the evaluation pages of competency development (/pengembangan/laporan/)."""

from django.urls import path

from learning.views import allocation, evaluation, reports

urlpatterns = [
    path("", reports.index, name="reports"),
    path("kepatuhan-jp/", reports.compliance, name="report_compliance"),
    path("risiko-jp/", reports.at_risk, name="report_at_risk"),
    path("kesenjangan/", reports.gaps, name="report_gaps"),
    path("anggaran/", reports.budget, name="report_budget"),
    path("efektivitas/", reports.effectiveness, name="report_effectiveness"),
    path("alokasi/", allocation.allocation_index, name="allocation_index"),
    path("alokasi/<int:agency_id>/", allocation.allocation_page, name="allocation"),
    path("alokasi/<int:agency_id>/hitung/", allocation.allocation_run_create, name="allocation_run_create"),
    path("alokasi/<int:agency_id>/hasil/<str:uid>/", allocation.allocation_run, name="allocation_run"),
    path("alokasi/<int:agency_id>/terima/", allocation.allocation_accept, name="allocation_accept"),
    path("evaluasi/", evaluation.home, name="evaluation"),
    path("evaluasi/reaksi/<int:enrollment_id>/", evaluation.reaction, name="evaluation_reaction"),
    path("evaluasi/tindak-lanjut/", evaluation.follow_ups, name="evaluation_follow_ups"),
    path("evaluasi/tindak-lanjut/<int:enrollment_id>/", evaluation.follow_up, name="evaluation_follow_up"),
]
