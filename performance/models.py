"""Performance management (PermenPANRB 6/2022): years and periods, organizational indicators and
predikat, SKP plans cascaded from the supervisor, evidence, feedback, 360° input, ratings, follow-up."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from performance.choices import (
    Aspect,
    AssessmentStatus,
    Behaviour,
    CoachingStatus,
    CurvePolicy,
    EvidenceKind,
    Frequency,
    OrgPredikat,
    Predikat,
    Rating,
    Rounding,
    SkpStatus,
)
from performance.querysets import AssessmentQuerySet, PerfYearQuerySet, SkpQuerySet


class PerformanceSettings(TimeStampedModel):
    """An agency's choices where the regulation leaves them open."""

    agency = models.OneToOneField(
        "organization.Agency", on_delete=models.CASCADE, related_name="performance_settings"
    )
    frequency = models.CharField(
        _("periode penilaian"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    curve_policy = models.CharField(
        _("penyimpangan kurva distribusi"), max_length=10, choices=CurvePolicy.choices, default=CurvePolicy.JUSTIFY
    )
    rounding = models.CharField(
        _("pembulatan kurva untuk unit kecil"), max_length=12, choices=Rounding.choices, default=Rounding.FLOOR_CEIL
    )

    class Meta:
        verbose_name = _("pengaturan kinerja")
        verbose_name_plural = _("pengaturan kinerja")


class PerformanceYear(TimeStampedModel):
    """Tahun kinerja of one agency, with its periods; the last period is the annual assessment."""

    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="performance_years")
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2022)])
    frequency = models.CharField(_("periode penilaian"), max_length=10, choices=Frequency.choices)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    objects = PerfYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("tahun kinerja")
        verbose_name_plural = _("tahun kinerja")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="perfyear_agency_year_unique")]

    def __str__(self):
        return f"{self.year}"


class Period(models.Model):
    perf_year = models.ForeignKey(PerformanceYear, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("nomor"))
    label = models.CharField(_("periode"), max_length=40)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    is_final = models.BooleanField(_("akhir tahun (tahunan)"), default=False)

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["perf_year", "number"]
        constraints = [models.UniqueConstraint(fields=["perf_year", "number"], name="period_year_number_unique")]

    def __str__(self):
        return f"{self.label} {self.perf_year.year}"


