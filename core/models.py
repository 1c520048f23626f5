import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """One write, append-only, chained to the previous record by its hash."""

    created_at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("nama pelaku"), max_length=200)
    action = models.CharField(_("tindakan"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("id objek"), max_length=64)
    object_label = models.CharField(_("objek"), max_length=300, blank=True)
    agency_id = models.BigIntegerField(_("instansi"), null=True, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    reason = models.CharField(_("alasan / nomor SK"), max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # the chain, not an index, guards it: audit_verify

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-id"]
        # Few indexes, each serving a filter of the trail page: every one costs every write.
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["agency_id", "id"], name="audit_agency_id"),
            models.Index(fields=["action", "id"], name="audit_action_id"),
        ]

    def canonical(self) -> str:
        """Serialize the chained fields exactly as they were hashed."""
        return json.dumps(
            {
                "id": self.id,
                "created_at": self.created_at.isoformat(),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_label": self.object_label,
                "agency_id": self.agency_id,
                "before": self.before,
                "after": self.after,
                "reason": self.reason,
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


class AuditChainHead(models.Model):
    """The last record of the chain; locked while appending so that records chain one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)


class RuleParameter(models.Model):
    """A regulation number that is weak or unverified, kept as data with the date it takes effect."""

    key = models.CharField(_("kunci"), max_length=100)
    value = models.JSONField(_("nilai"))
    effective_from = models.DateField(_("berlaku mulai"))
    source = models.CharField(_("sumber"), max_length=300)
    confidence = models.CharField(_("keyakinan"), max_length=1, help_text=_("P, S, W atau U (lihat RULES.md)"))
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("parameter aturan")
        verbose_name_plural = _("parameter aturan")
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="ruleparameter_key_date_unique")]
        ordering = ["key", "-effective_from"]

    def __str__(self):
        return f"{self.key} ({self.effective_from})"


class Holiday(models.Model):
    """A day without service: a national holiday or a collective leave day (cuti bersama), as yearly data
    (SKB of three ministers each year)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("Libur nasional")
        COLLECTIVE_LEAVE = "collective_leave", _("Cuti bersama")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class HolidayYear(models.Model):
    """Whether a year's days off are confirmed: its joint decree (SKB) on national holidays and collective
    leave has been entered in full. Until then the working-day calendar also counts the ``holidays``
    package's estimate for the year, and deadlines that reach into it are provisional."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    confirmed = models.BooleanField(_("dikonfirmasi"), default=False)
    decree = models.CharField(_("nomor SKB"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikonfirmasi oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tahun hari libur")
        verbose_name_plural = _("tahun hari libur")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed=False) | ~models.Q(decree=""), name="holidayyear_confirmed_has_decree"
            )
        ]

    def __str__(self):
        return str(self.year)
