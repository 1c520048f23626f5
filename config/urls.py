from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("config.api_urls")),
    path("healthz", core_views.healthz, name="healthz"),
]
urlpatterns += [
    path("", core_views.home, name="home"),
    path("akun/", include("accounts.urls")),
    path("organisasi/", include("organization.urls")),
    path("pegawai/", include("personnel.urls")),
    path("kinerja/", include("performance.urls")),
    path("seleksi/", include("recruitment.urls")),
    path("cat/", include("exams.urls")),
    path("pengembangan/", include("learning.urls")),
    path("layanan/", include("publicservice.urls")),
    path("audit/", include("core.urls")),
    path("django-admin/", admin.site.urls),
]
