"""The days per complaint class as rule parameters with their effective date (RULES.md §8.2), and the stored
clock of every existing report, backfilled from its history so that its deadline can be recomputed.

The clock that runs is the verification (3 working days from submission) while a report is received, and the
response afterwards: from the latest verification, re-routing or reopening, as long as its kind said then
(reports before classes have none; the verifier may classify them). Open reports then get their deadline
from the calendar as it now is (fixed-date holidays in every year, the package's estimate beneath the
unconfirmed years), with an internal history event when it moves. The calendar is used through its pure
functions, on this migration's own models."""

import datetime

from django.db import migrations

SOURCE = "RULES.md §8.2 (KemenPANRB, republika 14 Jun 2018)"
CLASS_DAYS = {"grievance": 5, "dispute": 14, "violation": 14, "information": 5, "aspiration": 5}
KIND_DAYS = {"information": 5, "aspiration": 5, "complaint": 14}
FIELD_INSPECTION_DAYS = 60
VERIFY_DAYS = 3
OPEN = ("received", "forwarded", "in_progress")
STARTS = ("verified", "forwarded", "reopened")


def forwards(apps, schema_editor):
    from core import calendar  # pure functions only: the days off are built from this migration's models

    RuleParameter = apps.get_model("core", "RuleParameter")
    for name, days in CLASS_DAYS.items():
        RuleParameter.objects.get_or_create(
            key=f"publicservice.days.class.{name}",
            effective_from=datetime.date(2018, 6, 14),
            defaults={
                "value": days,
                "source": SOURCE,
                "confidence": "S",
                "note": "Hari kerja (W: kebanyakan SOP menyebut hari kerja).",
            },
        )

    Complaint = apps.get_model("publicservice", "Complaint")
    ComplaintEvent = apps.get_model("publicservice", "ComplaintEvent")
    Holiday = apps.get_model("core", "Holiday")
    HolidayYear = apps.get_model("core", "HolidayYear")
    confirmed = set(HolidayYear.objects.filter(confirmed=True).values_list("year", flat=True))
    years: dict[int, frozenset] = {}

    def off(first: int, last: int) -> frozenset:
        out: set = set()
        for y in range(first, last + 1):
            if y not in years:
                entered = Holiday.objects.filter(date__year=y).values_list("date", flat=True)
                years[y] = calendar.days_off(y, entered=entered, confirmed=y in confirmed)
            out |= years[y]
        return frozenset(out)

    def days_of(key: str, default: int, on: datetime.date) -> int:
        row = RuleParameter.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
        return int(default if row is None else row.value)

    for c in Complaint.objects.filter(clock_started_at__isnull=True).iterator():
        events = ComplaintEvent.objects.filter(complaint=c).order_by("-at", "-id")
        started = events.filter(kind__in=STARTS).first()
        if c.status == "received" or started is None or c.response_due is None:
            submitted = events.filter(kind="submitted").last()
            c.clock_started_at, c.clock_days = (submitted.at if submitted else c.created_at), VERIFY_DAYS
            field = "verify_due"
        else:
            on = started.at.astimezone(calendar.WIB).date()
            if c.field_inspection:
                days = days_of("publicservice.days.field_inspection", FIELD_INSPECTION_DAYS, on)
            else:
                days = days_of(f"publicservice.days.{c.kind}", KIND_DAYS.get(c.kind, 14), on)
            c.clock_started_at, c.clock_days = started.at, days
            field = "response_due"
        fields = ["clock_started_at", "clock_days"]
        if c.status in OPEN:
            day = c.clock_started_at.astimezone(calendar.WIB).date()
            last = calendar.add_working_days(day, c.clock_days, off(day.year, day.year + 1 + c.clock_days // 200))
            due = datetime.datetime.combine(last, datetime.time(23, 59, 59), tzinfo=calendar.WIB)
            c.due_provisional = any(
                y not in confirmed for y in range((day + datetime.timedelta(days=1)).year, last.year + 1)
            )
            fields.append("due_provisional")
            old = getattr(c, field)
            if old != due:
                setattr(c, field, due)
                fields.append(field)
                ComplaintEvent.objects.create(
                    complaint=c,
                    kind="due_moved",
                    text=f"{old.astimezone(calendar.WIB):%d-%m-%Y} → {due:%d-%m-%Y}: kalender hari kerja diperbarui "
                    "(hari libur tanggal tetap setiap tahun, perkiraan untuk tahun yang belum dikonfirmasi).",
                    citizen_visible=False,
                    at=datetime.datetime.now(tz=datetime.UTC),
                )
        c.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_holiday_year_2026"),
        ("publicservice", "0002_complaint_class_and_clock"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
