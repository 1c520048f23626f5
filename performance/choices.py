from django.db import models
from django.utils.translation import gettext_lazy as _

from performance import rules


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Bulanan")
    QUARTERLY = "quarterly", _("Triwulanan")
    SEMESTER = "semester", _("Semesteran")


class CurvePolicy(models.TextChoices):
    REFUSE = "refuse", _("Tolak penetapan yang menyimpang dari kurva")
    JUSTIFY = "justify", _("Izinkan dengan justifikasi tercatat")


class Rounding(models.TextChoices):
    FLOOR_CEIL = "floor_ceil", _("Batas maksimal dibulatkan ke bawah, minimal ke atas")
    NEAREST = "nearest", _("Dibulatkan ke bilangan terdekat")
    LENIENT = "lenient", _("Batas maksimal ke atas, minimal ke bawah")


class Rating(models.TextChoices):
    ABOVE = rules.ABOVE, _("Di Atas Ekspektasi")
    MEETS = rules.MEETS, _("Sesuai Ekspektasi")
    BELOW = rules.BELOW, _("Di Bawah Ekspektasi")


class Predikat(models.TextChoices):
    SANGAT_BAIK = rules.SANGAT_BAIK, _("Sangat Baik")
    BAIK = rules.BAIK, _("Baik")
    BUTUH_PERBAIKAN = rules.BUTUH_PERBAIKAN, _("Butuh Perbaikan")
    KURANG = rules.KURANG, _("Kurang/Misconduct")
    SANGAT_KURANG = rules.SANGAT_KURANG, _("Sangat Kurang")


class OrgPredikat(models.TextChoices):
    ISTIMEWA = rules.ISTIMEWA, _("Istimewa")
    BAIK = rules.BAIK, _("Baik")
    BUTUH_PERBAIKAN = rules.BUTUH_PERBAIKAN, _("Butuh Perbaikan")
    KURANG = rules.KURANG, _("Kurang")
    SANGAT_KURANG = rules.SANGAT_KURANG, _("Sangat Kurang")


class SkpStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")


class Aspect(models.TextChoices):
    QUANTITY = "quantity", _("Kuantitas")
    QUALITY = "quality", _("Kualitas")
    TIME = "time", _("Waktu")
    COST = "cost", _("Biaya")


class EvidenceKind(models.TextChoices):
    LINK = "link", _("Tautan")
    FILE = "file", _("Berkas")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class Behaviour(models.TextChoices):
    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", "Berorientasi Pelayanan"
    AKUNTABEL = "akuntabel", "Akuntabel"
    KOMPETEN = "kompeten", "Kompeten"
    HARMONIS = "harmonis", "Harmonis"
    LOYAL = "loyal", "Loyal"
    ADAPTIF = "adaptif", "Adaptif"
    KOLABORATIF = "kolaboratif", "Kolaboratif"


class CoachingStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    DONE = "done", _("Selesai")


# The status shown on dashboards: one per employee and year.
class PlanState(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum mulai")
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    ASSESSED = "assessed", _("Dinilai")
