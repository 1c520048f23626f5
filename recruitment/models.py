"""Recruitment periods, formations with quotas per category, and the passing grades as data."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from recruitment.choices import AppealDecision, ApplicationStatus, Category, DocumentKind, IneligibleReason, PeriodKind
from recruitment.querysets import FormationQuerySet


class RecruitmentPeriod(TimeStampedModel):
    """A national selection (e.g. CPNS 2024): its registration window and the blueprint of its test."""

    kind = models.CharField(_("jenis"), max_length=4, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2018)])
    name = models.CharField(_("nama"), max_length=120)
    registration_opens = models.DateTimeField(_("pendaftaran dibuka"))
    registration_closes = models.DateTimeField(_("pendaftaran ditutup"))
    blueprint = models.CharField(_("kisi-kisi SKD"), max_length=20, default="SKD-2021")
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    second_check = models.BooleanField(_("verifikasi dua tahap"), default=False)
    appeal_opens = models.DateTimeField(_("masa sanggah dibuka"), null=True, blank=True)
    appeal_closes = models.DateTimeField(_("masa sanggah ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = _("periode seleksi")
        verbose_name_plural = _("periode seleksi")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="recruitment_period_unique"),
            models.CheckConstraint(
                condition=models.Q(registration_closes__gt=models.F("registration_opens")),
                name="recruitment_period_window",
            ),
        ]

    def __str__(self):
        return self.name


class PassingGrade(models.Model):
    """Nilai ambang batas of one category from a date on (RULES.md §2.2): every given minimum must be met."""

    period_kind = models.CharField(_("jenis seleksi"), max_length=4, choices=PeriodKind.choices)
    category = models.CharField(_("jenis kebutuhan"), max_length=20, choices=Category.choices)
    effective_from = models.DateField(_("berlaku mulai"))
    twk = models.PositiveSmallIntegerField("TWK", null=True, blank=True)
    tiu = models.PositiveSmallIntegerField("TIU", null=True, blank=True)
    tkp = models.PositiveSmallIntegerField("TKP", null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("total"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=200)
    confidence = models.CharField(_("keyakinan"), max_length=1, default="S")

    class Meta:
        verbose_name = _("nilai ambang batas")
        verbose_name_plural = _("nilai ambang batas")
        ordering = ["period_kind", "category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["period_kind", "category", "effective_from"], name="passing_grade_unique"),
            models.CheckConstraint(
                condition=models.Q(twk__isnull=False)
                | models.Q(tiu__isnull=False)
                | models.Q(tkp__isnull=False)
                | models.Q(total__isnull=False),
                name="passing_grade_not_empty",
            ),
        ]


class Formation(TimeStampedModel):
    """A formasi: a position in a unit of an agency, with the education it requires and its quotas."""

    period = models.ForeignKey(RecruitmentPeriod, on_delete=models.PROTECT, related_name="formations")
    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="formations")
    unit = models.ForeignKey(
        "organization.OrgUnit", verbose_name=_("lokasi (unit)"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        "organization.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="formations"
    )
    position_title = models.CharField(_("jabatan"), max_length=200)
    education = models.ManyToManyField("personnel.EducationLevel", verbose_name=_("pendidikan"), related_name="+")
    education_majors = models.CharField(_("program studi yang diterima"), max_length=500, blank=True)

    objects = FormationQuerySet.as_manager()

    class Meta:
        verbose_name = _("formasi")
        verbose_name_plural = _("formasi")
        ordering = ["agency", "position_title"]
        indexes = [models.Index(fields=["period", "agency"], name="formation_period_agency")]

    def __str__(self):
        return f"{self.position_title} · {self.unit}"


class FormationQuota(models.Model):
    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(_("jenis kebutuhan"), max_length=20, choices=Category.choices)
    quota = models.PositiveSmallIntegerField(_("jumlah kebutuhan"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["formation", "category"]
        constraints = [models.UniqueConstraint(fields=["formation", "category"], name="formation_quota_unique")]


class Applicant(TimeStampedModel):
    """A job applicant's account, tied to one NIK."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applicant")
    nik = models.CharField("NIK", max_length=16, unique=True)
    name = models.CharField(_("nama sesuai KTP"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    education = models.ForeignKey(
        "personnel.EducationLevel", verbose_name=_("pendidikan terakhir"), on_delete=models.PROTECT, related_name="+"
    )
    visually_impaired = models.BooleanField(_("disabilitas sensorik netra"), default=False)

    class Meta:
        verbose_name = _("pelamar")
        verbose_name_plural = _("pelamar")

    def __str__(self):
        return self.name


class Application(TimeStampedModel):
    """One application per applicant and period; a retry with the same key returns the same one."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    period = models.ForeignKey(RecruitmentPeriod, on_delete=models.PROTECT, related_name="applications")
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="applications")
    category = models.CharField(_("jenis kebutuhan"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    registration_number = models.CharField(_("nomor pendaftaran"), max_length=20, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField(_("diajukan"))

    class Meta:
        verbose_name = _("lamaran")
        verbose_name_plural = _("lamaran")
        constraints = [models.UniqueConstraint(fields=["applicant", "period"], name="one_application_per_period")]

    def __str__(self):
        return self.registration_number


class Verification(models.Model):
    """One check of an application by the committee: the first, or the optional second."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="verifications")
    stage = models.PositiveSmallIntegerField(_("tahap"), default=1)
    eligible = models.BooleanField(_("memenuhi syarat"))
    reason = models.CharField(_("alasan"), max_length=20, choices=IneligibleReason.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="verification_stage_unique"),
            models.CheckConstraint(
                condition=models.Q(eligible=True) | ~models.Q(reason=""), name="verification_reason_when_ineligible"
            ),
        ]


class Appeal(models.Model):
    """Sanggah: the applicant's objection to an ineligible verdict, and the committee's final decision."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="appeal")
    text = models.TextField(_("alasan sanggah"))
    submitted_at = models.DateTimeField(_("diajukan"))
    decision = models.CharField(_("keputusan"), max_length=10, choices=AppealDecision.choices, blank=True)
    response = models.TextField(_("jawaban panitia"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)


class Announcement(TimeStampedModel):
    """A published announcement of a period (administration results, appeals, final results)."""

    period = models.ForeignKey(RecruitmentPeriod, on_delete=models.PROTECT, related_name="announcements")
    agency = models.ForeignKey("organization.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    published_at = models.DateTimeField(_("diumumkan"))

    class Meta:
        ordering = ["-published_at"]


def document_path(instance, filename):
    return f"seleksi/{instance.application.period_id}/{instance.application_id}/{instance.kind}-{filename}"


class ApplicationDocument(models.Model):
    """An uploaded document of an application; the latest of each kind counts."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to=document_path)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=10)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "kind", "-uploaded_at"]


class OpenSelection(TimeStampedModel):
    """Seleksi terbuka for a senior (JPT) post: a committee, weighted stages, independent scores."""

    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="open_selections")
    position_title = models.CharField(_("jabatan"), max_length=200)
    proposed_at = models.DateTimeField(_("diusulkan"), null=True, blank=True)
    proposal = models.JSONField(_("tiga terbaik yang diusulkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("seleksi terbuka JPT")
        verbose_name_plural = _("seleksi terbuka JPT")

    def __str__(self):
        return f"{self.position_title} · {self.agency}"


class SelectionStage(models.Model):
    selection = models.ForeignKey(OpenSelection, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("tahap"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("bobot (%)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["selection", "order"]


class SelectionCandidate(models.Model):
    selection = models.ForeignKey(OpenSelection, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("nama"), max_length=150)
    employee = models.ForeignKey("personnel.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["selection", "name"]

    def __str__(self):
        return self.name


class SelectionMember(models.Model):
    """A committee member; scores only after declaring conflicts of interest, never on a conflicted candidate."""

    selection = models.ForeignKey(OpenSelection, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("menyatakan konflik kepentingan"), null=True, blank=True)
    conflicts = models.ManyToManyField(SelectionCandidate, blank=True, related_name="conflicted_members")
    conflict_note = models.CharField(_("keterangan konflik"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["selection", "user"], name="selection_member_unique")]


class StageScore(models.Model):
    """One member's score of one candidate at one stage; written once, never changed."""

    stage = models.ForeignKey(SelectionStage, on_delete=models.PROTECT, related_name="scores")
    candidate = models.ForeignKey(SelectionCandidate, on_delete=models.PROTECT, related_name="scores")
    member = models.ForeignKey(SelectionMember, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "candidate", "member"], name="stage_score_once"),
            models.CheckConstraint(condition=models.Q(score__gte=0) & models.Q(score__lte=100), name="stage_score_range"),
        ]


class SkbSource(models.TextChoices):
    MANUAL = "manual", _("Entri panitia")
    CAT = "cat", _("CAT SKB")
    IMPORT = "import", _("Impor berkas")


class SkbScore(models.Model):
    """The SKB score of an applicant ranked into the SKB, on the SKB's own scale (``maximum``), or their
    absence (tidak hadir). One formation has one SKB design, so all its scores share one maximum.
    ``ipk`` is the IPK (or the diploma average for SMA graduates) the committee read from the verified
    transcript: the fifth tie-break of the final ranking (RULES.md §2.4)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="skb_score")
    score = models.DecimalField(_("nilai SKB"), max_digits=7, decimal_places=3, null=True, blank=True)
    maximum = models.DecimalField(_("nilai maksimum SKB"), max_digits=7, decimal_places=3)
    absent = models.BooleanField(_("tidak hadir SKB"), default=False)
    ipk = models.DecimalField(_("IPK / rata-rata nilai ijazah"), max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=SkbSource.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("dicatat"))

    class Meta:
        verbose_name = _("nilai SKB")
        verbose_name_plural = _("nilai SKB")
        constraints = [
            models.CheckConstraint(condition=models.Q(maximum__gt=0), name="skb_score_maximum_positive"),
            models.CheckConstraint(
                condition=models.Q(absent=True, score__isnull=True)
                | models.Q(absent=False, score__gte=0, score__lte=models.F("maximum")),
                name="skb_score_in_range_or_absent",
            ),
            models.CheckConstraint(
                condition=models.Q(ipk__isnull=True) | models.Q(ipk__gte=0, ipk__lte=100), name="skb_score_ipk_range"
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {'TH' if self.absent else self.score}"


class FinalPublication(models.Model):
    """The committee's announcement of the final result of one agency in one period. Its rows are a frozen
    copy of every input and result, so later changes elsewhere never alter what was announced."""

    period = models.ForeignKey(RecruitmentPeriod, on_delete=models.PROTECT, related_name="final_publications")
    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="+")
    announcement = models.OneToOneField(Announcement, on_delete=models.PROTECT, related_name="final_publication")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("diumumkan"))

    class Meta:
        verbose_name = _("pengumuman hasil akhir")
        verbose_name_plural = _("pengumuman hasil akhir")
        constraints = [models.UniqueConstraint(fields=["period", "agency"], name="final_publication_once")]


class FinalOutcome(models.TextChoices):
    PASSED = "passed", _("Lulus (P/L)")
    FAILED = "failed", _("Tidak lulus (TL)")
    ABSENT = "absent", _("Tidak hadir SKB (TH)")


class FinalResult(models.Model):
    """One SKB participant's line of a published final result, copied at publication and never changed."""

    publication = models.ForeignKey(FinalPublication, on_delete=models.PROTECT, related_name="results")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="final_result")
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("jenis kebutuhan"), max_length=20, choices=Category.choices)
    registration_number = models.CharField(_("nomor pendaftaran"), max_length=20)
    name = models.CharField(_("nama"), max_length=150)
    twk = models.PositiveSmallIntegerField("TWK")
    tiu = models.PositiveSmallIntegerField("TIU")
    tkp = models.PositiveSmallIntegerField("TKP")
    skd_total = models.PositiveSmallIntegerField(_("total SKD"))
    skb_score = models.DecimalField(_("nilai SKB"), max_digits=7, decimal_places=3, null=True, blank=True)
    skb_maximum = models.DecimalField(_("nilai maksimum SKB"), max_digits=7, decimal_places=3)
    ipk = models.DecimalField(_("IPK / rata-rata nilai ijazah"), max_digits=5, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(_("nilai akhir"), max_digits=6, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    outcome = models.CharField(_("keterangan"), max_length=10, choices=FinalOutcome.choices)

    class Meta:
        verbose_name = _("hasil akhir")
        verbose_name_plural = _("hasil akhir")
        ordering = ["publication", "formation", "category", "rank", "registration_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="absent", final_score__isnull=True, rank__isnull=True)
                | models.Q(final_score__gte=0, final_score__lte=100, rank__isnull=False),
                name="final_result_scored_or_absent",
            )
        ]
