"""Competency development: the dictionary and standards, assessed levels, individual development plans,
the training catalogue and events, enrolments with attendance and completion, the JP ledger, learning
done elsewhere, budgets and evaluation."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from learning import rules
from learning.choices import (
    AssessmentSource,
    CompetencyKind,
    EnrollmentStatus,
    ExternalStatus,
    FollowUp,
    Modality,
    PlanStatus,
)


class Competency(models.Model):
    """A competency of the dictionary: the eight managerial and the socio-cultural one are national;
    technical ones belong to an agency and a position family."""

    kind = models.CharField(_("jenis"), max_length=15, choices=CompetencyKind.choices)
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama kompetensi"), max_length=200)
    description = models.TextField(_("definisi"), blank=True)
    agency = models.ForeignKey(
        "organization.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competencies",
        verbose_name=_("instansi"),
    )
    family = models.CharField(_("rumpun jabatan"), max_length=150, blank=True)
    max_level = models.PositiveSmallIntegerField(
        _("level tertinggi"), validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(agency__isnull=True), name="competency_national_code_unique"
            ),
            models.UniqueConstraint(fields=["agency", "code"], name="competency_agency_code_unique"),
            models.CheckConstraint(
                condition=Q(kind="technical", agency__isnull=False) | (~Q(kind="technical") & Q(agency__isnull=True)),
                name="competency_technical_has_agency",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class CompetencyLevel(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    description = models.TextField(_("deskripsi perilaku"))

    class Meta:
        ordering = ["competency", "level"]
        constraints = [models.UniqueConstraint(fields=["competency", "level"], name="competency_level_unique")]


class CompetencyStandard(models.Model):
    """The level a position requires of a competency (standar kompetensi jabatan)."""

    position = models.ForeignKey("organization.Position", on_delete=models.CASCADE, related_name="competency_standards")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="standards")
    required_level = models.PositiveSmallIntegerField(_("level yang dipersyaratkan"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("standar kompetensi jabatan")
        verbose_name_plural = _("standar kompetensi jabatan")
        constraints = [models.UniqueConstraint(fields=["position", "competency"], name="competency_standard_unique")]


class CompetencyAssessment(models.Model):
    """One result: an employee's level in a competency, its source and date."""

    employee = models.ForeignKey("personnel.Employee", on_delete=models.CASCADE, related_name="competency_results")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="results")
    level = models.PositiveSmallIntegerField(_("level yang dimiliki"))
    source = models.CharField(_("sumber"), max_length=20, choices=AssessmentSource.choices)
    assessed_on = models.DateField(_("tanggal penilaian"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hasil penilaian kompetensi")
        verbose_name_plural = _("hasil penilaian kompetensi")
        indexes = [models.Index(fields=["employee", "competency", "-assessed_on"], name="competency_result_latest")]


class DevelopmentPlan(TimeStampedModel):
    """Rencana pengembangan kompetensi individu for one employee and year, approved by the supervisor."""

    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="development_plans")
    year = models.PositiveSmallIntegerField(_("tahun"))
    career_goal = models.CharField(_("sasaran karier"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    supervisor = models.ForeignKey(
        "personnel.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("atasan"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    supervisor_note = models.CharField(_("catatan atasan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rencana pengembangan kompetensi")
        verbose_name_plural = _("rencana pengembangan kompetensi")
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="development_plan_unique")]


class DevelopmentPlanItem(models.Model):
    class Origin(models.TextChoices):
        GAP = "gap", _("Kesenjangan kompetensi")
        COACHING = "coaching", _("Rencana pembinaan kinerja")
        CAREER = "career", _("Sasaran karier")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    origin = models.CharField(_("asal"), max_length=10, choices=Origin.choices)
    competency = models.ForeignKey(Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gap = models.SmallIntegerField(_("kesenjangan"), default=0)
    coaching_action = models.ForeignKey(
        "performance.CoachingAction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.CharField(_("kegiatan pengembangan"), max_length=300)
    program = models.ForeignKey("Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    planned_jp = models.DecimalField(_("JP direncanakan"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["plan", "-gap", "id"]


class Program(TimeStampedModel):
    """A programme of the catalogue."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    title = models.CharField(_("nama program"), max_length=200)
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    modality = models.CharField(_("moda"), max_length=12, choices=Modality.choices)
    provider = models.CharField(_("penyelenggara"), max_length=200)
    cost_per_participant = models.DecimalField(_("biaya per peserta (Rp)"), max_digits=14, decimal_places=0, default=0)
    description = models.TextField(_("uraian"), blank=True)
    has_tests = models.BooleanField(_("dengan pre-test dan post-test"), default=True)
    pass_score = models.DecimalField(_("nilai lulus post-test"), max_digits=5, decimal_places=2, default=60)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("program pengembangan")
        verbose_name_plural = _("program pengembangan")
        ordering = ["title"]

    def __str__(self):
        return self.title


class ProgramCompetency(models.Model):
    """A competency a programme develops, up to which level."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="programs")
    level = models.PositiveSmallIntegerField(_("sampai level"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "competency"], name="program_competency_unique")]


class TrainingEvent(TimeStampedModel):
    """A batch (angkatan) of a programme: dates, place and seats."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="events")
    agency = models.ForeignKey(
        "organization.Agency",
        on_delete=models.PROTECT,
        related_name="training_events",
        verbose_name=_("instansi penyelenggara"),
    )
    name = models.CharField(_("angkatan"), max_length=100)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    place = models.CharField(_("tempat"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), validators=[MinValueValidator(1)])
    cancelled = models.BooleanField(_("dibatalkan"), default=False)

    class Meta:
        verbose_name = _("angkatan pelatihan")
        verbose_name_plural = _("angkatan pelatihan")
        ordering = ["starts_on", "program"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start")
        ]

    def __str__(self):
        return f"{self.program} — {self.name}"

    @property
    def counts_in_year(self) -> int:
        """The year the event's JP are booked to and its cost charged to (rules.budget_year: the year it ends)."""
        return rules.budget_year(self.ends_on)

    @property
    def spans_years(self) -> bool:
        return rules.spans_years(self.starts_on, self.ends_on)


def certificate_code() -> str:
    return secrets.token_hex(6).upper()


class Enrollment(TimeStampedModel):
    """An employee in an event: requested, waitlisted or enrolled; then completed or not."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="enrollments")
    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=14, choices=EnrollmentStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)  # first come, first served off the list
    cost = models.DecimalField(_("biaya"), max_digits=14, decimal_places=0, default=0)
    over_budget_reason = models.CharField(_("alasan melampaui anggaran"), max_length=300, blank=True)
    pre_score = models.DecimalField(_("nilai pre-test"), max_digits=5, decimal_places=2, null=True, blank=True)
    post_score = models.DecimalField(_("nilai post-test"), max_digits=5, decimal_places=2, null=True, blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    certificate = models.CharField(_("nomor verifikasi sertifikat"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "employee"],
                condition=~Q(status__in=["cancelled", "rejected"]),
                name="enrollment_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["certificate"], condition=~Q(certificate=""), name="enrollment_certificate_unique"
            ),
        ]


class Attendance(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("tanggal"))
    present = models.BooleanField(_("hadir"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrollment", "day"], name="attendance_day_unique")]


class ExternalLearning(TimeStampedModel):
    """Learning done elsewhere, submitted by the employee with evidence; counts once HR verifies it."""

    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="external_learning")
    title = models.CharField(_("nama kegiatan"), max_length=200)
    provider = models.CharField(_("penyelenggara"), max_length=200)
    modality = models.CharField(_("moda"), max_length=12, choices=Modality.choices)
    started_on = models.DateField(_("mulai"))
    ended_on = models.DateField(_("selesai"))
    minutes = models.PositiveIntegerField(_("durasi (menit)"), validators=[MinValueValidator(1)])
    evidence = models.FileField(_("bukti (sertifikat)"), upload_to="pembelajaran/bukti/")
    status = models.CharField(
        _("status"), max_length=10, choices=ExternalStatus.choices, default=ExternalStatus.SUBMITTED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("alasan penolakan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pembelajaran mandiri / eksternal")
        verbose_name_plural = _("pembelajaran mandiri / eksternal")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__gte=models.F("started_on")), name="external_ends_after_start")
        ]


class JpEntry(models.Model):
    """The ledger: JP booked to an employee's year by a completed enrolment or verified external learning.
    Entries are written by the services only and never edited; a correction is a new entry."""

    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="jp_entries")
    year = models.PositiveSmallIntegerField(_("tahun"))
    booked_on = models.DateField(_("tanggal"))
    minutes = models.IntegerField(_("menit"))
    jp = models.DecimalField(_("JP"), max_digits=7, decimal_places=2)
    enrollment = models.OneToOneField(
        Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="jp_entry"
    )
    external = models.OneToOneField(
        ExternalLearning, null=True, blank=True, on_delete=models.PROTECT, related_name="jp_entry"
    )
    description = models.CharField(_("uraian"), max_length=300)

    class Meta:
        verbose_name = _("catatan JP")
        verbose_name_plural = _("catatan JP")
        indexes = [models.Index(fields=["year", "employee"], name="jp_entry_year_employee")]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrollment__isnull=True) | Q(external__isnull=True), name="jp_entry_one_source"
            )
        ]


class TrainingBudget(TimeStampedModel):
    """A year's training budget of an agency, or of one of its units."""

    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="training_budgets")
    unit = models.ForeignKey("organization.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.DecimalField(_("pagu (Rp)"), max_digits=16, decimal_places=0, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("anggaran pengembangan kompetensi")
        verbose_name_plural = _("anggaran pengembangan kompetensi")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], condition=Q(unit__isnull=True), name="budget_agency_year_unique"
            ),
            models.UniqueConstraint(fields=["agency", "unit", "year"], name="budget_unit_year_unique"),
        ]


class ReactionSurvey(models.Model):
    """The participant's reaction (level 1) after an event: 1–5 per aspect."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="reaction")
    relevance = models.PositiveSmallIntegerField(
        _("relevansi dengan pekerjaan"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    material = models.PositiveSmallIntegerField(_("materi"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    facilitator = models.PositiveSmallIntegerField(
        _("fasilitator"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation = models.PositiveSmallIntegerField(
        _("penyelenggaraan"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("saran"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)


class SupervisorFollowUp(models.Model):
    """The supervisor's follow-up three months after completion: has the behaviour changed?"""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="follow_up")
    supervisor = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("hasil"), max_length=10, choices=FollowUp.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)


