"""competency pages of competency development: the dictionary, standards, assessments, gaps and plans."""

from django.urls import path

from learning.views import competency, plans

urlpatterns = [
    path("kompetensi/", competency.dictionary, name="competency_list"),
    path("kompetensi/baru/", competency.competency_create, name="competency_create"),
    path("standar/", competency.standards, name="competency_standards"),
    path("standar/jabatan/<int:position_id>/", competency.position_standards, name="competency_position"),
    path(
        "standar/jabatan/<int:position_id>/<int:competency_id>/",
        competency.standard_set,
        name="competency_standard_set",
    ),
    path("saya/", competency.my_competency, name="competency_mine"),
    path("pegawai/<str:nip>/", competency.employee_competency, name="competency_employee"),
    path("penilaian/impor/", competency.assessment_import, name="competency_import"),
    path("peta-kesenjangan/", competency.heatmap, name="competency_heatmap"),
    path("rencana/", plans.my_plan, name="plan_mine"),
    path("rencana/tim/", plans.team_plans, name="plan_team"),
    path("rencana/instansi/", plans.agency_plans, name="plan_agency"),
    path("rencana/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
]
