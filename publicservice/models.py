"""Public service: the units that serve citizens, complaints with clocks that run on working days,
satisfaction surveys (SKM) and the action plans that close the loop."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


def public_code() -> str:
    """An unguessable code for a public address (about 71 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(14))


class ServiceUnit(TimeStampedModel):
    """A place that serves the public (a puskesmas, a Dukcapil office, a licensing desk), tied to the
    agency's organisation unit whose head answers for it."""

    agency = models.ForeignKey(
        "organization.Agency", on_delete=models.PROTECT, related_name="service_units", verbose_name=_("instansi")
    )
    org_unit = models.ForeignKey(
        "organization.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_units",
        verbose_name=_("unit organisasi"),
    )
    name = models.CharField(_("nama unit layanan"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    services = models.CharField(_("jenis layanan"), max_length=500, blank=True)
    population = models.PositiveIntegerField(_("jumlah pengguna layanan per periode"), default=0)
    code = models.CharField(max_length=14, unique=True, default=public_code)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit layanan")
        verbose_name_plural = _("unit layanan")
        ordering = ["agency", "name"]

    def __str__(self):
        return self.name


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Publik")
    ANONYMOUS = "anonymous", _("Anonim (identitas pelapor dirahasiakan)")
    CONFIDENTIAL = "confidential", _("Rahasia (laporan tidak ditampilkan ke publik)")


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION = "information", _("Permintaan informasi")


class ComplaintClass(models.TextChoices):
    """What the verifying officer finds the report to be (RULES.md §8.2): its class sets the response deadline.
    The citizen's ``kind`` at intake stays as filed."""

    GRIEVANCE = "grievance", _("Keluhan")
    DISPUTE = "dispute", _("Sengketa")
    VIOLATION = "violation", _("Pelanggaran")
    INFORMATION = "information", _("Permintaan informasi")
    ASPIRATION = "aspiration", _("Aspirasi")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima, menunggu verifikasi")
    FORWARDED = "forwarded", _("Diteruskan ke unit")
    IN_PROGRESS = "in_progress", _("Sedang ditindaklanjuti")
    RESPONDED = "responded", _("Sudah ditanggapi")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Tidak dapat diproses")
    MERGED = "merged", _("Digabung dengan laporan lain")


OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS)


class Complaint(TimeStampedModel):
    tracking_code = models.CharField(_("kode lacak"), max_length=14, unique=True, default=public_code)
    kind = models.CharField(_("jenis laporan"), max_length=12, choices=ComplaintKind.choices)
    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit layanan")
    )
    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="complaints")
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("isi laporan"))
    public_text = models.TextField(_("isi yang ditampilkan ke publik"), blank=True)  # after redaction
    location = models.CharField(_("lokasi kejadian"), max_length=300, blank=True)
    confidentiality = models.CharField(
        _("kerahasiaan"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_contact = models.CharField(_("email atau telepon untuk pemberitahuan"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    classification = models.CharField(
        _("klasifikasi"), max_length=12, choices=ComplaintClass.choices, blank=True
    )  # set by the verifying officer when forwarding
    field_inspection = models.BooleanField(_("perlu pemeriksaan lapangan"), default=False)
    verify_due = models.DateTimeField(_("batas verifikasi"))
    response_due = models.DateTimeField(_("batas tanggapan"), null=True, blank=True)
    # The running clock (verification while received, then the response), kept so that its deadline can be
    # recomputed when the calendar or the class changes: it started then and runs this many working days.
    clock_started_at = models.DateTimeField(_("awal hitungan tenggat"), null=True, blank=True)
    clock_days = models.PositiveSmallIntegerField(_("lama tenggat (hari kerja)"), default=0)
    due_provisional = models.BooleanField(
        _("tenggat sementara"),
        default=False,
        help_text=_("Tenggat mencakup tahun yang hari liburnya belum dikonfirmasi."),
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)  # 0 none, 1 unit head, 2 agency
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    hidden = models.BooleanField(_("disembunyikan (kasar/melanggar)"), default=False)
    rating = models.PositiveSmallIntegerField(
        _("penilaian pelapor"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("komentar penilaian"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=500, blank=True)
    reopened = models.PositiveSmallIntegerField(default=0)
    secret = models.CharField(max_length=64)  # keyed digest of the citizen's reply key (shown once at intake)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "status"], name="complaint_agency_status"),
            models.Index(fields=["unit", "created_at"], name="complaint_unit_created"),
            models.Index(fields=["status", "response_due"], name="complaint_due"),
        ]

    def __str__(self):
        return self.tracking_code


def attachment_path(instance, filename):
    return f"pengaduan/{instance.complaint.created_at:%Y/%m}/{instance.complaint.tracking_code}-{secrets.token_hex(4)}.{instance.kind}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    kind = models.CharField(max_length=4)  # jpg | png | pdf, by content
    size = models.PositiveIntegerField()
    public = models.BooleanField(_("boleh ditampilkan ke publik"), default=False)  # after an officer's review
    uploaded_by_citizen = models.BooleanField(default=True)


class ComplaintEvent(models.Model):
    """The history: every status change, forwarding, response and reply, who made it and whether the
    citizen (and, for public reports, the public) may see it."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Laporan masuk")
        VERIFIED = "verified", _("Diverifikasi")
        REJECTED = "rejected", _("Ditolak")
        FORWARDED = "forwarded", _("Diteruskan")
        ACCEPTED = "accepted", _("Diterima unit")
        RESPONSE = "response", _("Tanggapan")
        CITIZEN_REPLY = "citizen_reply", _("Balasan pelapor")
        RATED = "rated", _("Dinilai pelapor")
        REOPENED = "reopened", _("Dibuka kembali")
        CLOSED = "closed", _("Ditutup")
        ESCALATED = "escalated", _("Dieskalasi")
        MERGED = "merged", _("Digabung")
        REDACTED = "redacted", _("Disensor")
        HIDDEN = "hidden", _("Disembunyikan")
        RECLASSIFIED = "reclassified", _("Diklasifikasi ulang")
        DUE_MOVED = "due_moved", _("Tenggat dihitung ulang")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    text = models.TextField(blank=True)
    to_unit = models.ForeignKey(ServiceUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    citizen_visible = models.BooleanField(default=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["complaint", "at", "id"]


class SurveyCampaign(TimeStampedModel):
    """An SKM period of a service unit: its questionnaire is the nine unsur on the 4-point scale."""

    class Weighting(models.TextChoices):
        EXACT = "exact", _("Bobot tepat 1/9")
        LEGACY = "legacy", _("Bobot 0,11 (tertulis di Permen)")

    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("nama periode"), max_length=100)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    population = models.PositiveIntegerField(_("populasi pengguna layanan"))
    weighting = models.CharField(_("pembobotan"), max_length=6, choices=Weighting.choices, default=Weighting.EXACT)
    code = models.CharField(max_length=14, unique=True, default=public_code)

    class Meta:
        verbose_name = _("periode survei kepuasan")
        verbose_name_plural = _("periode survei kepuasan")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start")
        ]

    def __str__(self):
        return f"{self.unit} — {self.name}"


class SurveyPoint(models.Model):
    """An optional link for one desk or officer, so results come back to the people who served."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="points")
    label = models.CharField(_("loket / petugas"), max_length=150)
    officer = models.ForeignKey("personnel.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=14, unique=True, default=public_code)


class SurveyResponse(models.Model):
    AGE_BANDS = [
        ("<20", "< 20"),
        ("20-29", "20–29"),
        ("30-39", "30–39"),
        ("40-49", "40–49"),
        ("50-59", "50–59"),
        ("60+", "≥ 60"),
    ]
    EDUCATION = [("sd", "SD"), ("smp", "SMP"), ("sma", "SMA/SMK"), ("d3", "D1–D3"), ("s1", "D4/S1"), ("s2", "S2/S3")]
    OCCUPATION = [
        ("pns", _("PNS/TNI/Polri")),
        ("swasta", _("Pegawai swasta")),
        ("wirausaha", _("Wirausaha")),
        ("pelajar", _("Pelajar/mahasiswa")),
        ("lainnya", _("Lainnya")),
    ]

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.PROTECT, related_name="responses")
    point = models.ForeignKey(SurveyPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    u1 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u2 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u3 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u4 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u5 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u6 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u7 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u8 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    u9 = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    age_band = models.CharField(_("usia"), max_length=5, choices=AGE_BANDS)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=[("M", _("Laki-laki")), ("F", _("Perempuan"))])
    education = models.CharField(_("pendidikan"), max_length=3, choices=EDUCATION)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=OCCUPATION)
    suggestion = models.CharField(_("saran"), max_length=500, blank=True)
    device = models.CharField(max_length=64)  # keyed digest of the device cookie
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "device", "day"], name="survey_one_per_device_day")]
        indexes = [models.Index(fields=["campaign", "point"], name="survey_campaign_point")]


class ActionPlan(TimeStampedModel):
    """Rencana tindak lanjut for a weak unsur or a recurring complaint theme, tracked to completion."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Berjalan")
        DONE = "done", _("Selesai")

    unit = models.ForeignKey(ServiceUnit, on_delete=models.PROTECT, related_name="action_plans")
    campaign = models.ForeignKey(
        SurveyCampaign, null=True, blank=True, on_delete=models.PROTECT, related_name="action_plans"
    )
    unsur = models.CharField(_("unsur"), max_length=3, blank=True)
    theme = models.CharField(_("tema pengaduan berulang"), max_length=200, blank=True)
    title = models.CharField(_("rencana tindak lanjut"), max_length=300)
    owner = models.ForeignKey(
        "personnel.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("penanggung jawab")
    )
    due = models.DateField(_("tenggat"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_at = models.DateField(null=True, blank=True)
    result = models.CharField(_("hasil"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["due"]
        constraints = [models.CheckConstraint(condition=~Q(unsur="") | ~Q(theme=""), name="action_plan_has_source")]
