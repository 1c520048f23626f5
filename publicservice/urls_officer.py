"""The officers' pages, under /layanan/petugas/ (publicservice/urls.py includes this module at "petugas/")."""

from django.urls import path

from publicservice.views import officer

urlpatterns = [
    path("", officer.officer_queue, name="officer_queue"),
    path("unit/", officer.officer_unit_queue, name="officer_unit_queue"),
    path("hari-libur/", officer.officer_holidays, name="officer_holidays"),
    path("cari-unit/", officer.officer_unit_search, name="officer_unit_search"),
    path("laporan/<str:code>/", officer.officer_complaint, name="officer_complaint"),
    path("laporan/<str:code>/teruskan/", officer.officer_forward, name="officer_forward"),
    path("laporan/<str:code>/tolak/", officer.officer_reject, name="officer_reject"),
    path("laporan/<str:code>/gabung/", officer.officer_merge, name="officer_merge"),
    path("laporan/<str:code>/tindak-lanjut/", officer.officer_progress, name="officer_progress"),
    path("laporan/<str:code>/tanggapi/", officer.officer_respond, name="officer_respond"),
    path("laporan/<str:code>/tutup/", officer.officer_close, name="officer_close"),
    path("laporan/<str:code>/sensor/", officer.officer_redact, name="officer_redact"),
    path("laporan/<str:code>/sembunyikan/", officer.officer_hide, name="officer_hide"),
    path("laporan/<str:code>/lampiran/<int:pk>/", officer.officer_attachment, name="officer_attachment"),
    path(
        "laporan/<str:code>/lampiran/<int:pk>/publik/",
        officer.officer_attachment_publish,
        name="officer_attachment_publish",
    ),
]
