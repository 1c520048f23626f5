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


class IneligibleReason(models.TextChoices):
    """Reasons from a fixed list, so that every refusal is comparable and open to appeal."""

    DOCUMENTS_MISSING = "documents_missing", _("Dokumen wajib tidak lengkap")
    DOCUMENTS_INVALID = "documents_invalid", _("Dokumen tidak sah atau tidak terbaca")
    EDUCATION = "education", _("Kualifikasi pendidikan tidak sesuai")
    AGE = "age", _("Usia tidak memenuhi batas")
    CATEGORY = "category", _("Tidak memenuhi syarat jenis kebutuhan")
    OTHER = "other", _("Lainnya (lihat catatan)")


class AppealDecision(models.TextChoices):
    GRANTED = "granted", _("Diterima: memenuhi syarat")
    REJECTED = "rejected", _("Ditolak: tetap tidak memenuhi syarat")


class DocumentKind(models.TextChoices):
    KTP = "ktp", _("KTP")
    IJAZAH = "ijazah", _("Ijazah")
    TRANSKRIP = "transkrip", _("Transkrip nilai")
    SURAT_LAMARAN = "surat_lamaran", _("Surat lamaran")
    PAS_FOTO = "pas_foto", _("Pas foto")
