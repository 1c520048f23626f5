"""The CAT: question bank, sessions and participants, each participant's sheet, durable answers with a
sequence number (an older save never overwrites a newer one), and a log of answer events hash-chained per
participant."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

GENESIS = "0" * 64  # the ``prev_hash`` of a participant's first answer event


class Question(TimeStampedModel):
    """One version of a bank item. A change makes a new version under the same code and retires the old
    one, so sheets already drawn keep pointing at the text their participants saw."""

    code = models.CharField(_("kode soal"), max_length=30, blank=True)
    subtest = models.CharField(_("subtes"), max_length=3, choices=[("twk", "TWK"), ("tiu", "TIU"), ("tkp", "TKP")])
    text = models.TextField(_("soal"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    active = models.BooleanField(_("aktif"), default=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("menggantikan"),
    )

    class Meta:
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        indexes = [models.Index(fields=["subtest", "active"], name="question_subtest_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=~models.Q(code=""), name="question_code_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.code or self.pk} v{self.version}"


class Option(models.Model):
    """An answer option; its points (the key) never leave the server."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=1)
    text = models.TextField(_("pilihan"))
    points = models.PositiveSmallIntegerField(_("nilai"))

    class Meta:
        ordering = ["question", "label"]
        constraints = [models.UniqueConstraint(fields=["question", "label"], name="option_label_unique")]


def public_key() -> str:
    return secrets.token_urlsafe(9)


class ExamSite(TimeStampedModel):
    """A test site (titik lokasi), e.g. a BKN technical unit or a hall lent by a regional government;
    its operators run check-in and record incidents."""

    name = models.CharField(_("nama lokasi"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="exam_sites", verbose_name=_("operator")
    )

    class Meta:
        verbose_name = _("lokasi ujian")
        verbose_name_plural = _("lokasi ujian")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExamRoom(models.Model):
    site = models.ForeignKey(ExamSite, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("ruang"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("jumlah kursi"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("ruang ujian")
        verbose_name_plural = _("ruang ujian")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="exam_room_unique")]

    def __str__(self):
        return f"{self.site} · {self.name}"

    def seat_labels(self) -> list[str]:
        return [f"{n:03d}" for n in range(1, self.seats + 1)]


class ExamSession(TimeStampedModel):
    """A sitting: a room at a time, with the blueprint of its test. Participants can start once the
    operator opens it (``opened_at``)."""

    code = models.CharField(_("kode sesi"), max_length=30, unique=True)
    public_key = models.CharField(max_length=16, unique=True, default=public_key)  # the live board's address
    room = models.ForeignKey(ExamRoom, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("ruang"))
    period = models.ForeignKey(
        "recruitment.RecruitmentPeriod",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exam_sessions",
        verbose_name=_("periode seleksi"),
    )
    starts_at = models.DateTimeField(_("mulai"))
    blueprint = models.CharField(_("kisi-kisi"), max_length=20, default="SKD-2021")
    opened_at = models.DateTimeField(_("dibuka"), null=True, blank=True)

    class Meta:
        verbose_name = _("sesi ujian")
        verbose_name_plural = _("sesi ujian")
        ordering = ["starts_at", "code"]

    def __str__(self):
        return self.code


class Participant(TimeStampedModel):
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="participants")
    application = models.OneToOneField(
        "recruitment.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="participant"
    )
    number = models.CharField(_("nomor peserta"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    visually_impaired = models.BooleanField(default=False)
    seat = models.CharField(_("kursi"), max_length=10, blank=True)
    pin_hash = models.CharField(max_length=64, blank=True)  # the check-in PIN, keyed hash; shown once
    checked_in_at = models.DateTimeField(_("registrasi ulang"), null=True, blank=True)
    device_token = models.CharField(max_length=64, blank=True)  # the one active device
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)  # server time; incidents extend it
    finished_at = models.DateTimeField(null=True, blank=True)
    twk = models.PositiveSmallIntegerField(null=True, blank=True)
    tiu = models.PositiveSmallIntegerField(null=True, blank=True)
    tkp = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt = models.CharField(max_length=64, blank=True)
    # The head of the participant's own answer chain: written under the row lock every save already holds.
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "seat"], condition=~models.Q(seat=""), name="participant_seat_unique"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class SheetItem(models.Model):
    """The participant's n-th question, with its options in the participant's own order."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sheet")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option_order = models.JSONField()  # option ids as shown

    class Meta:
        ordering = ["participant", "position"]
        constraints = [models.UniqueConstraint(fields=["participant", "position"], name="sheet_position_unique")]


class Answer(models.Model):
    """The latest answer to one position; ``seq`` is the client's counter, so a late older save loses."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    doubtful = models.BooleanField(default=False)
    seq = models.PositiveIntegerField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "position"], name="answer_position_unique")]


class AnswerEvent(models.Model):
    """Append-only, hash-chained per participant (``prev_hash`` is the participant's previous event):
    every accepted save, so a score can be recomputed and checked."""

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="events")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="events")
    position = models.PositiveSmallIntegerField()
    option_id = models.BigIntegerField(null=True)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["session", "id"]


class ExamIncident(models.Model):
    """An outage recorded by the site operator, for the whole session or one seat; the lost time is
    given back to every participant it hit who was still working."""

    class Kind(models.TextChoices):
        POWER = "power", _("Listrik padam")
        NETWORK = "network", _("Jaringan terputus")
        SERVER = "server", _("Server tidak merespons")
        DEVICE = "device", _("Perangkat peserta rusak")
        OTHER = "other", _("Lainnya")

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="incidents")
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("peserta"),
    )
    kind = models.CharField(_("jenis gangguan"), max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(_("mulai gangguan"))
    ended_at = models.DateTimeField(_("gangguan selesai"))
    lost_seconds = models.PositiveIntegerField(_("waktu yang dikembalikan (detik)"))
    compensated = models.PositiveIntegerField(_("peserta yang mendapat tambahan waktu"), default=0)
    note = models.CharField(_("keterangan"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gangguan ujian")
        verbose_name_plural = _("gangguan ujian")
        ordering = ["session", "-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gt=models.F("started_at")), name="incident_ends_after_start"
            )
        ]
