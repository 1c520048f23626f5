import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo admin (only for devices named 'Demo')."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, name="Demo", confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo TOTP device.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():06d}")