def allocation_run_uid() -> str:
    return secrets.token_hex(12)


class AllocationRun(TimeStampedModel):
    """One computation of the optimal allocation, run in the background: what was asked, how far it got
    and what it found (the exact and the greedy plan, kept as they were computed)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu antrean")
        RUNNING = "running", _("Sedang dihitung")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    class Stage(models.TextChoices):
        BUILD = "build", _("Menyusun model")
        SOLVE = "solve", _("Mencari rencana optimal")
        GREEDY = "greedy", _("Menghitung rencana greedy")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    uid = models.CharField(max_length=32, unique=True, editable=False, default=allocation_run_uid)
    agency = models.ForeignKey(
        "organization.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    weights = models.JSONField(_("bobot"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("tahap"), max_length=8, choices=Stage.choices, blank=True)
    started_at = models.DateTimeField(_("mulai dihitung"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai dihitung"), null=True, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        verbose_name = _("perhitungan alokasi optimal")
        verbose_name_plural = _("perhitungan alokasi optimal")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The service refuses a second one politely; this closes the race between two requests.
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(status__in=["queued", "running"]),
                name="allocation_run_one_active",
            )
        ]
        indexes = [models.Index(fields=["agency", "-created_at"], name="allocation_run_recent")]

    def __str__(self):
        return f"{self.agency_id}/{self.year} {self.uid} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
