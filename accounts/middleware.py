from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.access import get_actor

OPEN_PREFIXES = ("/akun/", "/i18n/", "/static/", "/healthz")


class AdminTwoFactorMiddleware:
    """Send a signed-in admin who has not passed the second factor to enrol or verify first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.PAMONG_REQUIRE_ADMIN_2FA
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and get_actor(user).is_admin
            and not user.is_verified()
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
