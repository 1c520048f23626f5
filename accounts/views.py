import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Kode 6 digit"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Masukkan 6 digit angka dari aplikasi autentikator.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


def _safe_next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else "/"


@login_required
def two_factor(request):
    """Enrol a TOTP device on first use, or verify a code from the enrolled one."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = services.totp_pending_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if enrolling:
                services.totp_confirm(user=user, device=device)
                messages.success(request, _("Autentikasi dua faktor aktif."))
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("Kode salah atau sudah kedaluwarsa. Pastikan jam ponsel Anda tepat."))
    ctx = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        ctx["qr_svg"] = _qr_svg(device.config_url)
        ctx["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", ctx)
