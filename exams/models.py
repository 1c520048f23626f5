"""The CAT: question bank, sessions and participants, each participant's sheet, durable answers with a
sequence number (an older save never overwrites a newer one), and a hash-chained log of answer events."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Question(TimeStampedModel):
    subtest = models.CharField(_("subtes"), max_length=3, choices=[("twk", "TWK"), ("tiu", "TIU"), ("tkp", "TKP")])
    text = models.TextField(_("soal"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        indexes = [models.Index(fields=["subtest", "active"], name="question_subtest_active")]


class Option(models.Model):
    """An answer option; its points (the key) never leave the server."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=1)
    text = models.TextField(_("pilihan"))
    points = models.PositiveSmallIntegerField(_("nilai"))

    class Meta:
        ordering = ["question", "label"]
        constraints = [models.UniqueConstraint(fields=["question", "label"], name="option_label_unique")]


class ExamSession(TimeStampedModel):
    """A sitting: a room at a time, with the blueprint of its test."""

    code = models.CharField(_("kode sesi"), max_length=30, unique=True)
    site = models.CharField(_("lokasi"), max_length=200)
    room = models.CharField(_("ruang"), max_length=100)
    starts_at = models.DateTimeField(_("mulai"))
    blueprint = models.CharField(_("kisi-kisi"), max_length=20, default="SKD-2021")

    class Meta:
        verbose_name = _("sesi ujian")
        verbose_name_plural = _("sesi ujian")
        ordering = ["starts_at", "code"]


class Participant(TimeStampedModel):
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="participants")
    application = models.OneToOneField(
        "recruitment.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="participant"
    )
    number = models.CharField(_("nomor peserta"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    visually_impaired = models.BooleanField(default=False)
    seat = models.CharField(_("kursi"), max_length=10, blank=True)
    device_token = models.CharField(max_length=64, blank=True)  # the one active device
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)  # server time; incidents extend it
    finished_at = models.DateTimeField(null=True, blank=True)
    twk = models.PositiveSmallIntegerField(null=True, blank=True)
    tiu = models.PositiveSmallIntegerField(null=True, blank=True)
    tkp = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")


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
    """Append-only, hash-chained per session: every accepted save, so a score can be recomputed and checked."""

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


class SessionChainHead(models.Model):
    session = models.OneToOneField(ExamSession, on_delete=models.CASCADE, primary_key=True, related_name="chain_head")
    last_hash = models.CharField(max_length=64, default="0" * 64)
