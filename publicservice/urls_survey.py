"""Satisfaction survey (SKM) and action plans, under /layanan/survei/: the public questionnaire by code, the
officers' pages by id behind their access checks."""

from django.urls import path

from publicservice.views import actions, survey

urlpatterns = [
    # Public, no account: addressed by the period's (or a desk's) random code.
    path("s/<str:code>/", survey.survey_public, name="survey_public"),
    path("s/<str:code>/terima-kasih/", survey.survey_thanks, name="survey_thanks"),
    # Officers.
    path("", survey.survey_units, name="survey_units"),
    path("unit/baru/", survey.survey_unit_edit, name="survey_unit_create"),
    path("unit/<int:unit_id>/", survey.survey_unit, name="survey_unit"),
    path("unit/<int:unit_id>/ubah/", survey.survey_unit_edit, name="survey_unit_edit"),
    path("unit/<int:unit_id>/periode-baru/", survey.survey_campaign_edit, name="survey_campaign_create"),
    path("periode/<int:campaign_id>/", survey.survey_results, name="survey_results"),
    path("periode/<int:campaign_id>/ubah/", survey.survey_campaign_edit, name="survey_campaign_edit"),
    path("periode/<int:campaign_id>/loket/", survey.survey_point_add, name="survey_point_add"),
    path("periode/<int:campaign_id>/qr.<str:fmt>", survey.survey_qr, name="survey_qr"),
    path("periode/<int:campaign_id>/cetak-qr/", survey.survey_qr_sheet, name="survey_qr_sheet"),
    path("periode/<int:campaign_id>/laporan.pdf", survey.survey_report_pdf, name="survey_report_pdf"),
    path("periode/<int:campaign_id>/poster.pdf", survey.survey_poster_pdf, name="survey_poster_pdf"),
    path("periode/<int:campaign_id>/jawaban.xlsx", survey.survey_export, name="survey_export"),
    path("instansi/<int:agency_id>/", survey.survey_dashboard, name="survey_dashboard"),
    # Action plans (rencana tindak lanjut).
    path("rtl/", actions.action_list, name="action_list"),
    path("rtl/baru/", actions.action_create, name="action_create"),
    path("rtl/<int:plan_id>/", actions.action_detail, name="action_detail"),
    path("rtl/<int:plan_id>/<str:op>/", actions.action_update, name="action_update"),
]
