from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    CENTRAL = "central", _("Instansi pusat")
    PROVINCE = "province", _("Pemerintah provinsi")
    REGENCY = "regency", _("Pemerintah kabupaten/kota")


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class UnitKind(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Sekretariat")
    AGENCY_UNIT = "perangkat_daerah", _("Perangkat daerah (dinas/badan)")
    HOSPITAL = "rumah_sakit", _("Rumah sakit")
    DIVISION = "bidang", _("Bidang / bagian")
    SECTION = "seksi", _("Seksi / subbagian")
    HEALTH_CENTER = "puskesmas", _("Puskesmas")
    SCHOOL = "sekolah", _("Sekolah")
    OTHER = "lainnya", _("Lainnya")


class PositionType(models.TextChoices):
    """Jenis jabatan (RULES.md §7.3)."""

    JPT = "jpt", _("Jabatan Pimpinan Tinggi")
    ADMINISTRATOR = "administrator", _("Jabatan Administrator")
    SUPERVISOR = "pengawas", _("Jabatan Pengawas")
    EXECUTOR = "pelaksana", _("Jabatan Pelaksana")
    FUNCTIONAL_EXPERT = "fungsional_keahlian", _("Jabatan Fungsional Keahlian")
    FUNCTIONAL_SKILLED = "fungsional_keterampilan", _("Jabatan Fungsional Keterampilan")


class PositionLevel(models.TextChoices):
    """Jenjang jabatan (RULES.md §7.3)."""

    JPT_UTAMA = "jpt_utama", _("JPT Utama")
    JPT_MADYA = "jpt_madya", _("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    PELAKSANA = "pelaksana", _("Pelaksana")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    PENYELIA = "penyelia", _("Penyelia")
    MAHIR = "mahir", _("Mahir")
    TERAMPIL = "terampil", _("Terampil")
    PEMULA = "pemula", _("Pemula")


LEVELS_BY_TYPE = {
    PositionType.JPT: {PositionLevel.JPT_UTAMA, PositionLevel.JPT_MADYA, PositionLevel.JPT_PRATAMA},
    PositionType.ADMINISTRATOR: {PositionLevel.ADMINISTRATOR},
    PositionType.SUPERVISOR: {PositionLevel.PENGAWAS},
    PositionType.EXECUTOR: {PositionLevel.PELAKSANA},
    PositionType.FUNCTIONAL_EXPERT: {
        PositionLevel.AHLI_UTAMA,
        PositionLevel.AHLI_MADYA,
        PositionLevel.AHLI_MUDA,
        PositionLevel.AHLI_PERTAMA,
    },
    PositionType.FUNCTIONAL_SKILLED: {
        PositionLevel.PENYELIA,
        PositionLevel.MAHIR,
        PositionLevel.TERAMPIL,
        PositionLevel.PEMULA,
    },
}
