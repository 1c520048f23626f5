"""Back-pressure for the exam-start burst: at most ``CAT_START_GATE`` starts run at once on this host (set it
to the gunicorn workers minus one, so a worker is always free for answer saves); any more get 429 with a
spread-out Retry-After that the page honours. A slot is an exclusive ``flock`` on one of N files, so a
killed worker's slot is freed by the kernel at once. 0 turns the gate off."""

import fcntl
import os
import random
import tempfile

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

GATED = ("/cat/api/mulai/",)


class StartGate:
    def __init__(self, get_response):
        self.get_response = get_response
        self.capacity = int(getattr(settings, "CAT_START_GATE", 0))
        folder = getattr(settings, "CAT_GATE_DIR", "") or (
            "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
        )
        self.files = [open(os.path.join(folder, f"pamong-cat-gate-{i}"), "a") for i in range(self.capacity)]  # noqa: SIM115

    def __call__(self, request):
        if not self.files or request.path_info not in GATED:
            return self.get_response(request)
        for f in random.sample(self.files, len(self.files)):
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            try:
                return self.get_response(request)
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
        response = JsonResponse(
            {"error": "busy", "message": _("Server sedang sibuk. Halaman akan mencoba lagi.")}, status=429
        )
        response["Retry-After"] = str(random.randint(5, 15))
        return response
