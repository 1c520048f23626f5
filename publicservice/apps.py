from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicServiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publicservice"
    verbose_name = _("Pelayanan publik")
