"""The national list of holidays (the working-day calendar of ``core.calendar``), kept by the national admin:
each year's fixed-date holidays, the days entered from its SKB, and while the SKB is not confirmed the
package's estimate beneath them. One POST address per action, each through its form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import Actor, get_actor
from accounts.choices import Role
from core import calendar
from core import services as core_services
from core.errors import DomainError, apply_to_form
from core.models import Holiday, HolidayYear
from publicservice import forms_officer as f

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _admin(request) -> Actor:
    actor = get_actor(request.user)
    if Role.NATIONAL_ADMIN not in actor.roles:
        raise Http404
    return actor


def _year(raw) -> int:
    text = str(raw or "")
    return int(text) if text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR else timezone.localdate().year


def _page_url(year: int) -> str:
    return f"{reverse('publicservice:officer_holidays')}?tahun={year}"


def _page(request, year: int, *, bound: dict | None = None, status: int = 200):
    record = HolidayYear.objects.filter(year=year).select_related("confirmed_by").first()
    bound = bound or {}
    forms = {
        "add": f.HolidayForm(initial={"kind": Holiday.Kind.NATIONAL}),
        "confirm": f.HolidayYearConfirmForm(initial={"decree": record.decree if record else ""}),
        "prefill": f.HolidayPrefillForm(),
        **bound,
    }
    days = calendar.year_days(year)
    years = [year - 1, year, year + 1]
    confirmed_years = set(HolidayYear.objects.filter(year__in=years, confirmed=True).values_list("year", flat=True))
    ctx = {
        "nav": "publicservice",
        "year": year,
        "years": [(y, y in confirmed_years) for y in years],
        "record": record,
        "confirmed": year in confirmed_years,
        "days": days,
        "entered": sum(1 for d in days if d.source == calendar.ENTERED and not d.fixed),
        "estimated": sum(1 for d in days if d.source == calendar.ESTIMATED),
        "warn_year": calendar.confirmation_due(timezone.localdate()),
        "forms": forms,
        "refused": next(iter(bound.values()), None),
        "FIXED": calendar.FIXED_SOURCE,
        "ENTERED": calendar.ENTERED,
        "ESTIMATED": calendar.ESTIMATED,
    }
    return render(request, "publicservice/officer/holidays.html", ctx, status=status)


def _done(request, change: core_services.Change, text: str):
    if change.moved:
        text += " " + ngettext(
            "%(n)s tenggat pengaduan dihitung ulang dan penanganannya diberi tahu.",
            "%(n)s tenggat pengaduan dihitung ulang dan penanganannya diberi tahu.",
            change.moved,
        ) % {"n": change.moved}
    messages.success(request, text)
    return redirect(_page_url(change.year))


@login_required
def officer_holidays(request):
    """Each year's holidays and collective leave days, whether its SKB is confirmed, and the actions."""
    _admin(request)
    return _page(request, _year(request.GET.get("tahun")))


@login_required
@require_POST
def officer_holiday_add(request):
    """Enter one day of the SKB; the stored deadlines of open reports follow."""
    actor = _admin(request)
    form = f.HolidayForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            change = core_services.holiday_add(actor=actor, date=d["date"], name=d["name"], kind=d["kind"])
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return _done(request, change, _("Hari libur %(d)s dicatat.") % {"d": change.holiday.name})
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else _year(request.GET.get("tahun"))
    return _page(request, year, bound={"add": form}, status=400)


@login_required
@require_POST
def officer_holiday_remove(request, pk: int):
    """Remove a day entered by mistake; the stored deadlines of open reports follow."""
    actor = _admin(request)
    holiday = Holiday.objects.filter(pk=pk).first()
    if holiday is None:
        raise Http404
    form = f.HolidayRemoveForm(request.POST)
    if form.is_valid():
        try:
            change = core_services.holiday_remove(actor=actor, holiday=holiday, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return _done(request, change, _("Hari libur %(d)s dihapus.") % {"d": holiday.name})
    return _page(request, holiday.date.year, bound={"remove": form}, status=400)


def _year_in_range(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@login_required
@require_POST
def officer_holiday_prefill(request, year: int):
    """Enter the year's days from the package's estimate, to be checked against the SKB before confirming."""
    actor = _admin(request)
    year = _year_in_range(year)
    form = f.HolidayPrefillForm(request.POST)
    if form.is_valid():
        try:
            change = core_services.holiday_year_prefill(actor=actor, year=year)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            text = _("Perkiraan hari libur %(y)s dicatat: periksa setiap tanggal terhadap SKB, lalu konfirmasi.")
            return _done(request, change, text % {"y": year})
    return _page(request, year, bound={"prefill": form}, status=400)


@login_required
@require_POST
def officer_holiday_confirm(request, year: int):
    """Confirm that the year's entered days are its SKB: the estimate stops counting, deadlines are final."""
    actor = _admin(request)
    year = _year_in_range(year)
    form = f.HolidayYearConfirmForm(request.POST)
    if form.is_valid():
        try:
            change = core_services.holiday_year_confirm(actor=actor, year=year, decree=form.cleaned_data["decree"])
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            return _done(request, change, _("Hari libur %(y)s dikonfirmasi.") % {"y": year})
    return _page(request, year, bound={"confirm": form}, status=400)
