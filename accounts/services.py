from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import Entry, audit_log


def totp_pending_device(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device a user is enrolling (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Pamong", confirmed=False)


@transaction.atomic
def totp_confirm(*, user, device: TOTPDevice) -> None:
    """Mark an enrolled device as confirmed and drop any other pending one."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    audit_log(actor=user, entry=Entry("user.totp_enrol", "accounts.user", str(user.pk), user.username))
