from django.urls import include, path
from django.views.generic import RedirectView

app_name = "learning"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="learning:catalogue"), name="home"),
    path("", include("learning.urls_competency")),
    path("katalog/", include("learning.urls_catalogue")),
    path("laporan/", include("learning.urls_reports")),
]
