from django.urls import path

from personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.employee_list, name="list"),
    path("saya/", views.my_profile, name="me"),
    path("baru/", views.employee_new, name="new"),
    path("impor/", views.import_home, name="import"),
    path("impor/templat.<str:fmt>", views.import_template, name="import_template"),
    path("impor/<str:uid>/", views.import_job, name="import_job"),
    path("impor/<str:uid>/simpan/", views.import_commit, name="import_commit"),
    path("impor/<str:uid>/galat.<str:fmt>", views.import_issues_export, name="import_issues"),
    path("<str:nip>/", views.employee_detail, name="detail"),
    path("<str:nip>/tambah/<str:kind>/", views.history_add, name="history_add"),
]
