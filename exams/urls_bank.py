"""The question bank and item analysis pages (under /cat/bank/)."""

from django.urls import path

from exams import views_bank as views

urlpatterns = [
    path("", views.bank, name="bank"),
    path("impor/", views.bank_import, name="bank_import"),
    path("impor/templat.xlsx", views.bank_template, name="bank_template"),
    path("soal/<int:pk>/", views.bank_question, name="bank_question"),
    path("soal/<int:pk>/revisi/", views.bank_revise, name="bank_revise"),
    path("soal/<int:pk>/nonaktifkan/", views.bank_retire, name="bank_retire"),
    path("sesi/<int:session_id>/analisis/", views.analysis, name="analysis"),
]
