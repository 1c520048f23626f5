from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from organization.choices import LEVELS_BY_TYPE, AgencyKind, PositionLevel, PositionType, RegencyKind, UnitKind
from organization.querysets import AgencyQuerySet, OrgUnitQuerySet, PositionQuerySet


class Province(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")])
    name = models.CharField(_("nama"), max_length=100)
    capital = models.CharField(_("ibu kota"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Regency(models.Model):
    code = models.CharField(
        _("kode Kemendagri"), max_length=5, unique=True, validators=[RegexValidator(r"^\d{2}\.\d{2}$")]
    )
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="regencies"
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegencyKind.choices)
    capital = models.CharField(_("ibu kota"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        ordering = ["code"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class RegionalOffice(models.Model):
    """Kantor Regional BKN and the provinces in its working area."""

    number = models.PositiveSmallIntegerField(_("nomor"), unique=True)
    roman = models.CharField(_("nomor romawi"), max_length=5)
    name = models.CharField(_("nama"), max_length=150)
    city = models.CharField(_("kedudukan"), max_length=100)
    provinces = models.ManyToManyField(
        Province, verbose_name=_("provinsi wilayah kerja"), related_name="regional_offices"
    )

    class Meta:
        verbose_name = _("kantor regional BKN")
        verbose_name_plural = _("kantor regional BKN")
        ordering = ["number"]

    def __str__(self):
        return self.name


class Agency(TimeStampedModel):
    """Instansi: the tenant. A regional government or a central ministry/agency."""

    code = models.CharField(_("kode instansi"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=AgencyKind.choices)
    province = models.ForeignKey(Province, verbose_name=_("provinsi"), null=True, blank=True, on_delete=models.PROTECT)
    regency = models.ForeignKey(
        Regency, verbose_name=_("kabupaten/kota"), null=True, blank=True, on_delete=models.PROTECT
    )
    head_title = models.CharField(
        _("pejabat pembina kepegawaian"),
        max_length=120,
        blank=True,
        help_text=_("Mis. Gubernur Lampung, Bupati Tebo: atasan pimpinan tertinggi instansi."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="agency_region_fits_kind",
                condition=Q(kind="central", province__isnull=True, regency__isnull=True)
                | Q(kind="province", province__isnull=False, regency__isnull=True)
                | Q(kind="regency", province__isnull=False, regency__isnull=False),
            )
        ]

    def __str__(self):
        return self.short_name or self.name


class OrgUnit(TimeStampedModel):
    """Unit organisasi: one node of an agency's tree (dinas → bidang → seksi; puskesmas)."""

    agency = models.ForeignKey(Agency, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    path = models.CharField(max_length=255, db_index=True, editable=False, help_text="/id/id/…/ from the root")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="orgunit_agency_code_unique")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("Unit induk harus berada di instansi yang sama.")})


class Position(TimeStampedModel):
    """Jabatan: a post in a unit, with its type, level, class and the post it reports to."""

    agency = models.ForeignKey(Agency, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit organisasi"), on_delete=models.PROTECT, related_name="positions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("jabatan atasan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("kode"), max_length=30)
    title = models.CharField(_("nama jabatan"), max_length=200)
    position_type = models.CharField(_("jenis jabatan"), max_length=30, choices=PositionType.choices)
    level = models.CharField(_("jenjang"), max_length=20, choices=PositionLevel.choices)
    job_class = models.PositiveSmallIntegerField(
        _("kelas jabatan"), validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    reports_to_head = models.BooleanField(
        _("melapor ke pejabat pembina kepegawaian"),
        default=False,
        help_text=_("Pimpinan tertinggi instansi: atasannya adalah kepala daerah/menteri, di luar registri."),
    )
    retirement_age_override = models.PositiveSmallIntegerField(
        _("BUP khusus"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(70)],
        help_text=_("Untuk jabatan fungsional dengan undang-undang sendiri (mis. guru 60, dosen 65)."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("kebutuhan (formasi)"), default=1, help_text=_("Jumlah pemangku yang dibutuhkan jabatan ini.")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="position_agency_code_unique"),
            models.CheckConstraint(name="position_no_self_parent", condition=~Q(parent=models.F("id"))),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.level and self.position_type and self.level not in LEVELS_BY_TYPE[PositionType(self.position_type)]:
            errors["level"] = _("Jenjang tidak sesuai dengan jenis jabatan.")
        if self.unit_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = _("Unit harus berada di instansi yang sama.")
        if self.parent_id and self.parent.agency_id != self.agency_id:
            errors["parent"] = _("Jabatan atasan harus berada di instansi yang sama.")
        if self.parent_id and self.reports_to_head:
            errors["reports_to_head"] = _("Jabatan yang punya atasan tidak melapor langsung ke pejabat pembina.")
        if errors:
            raise ValidationError(errors)
