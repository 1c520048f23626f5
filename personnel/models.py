from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from organization.choices import PositionType
from personnel.choices import AssignmentKind, EmployeeStatus, EmployeeType, Gender, RankScheme
from personnel.querysets import EmployeeQuerySet, HistoryQuerySet


class Rank(models.Model):
    """Golongan/ruang (PNS, with pangkat) or golongan (PPPK I–XVII); RULES.md §7.2."""

    code = models.CharField(_("kode"), max_length=6, unique=True)
    scheme = models.CharField(_("skema"), max_length=4, choices=RankScheme.choices)
    name = models.CharField(_("pangkat"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("golongan")
        verbose_name_plural = _("golongan")
        ordering = ["scheme", "order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "order"], name="rank_scheme_order_unique")]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class EducationLevel(models.Model):
    code = models.CharField(_("kode"), max_length=6, unique=True)
    name = models.CharField(_("nama"), max_length=60)
    order = models.PositiveSmallIntegerField(_("urutan"), unique=True)

    class Meta:
        verbose_name = _("jenjang pendidikan")
        verbose_name_plural = _("jenjang pendidikan")
        ordering = ["order"]

    def __str__(self):
        return self.name


class Employee(TimeStampedModel):
    """An ASN (CPNS, PNS or PPPK). Current rank, position, unit and education follow from the
    histories and are kept here, written only by ``personnel.services.employee_refresh_current``,
    so that lists of 100,000 employees filter and sort on indexed columns."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="employees",
        db_index=False,  # the (agency, name) and (agency, status) indexes lead with it
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[RegexValidator(r"^\d{18}$")])
    nip_lama = models.CharField(_("NIP lama"), max_length=9, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, validators=[RegexValidator(r"^\d{16}$")])
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    employee_type = models.CharField(_("jenis pegawai"), max_length=4, choices=EmployeeType.choices)
    status = models.CharField(_("status"), max_length=10, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE)
    tmt_appointment = models.DateField(
        _("TMT pengangkatan pertama"), help_text=_("TMT CPNS bagi PNS; TMT perjanjian kerja pertama bagi PPPK.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    # Derived from the histories (see the class docstring).
    current_rank = models.ForeignKey(
        Rank, verbose_name=_("golongan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_position = models.ForeignKey(
        "organization.Position",
        verbose_name=_("jabatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
    )
    current_unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit organisasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_position_type = models.CharField(
        _("jenis jabatan"), max_length=30, blank=True, choices=PositionType.choices
    )
    current_education = models.ForeignKey(
        EducationLevel,
        verbose_name=_("pendidikan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # only grouped by in charts, never looked up: one index less on every write
    )
    retirement_date = models.DateField(_("TMT pensiun (BUP)"), null=True, blank=True, db_index=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["agency", "name"], name="employee_agency_name"),
            models.Index(fields=["name"], name="employee_name"),
            models.Index(fields=["agency", "status"], name="employee_agency_status"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip() if self.front_title else self.name
        return f"{name}, {self.back_title}" if self.back_title else name


class RankHistory(TimeStampedModel):
    """Riwayat pangkat/golongan."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="rank_history"
    )
    rank = models.ForeignKey(Rank, verbose_name=_("golongan"), on_delete=models.PROTECT)
    tmt = models.DateField(_("TMT"))
    decree_number = models.CharField(_("nomor SK"), max_length=100)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat pangkat")
        verbose_name_plural = _("riwayat pangkat")
        ordering = ["employee", "-tmt"]
        constraints = [models.UniqueConstraint(fields=["employee", "rank", "tmt"], name="rankhistory_unique")]

    def __str__(self):
        return f"{self.rank} TMT {self.tmt}"


class Assignment(TimeStampedModel):
    """Riwayat jabatan: a definitive appointment or an acting one (Plt / Plh), effective-dated."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="assignments"
    )
    position = models.ForeignKey(
        "organization.Position", verbose_name=_("jabatan"), on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(
        _("jenis penugasan"), max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.DEFINITIVE
    )
    tmt = models.DateField(_("TMT"))
    end_date = models.DateField(
        _("berakhir"), null=True, blank=True, help_text=_("Hari terakhir; kosong bila masih berlaku.")
    )
    decree_number = models.CharField(_("nomor SK"), max_length=100)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        ordering = ["employee", "-tmt"]
        indexes = [models.Index(fields=["position", "tmt"], name="assignment_position_tmt")]
        constraints = [
            models.CheckConstraint(
                name="assignment_end_after_start", condition=Q(end_date__isnull=True) | Q(end_date__gte=F("tmt"))
            )
        ]

    def __str__(self):
        return f"{self.position} ({self.get_kind_display()}) TMT {self.tmt}"


class EducationHistory(TimeStampedModel):
    """Riwayat pendidikan."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="education_history"
    )
    level = models.ForeignKey(EducationLevel, verbose_name=_("jenjang"), on_delete=models.PROTECT)
    major = models.CharField(_("jurusan"), max_length=150, blank=True)
    institution = models.CharField(_("lembaga pendidikan"), max_length=200, blank=True)
    tmt = models.DateField(_("tanggal lulus"))
    decree_number = models.CharField(_("nomor ijazah"), max_length=100)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat pendidikan")
        verbose_name_plural = _("riwayat pendidikan")
        ordering = ["employee", "-tmt"]

    def __str__(self):
        return f"{self.level} {self.major}".strip()


class ImportJob(TimeStampedModel):
    """One upload of the employee template: validated first, committed only when asked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        VALIDATING = "validating", _("Memeriksa")
        VALIDATED = "validated", _("Selesai diperiksa")
        COMMITTING = "committing", _("Menyimpan")
        COMMITTED = "committed", _("Tersimpan")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Mode(models.TextChoices):
        ALL = "all", _("Seluruh berkas")
        VALID_ONLY = "valid_only", _("Hanya baris yang sah")

    uid = models.CharField(max_length=32, unique=True, editable=False)
    agency = models.ForeignKey("organization.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengunggah"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    mode = models.CharField(_("cakupan simpan"), max_length=12, choices=Mode.choices, blank=True)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(_("baris sah"), default=0)
    error_rows = models.PositiveIntegerField(_("baris bermasalah"), default=0)
    warning_count = models.PositiveIntegerField(_("peringatan"), default=0)
    committed_rows = models.PositiveIntegerField(_("baris tersimpan"), default=0)
    message = models.TextField(_("pesan"), blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor pegawai")
        verbose_name_plural = _("impor pegawai")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.VALIDATING, self.Status.COMMITTING)


class ImportIssue(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("baris"))
    column = models.CharField(_("kolom"), max_length=60)
    message = models.CharField(_("pesan"), max_length=300)
    severity = models.CharField(_("tingkat"), max_length=8, default="error")

    class Meta:
        ordering = ["row", "id"]
