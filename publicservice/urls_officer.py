"""The officers' pages, under /layanan/petugas/ (publicservice/urls.py includes this module at "petugas/")."""

from django.urls import path

from publicservice.views import holidays, officer

urlpatterns = [
    path("", officer.officer_queue, name="officer_queue"),
    path("unit/", officer.officer_unit_queue, name="officer_unit_queue"),
    path("hari-libur/", holidays.officer_holidays, name="officer_holidays"),
    path("hari-libur/tambah/", holidays.officer_holiday_add, name="officer_holiday_add"),
    path("hari-libur/<int:pk>/hapus/", holidays.officer_holiday_remove, name="officer_holiday_remove"),
    path("hari-libur/<int:year>/isi-perkiraan/", holidays.officer_holiday_prefill, name="officer_holiday_prefill"),
    path("hari-libur/<int:year>/konfirmasi/", holidays.officer_holiday_confirm, name="officer_holiday_confirm"),
    path("cari-unit/", officer.officer_unit_search, name="officer_unit_search"),
    path("laporan/<str:code>/", officer.officer_complaint, name="officer_complaint"),
    path("laporan/<str:code>/teruskan/", officer.officer_forward, name="officer_forward"),
    path("laporan/<str:code>/klasifikasi/", officer.officer_reclassify, name="officer_reclassify"),
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
