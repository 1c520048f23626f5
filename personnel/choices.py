from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


class EmployeeType(models.TextChoices):
    CPNS = "cpns", _("CPNS")
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    RETIRED = "retired", _("Pensiun")
    DISMISSED = "dismissed", _("Diberhentikan")
    DECEASED = "deceased", _("Meninggal")


class RankScheme(models.TextChoices):
    PNS = "pns", _("PNS (golongan/ruang)")
    PPPK = "pppk", _("PPPK (golongan I–XVII)")


class AssignmentKind(models.TextChoices):
    DEFINITIVE = "definitive", _("Definitif")
    PLT = "plt", _("Pelaksana Tugas (Plt)")
    PLH = "plh", _("Pelaksana Harian (Plh)")
