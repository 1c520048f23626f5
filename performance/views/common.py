"""What the performance pages share: today, and the rating period a page is about."""

from django.http import Http404
from django.utils import timezone


def _today():
    return timezone.localdate()


def _current_period(periods, day):
    for p in periods:
        if p.start <= day <= p.end:
            return p
    return periods[-1] if periods and day > periods[-1].end else (periods[0] if periods else None)


def _pick_period(request, periods, day):
    wanted = request.GET.get("periode") or request.POST.get("periode")
    if wanted and wanted.isdigit():
        for p in periods:
            if p.pk == int(wanted):
                return p
        raise Http404
    return _current_period(periods, day)