class Indicator(TimeStampedModel):
    """Indikator kinerja utama (IKU) of the agency (no unit) or of a unit, for one year."""

    perf_year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="indicators")
    unit = models.ForeignKey(
        "organization.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("indikator"), max_length=300)
    measure = models.CharField(_("satuan"), max_length=40)
    annual_target = models.DecimalField(_("target tahunan"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indikator kinerja utama")
        verbose_name_plural = _("indikator kinerja utama")
        ordering = ["perf_year", "unit_id", "code"]
        constraints = [models.UniqueConstraint(fields=["perf_year", "unit", "code"], name="indicator_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


class IndicatorPeriod(TimeStampedModel):
    """The target of an indicator for one period, and what was realized, with evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="period_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    realization = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence_url = models.URLField(_("tautan bukti"), blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="indicatorperiod_unique")]


class OrgRating(TimeStampedModel):
    """Predikat kinerja organisasi of a unit for a period, set by the superior of its head."""

    unit = models.ForeignKey("organization.OrgUnit", on_delete=models.PROTECT, related_name="org_ratings")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="org_ratings")
    predikat = models.CharField(_("predikat organisasi"), max_length=20, choices=OrgPredikat.choices)
    note = models.CharField(_("dasar penetapan"), max_length=500, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty only for seeded demo data

    class Meta:
        verbose_name = _("predikat kinerja organisasi")
        verbose_name_plural = _("predikat kinerja organisasi")
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="orgrating_unit_period_unique")]


class Skp(TimeStampedModel):
    """Sasaran Kinerja Pegawai: one per employee and year."""

    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="skps")
    perf_year = models.ForeignKey(PerformanceYear, on_delete=models.PROTECT, related_name="skps")
    position = models.ForeignKey("organization.Position", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organization.OrgUnit", on_delete=models.PROTECT, related_name="+")
    is_jpt = models.BooleanField(_("SKP pimpinan tinggi"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=SkpStatus.choices, default=SkpStatus.DRAFT)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    # The assessing official (pejabat penilai) as resolved when the plan was submitted or approved.
    assessor = models.ForeignKey(
        "personnel.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="assessed_skps"
    )
    assessor_position = models.ForeignKey(
        "organization.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessor_external = models.CharField(_("pejabat penilai di luar registri"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(_("catatan pengembalian"), blank=True)

    objects = SkpQuerySet.as_manager()

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        constraints = [models.UniqueConstraint(fields=["employee", "perf_year"], name="skp_employee_year_unique")]
        indexes = [models.Index(fields=["assessor", "perf_year"], name="skp_assessor_year")]

    def __str__(self):
        return f"SKP {self.perf_year.year} {self.employee}"


class SkpVersion(models.Model):
    """An approved version of a plan, kept when the plan is changed after approval."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skp", "-version"]
        constraints = [models.UniqueConstraint(fields=["skp", "version"], name="skpversion_unique")]


class Rhk(TimeStampedModel):
    """Rencana hasil kerja: supports (intervensi) an RHK of the direct supervisor, or an IKU for a JPT."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhks")
    text = models.CharField(_("rencana hasil kerja"), max_length=500)
    supports = models.ForeignKey(
        "self",
        verbose_name=_("RHK atasan yang diintervensi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_by",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("IKU"), null=True, blank=True, on_delete=models.PROTECT, related_name="rhks"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("rencana hasil kerja")
        verbose_name_plural = _("rencana hasil kerja")
        ordering = ["skp", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(supports__isnull=False) & models.Q(indicator__isnull=False)),
                name="rhk_one_source",
            )
        ]

    def __str__(self):
        return self.text


class RhkIndicator(models.Model):
    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices)
    text = models.CharField(_("indikator"), max_length=300)
    target = models.CharField(_("target"), max_length=100)

    class Meta:
        ordering = ["rhk", "id"]


class BehaviourExpectation(models.Model):
    """Ekspektasi khusus pimpinan for one BerAKHLAK value."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="expectations")
    behaviour = models.CharField(max_length=30, choices=Behaviour.choices)
    text = models.CharField(_("ekspektasi khusus pimpinan"), max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skp", "behaviour"], name="expectation_unique")]


class Realization(TimeStampedModel):
    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="realizations")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("realisasi"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rhk", "period"], name="realization_unique")]


def evidence_path(instance, filename):
    return f"kinerja/{instance.rhk.skp.perf_year.year}/{instance.rhk.skp_id}/{filename}"


class Evidence(TimeStampedModel):
    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="evidence")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=4, choices=EvidenceKind.choices)
    url = models.URLField(_("tautan"), blank=True)
    file = models.FileField(_("berkas"), upload_to=evidence_path, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["period", "id"]


class Feedback(TimeStampedModel):
    """Umpan balik berkelanjutan: the supervisor's note on an RHK or a behaviour, and the reply."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="feedback")
    rhk = models.ForeignKey(Rhk, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    behaviour = models.CharField(max_length=30, choices=Behaviour.choices, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_label = models.CharField(max_length=200)
    text = models.TextField(_("umpan balik"))
    reply = models.TextField(_("tanggapan"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class PeerInput(models.Model):
    """A 360° observation of one behaviour by a peer or subordinate; shown only as aggregates."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="peer_inputs")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="+")
    behaviour = models.CharField(max_length=30, choices=Behaviour.choices)
    rating = models.CharField(max_length=6, choices=Rating.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skp", "period", "rater", "behaviour"], name="peerinput_unique")
        ]


class Assessment(TimeStampedModel):
    """The rating of one SKP for one period; the final period's is the annual predikat."""

    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="assessments")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="assessments")
    result_rating = models.CharField(_("rating hasil kerja"), max_length=6, choices=Rating.choices)
    behaviour_rating = models.CharField(_("rating perilaku kerja"), max_length=6, choices=Rating.choices)
    behaviour_notes = models.JSONField(_("catatan perilaku"), default=dict, blank=True)
    predikat = models.CharField(_("predikat kinerja"), max_length=20, choices=Predikat.choices)
    status = models.CharField(max_length=6, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty only for seeded demo data
    finalized_at = models.DateTimeField(null=True, blank=True)
    curve_justification = models.TextField(_("justifikasi penyimpangan kurva"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian kinerja")
        verbose_name_plural = _("penilaian kinerja")
        constraints = [models.UniqueConstraint(fields=["skp", "period"], name="assessment_skp_period_unique")]
        indexes = [models.Index(fields=["period", "status", "predikat"], name="assessment_period_status")]


class Reopening(models.Model):
    """A recorded re-opening of a final rating, with what it was before."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.CharField(_("alasan"), max_length=500)
    before = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class CoachingPlan(TimeStampedModel):
    """Pembinaan for an employee rated Butuh Perbaikan, Kurang or Sangat Kurang."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="coaching_plan")
    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="coaching_plans")
    status = models.CharField(max_length=6, choices=CoachingStatus.choices, default=CoachingStatus.OPEN)
    goal = models.CharField(_("tujuan pembinaan"), max_length=500, blank=True)


class CoachingAction(models.Model):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("tindakan"), max_length=300)
    owner = models.CharField(_("penanggung jawab"), max_length=200)
    start = models.DateField(_("mulai"))
    due = models.DateField(_("tenggat"))
    done_at = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]


class CreditPoint(models.Model):
    """Angka kredit earned by a functional position holder from an annual (or periodic) predikat."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="credit_point")
    employee = models.ForeignKey("personnel.Employee", on_delete=models.PROTECT, related_name="credit_points")
    level = models.CharField(max_length=20)
    koefisien = models.DecimalField(max_digits=6, decimal_places=3)
    percent = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField(default=12)
    amount = models.DecimalField(_("angka kredit"), max_digits=8, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)
