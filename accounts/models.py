from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role


class User(AbstractUser):
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role a user holds, with its scope: an agency, a regional office, or the whole country."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        "organization.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.PROTECT
    )
    regional_office = models.ForeignKey(
        "organization.RegionalOffice",
        verbose_name=_("kantor regional"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency", "regional_office"], name="roleassignment_unique"),
            models.CheckConstraint(
                name="roleassignment_scope_fits_role",
                condition=(
                    Q(
                        role__in=["agency_admin", "selection_committee", "complaint_officer"],
                        agency__isnull=False,
                        regional_office__isnull=True,
                    )
                    | Q(role="regional_office", regional_office__isnull=False, agency__isnull=True)
                    | Q(role__in=["national_admin", "applicant"], agency__isnull=True, regional_office__isnull=True)
                    | Q(role="auditor", regional_office__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        scope = self.agency or self.regional_office or _("nasional")
        return f"{self.get_role_display()} — {scope}"
