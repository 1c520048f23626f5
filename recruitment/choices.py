from django.db import models
from django.utils.translation import gettext_lazy as _

from recruitment import rules


class PeriodKind(models.TextChoices):
    CPNS = "cpns", _("CPNS")
    PPPK = "pppk", _("PPPK")


class Category(models.TextChoices):
    """Jenis kebutuhan formasi."""

    UMUM = rules.UMUM, _("Umum")
    KALIMANTAN = rules.KALIMANTAN, _("Putra/putri Kalimantan")
    CUMLAUDE = rules.CUMLAUDE, _("Lulusan terbaik (cumlaude)")
    DIASPORA = rules.DIASPORA, _("Diaspora")
    DISABILITAS = rules.DISABILITAS, _("Penyandang disabilitas")
    PAPUA = rules.PAPUA, _("Putra/putri Papua")
    DAERAH_TERTINGGAL = rules.DAERAH_TERTINGGAL, _("Putra/putri daerah tertinggal")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    ELIGIBLE = "eligible", _("Memenuhi syarat")
    INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
