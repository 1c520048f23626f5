from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetencyKind(models.TextChoices):
    TECHNICAL = "technical", _("Teknis")
    MANAGERIAL = "managerial", _("Manajerial")
    SOCIO_CULTURAL = "socio_cultural", _("Sosial kultural")


class AssessmentSource(models.TextChoices):
    """Where a competency result comes from; the order is the trust order when two fall on one day."""

    ASSESSMENT_CENTRE = "assessment_centre", _("Assessment center")
    CACT = "cact", _("CACT (computer assisted competency test)")
    SUPERVISOR = "supervisor", _("Penilaian atasan")
    SELF = "self", _("Penilaian mandiri")


class Modality(models.TextChoices):
    CLASSICAL = "classical", _("Klasikal")
    ELEARNING = "elearning", _("E-learning")
    BLENDED = "blended", _("Blended learning")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    INTERNSHIP = "internship", _("Magang / praktik kerja")
    SEMINAR = "seminar", _("Seminar / lokakarya")
    COMMUNITY = "community", _("Komunitas belajar (community of practice)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    RETURNED = "returned", _("Dikembalikan")


class EnrollmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Diminta (menunggu atasan)")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    ENROLLED = "enrolled", _("Terdaftar")
    COMPLETED = "completed", _("Lulus / selesai")
    NOT_COMPLETED = "not_completed", _("Tidak selesai")
    REJECTED = "rejected", _("Ditolak atasan")
    CANCELLED = "cancelled", _("Dibatalkan")


# Statuses that hold a seat and commit budget.
SEATED = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.NOT_COMPLETED)
# Statuses of a finished enrolment: the event is over, its cost spent, its outcome known.
CLOSED_STATUSES = (EnrollmentStatus.COMPLETED, EnrollmentStatus.NOT_COMPLETED)


class ExternalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Diverifikasi")
    REJECTED = "rejected", _("Ditolak")


class FollowUp(models.TextChoices):
    CHANGED = "changed", _("Perilaku berubah nyata")
    PARTLY = "partly", _("Sebagian berubah")
    UNCHANGED = "unchanged", _("Belum berubah")
