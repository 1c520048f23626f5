from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional (BKN)")
    REGIONAL_OFFICE = "regional_office", _("Kantor Regional BKN")
    AGENCY_ADMIN = "agency_admin", _("Admin kepegawaian instansi (BKD/BKPSDM)")
    SELECTION_COMMITTEE = "selection_committee", _("Panitia seleksi")
    COMPLAINT_OFFICER = "complaint_officer", _("Petugas pengaduan")
    AUDITOR = "auditor", _("Auditor (inspektorat / pengamat)")
    APPLICANT = "applicant", _("Pelamar")


# Roles whose holders change or oversee the registry log in with a second factor.
ADMIN_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_OFFICE, Role.AGENCY_ADMIN})
# Roles bound to one agency.
AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.SELECTION_COMMITTEE, Role.COMPLAINT_OFFICER})
