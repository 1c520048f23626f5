from django.urls import include, path

from recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("formasi/", views.formation_search, name="formations"),
    path("daftar/", views.register, name="register"),
    path("saya/", views.mine, name="mine"),
    path("panitia/", views.committee, name="committee"),
    path("pengumuman/", views.announcements, name="announcements"),
    path("formasi/<int:formation_id>/lamar/", views.apply, name="apply"),
    path("lamaran/<str:number>/", views.receipt, name="receipt"),
    path("lamaran/<str:number>/dokumen/<int:document_id>/", views.document_file, name="document"),
    path("hasil/", include("recruitment.urls_ranking")),
    path("jpt/", include("recruitment.urls_jpt")),
]
