"""Catalogue pages of competency development, under /pengembangan/katalog/ (namespace ``learning``)."""

from django.urls import path

from learning.views import catalogue, certificates, enrolment

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("program/baru/", catalogue.program_create, name="catalogue_program_new"),
    path("program/<int:program_id>/", catalogue.program_detail, name="catalogue_program"),
    path("program/<int:program_id>/angkatan/baru/", catalogue.event_create, name="catalogue_event_new"),
    path("anggaran/", catalogue.budget, name="catalogue_budget"),
    path("angkatan/", enrolment.event_list, name="catalogue_events"),
    path("angkatan/<int:event_id>/", enrolment.event_detail, name="catalogue_event"),
    path("angkatan/<int:event_id>/hadir/", enrolment.attendance, name="catalogue_attendance"),
    path("saya/", enrolment.my_training, name="catalogue_mine"),
    path("saya/minta/<int:event_id>/", enrolment.request_event, name="catalogue_request"),
    path("saya/batal/<int:enrollment_id>/", enrolment.my_cancel, name="catalogue_my_cancel"),
    path("saya/eksternal/", enrolment.external_submit, name="catalogue_external_submit"),
    path("pegawai/<str:nip>/", enrolment.employee_training, name="catalogue_employee"),
    path("persetujuan/", enrolment.approvals, name="catalogue_approvals"),
    path("verifikasi/", enrolment.external_queue, name="catalogue_verify"),
    path("eksternal/<int:item_id>/bukti/", enrolment.external_evidence, name="catalogue_evidence"),
    path("sertifikat/", certificates.lookup, name="catalogue_certificate_lookup"),
    path("sertifikat/<str:code>/", certificates.verify, name="catalogue_certificate"),
    path("peserta/<int:enrollment_id>/sertifikat.pdf", certificates.certificate_pdf, name="catalogue_certificate_pdf"),
]
