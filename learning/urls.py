from django.urls import include, path

app_name = "learning"
urlpatterns = [
    path("", include("learning.urls_competency")),
    path("katalog/", include("learning.urls_catalogue")),
    path("laporan/", include("learning.urls_reports")),
]
