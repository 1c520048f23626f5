"""Complaint clocks across the year boundary: New Year's Day counts without 2027 data, a deadline reaching into
an unconfirmed year is provisional, escalation no longer fires a day early, and confirming, adding or
removing a holiday moves the stored deadline of open reports (never of closed ones) with an audit record,
an internal history event and an email to the handlers."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core import calendar
from core import services as core_services
from core.models import AuditRecord, Holiday, HolidayYear
from publicservice import clocks, services
from publicservice.models import ComplaintEvent

pytestmark = pytest.mark.django_db
WIB = calendar.WIB
D = datetime.date


def at(y, m, d, hh=10, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=WIB)


def due(y, m, d) -> datetime.datetime:
    return datetime.datetime(y, m, d, 23, 59, 59, tzinfo=WIB)


def filed(ps, when, **kw):
    args = {
        "kind": "complaint",
        "unit": ps["unit"],
        "title": "Antrean obat lama",
        "description": "Antrean di loket obat lebih dari tiga jam tanpa kejelasan.",
        "reporter_contact": "budi@warga.example",
    }
    args.update(kw)
    return services.complaint_submit(now=when, **args)[0]


def forwarded(ps, when, classification="grievance", **kw):
    c = filed(ps, when - datetime.timedelta(hours=1), **kw)
    return services.complaint_forward(actor=ps["officer"], complaint=c, classification=classification, now=when)


def closed(ps, when):
    c = forwarded(ps, when)
    services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah kami tangani.", now=when)
    return services.complaint_close(actor=ps["officer"], complaint=c, outcome="Selesai", now=when)


def confirm_2027(*days: datetime.date) -> None:
    """2027's SKB as the test wants it: only these days besides the fixed dates."""
    for day in days:
        Holiday.objects.create(date=day, name="Libur uji", kind="national")
    HolidayYear.objects.create(year=2027, confirmed=True, decree="SKB uji 2027")
    calendar.forget(2027)


@pytest.fixture
def emails(world):
    for key, address in (("complaints_lpg", "pengaduan@lampung.example"), ("supervisor_lpg", "kabid@lampung.example")):
        world[key].email = address
        world[key].save(update_fields=["email"])
    return world


def moved_events(c) -> list[ComplaintEvent]:
    return list(c.events.filter(kind=ComplaintEvent.Kind.DUE_MOVED))


def recomputed(c) -> int:
    return AuditRecord.objects.filter(action="publicservice.complaint_due_recompute", object_id=str(c.pk)).count()


class TestAcrossNewYear:
    def test_a_keluhan_forwarded_on_23_december_is_due_on_4_january_provisionally(self, ps):
        c = forwarded(ps, at(2026, 12, 23))
        assert c.response_due == due(2027, 1, 4)  # not Friday 1 January: a fixed-date holiday
        assert (c.clock_started_at, c.clock_days, c.due_provisional) == (at(2026, 12, 23), 5, True)

    def test_a_verification_inside_2026_is_final(self, ps):
        c = filed(ps, at(2026, 12, 23))  # 3 working days: 28, 29, 30 December
        assert (c.verify_due, c.due_provisional, c.clock_days) == (due(2026, 12, 30), False, 3)

    def test_escalation_does_not_fire_a_day_early(self, ps):
        forwarded(ps, at(2026, 12, 23))
        for moment in (at(2027, 1, 1, 9), at(2027, 1, 2, 9), at(2027, 1, 4, 23, 30)):
            assert services.escalate_overdue(now=moment) == {"unit_head": 0, "agency": 0}
        assert services.escalate_overdue(now=at(2027, 1, 5, 0, 30)) == {"unit_head": 1, "agency": 0}


class TestConfirmingTheYear:
    def test_the_estimate_stops_counting_moved_deadlines_are_audited_and_handlers_told(
        self, ps, emails, django_capture_on_commit_callbacks
    ):
        assert D(2027, 1, 5) in calendar.estimated_holidays(2027)  # Isra Mikraj 1448 H, by the package
        # The SKB as entered: Idul Fitri (also in the estimate, so entering it moves nothing), no 5 January.
        Holiday.objects.create(date=D(2027, 3, 10), name="Idul Fitri 1448 H", kind="national")
        # Monday 28 Dec + 5: 29, 30, 31, (1 Jan), 4, (5: estimate), 6 January.
        moving = forwarded(ps, at(2026, 12, 28))
        staying = forwarded(ps, at(2026, 12, 23))  # 4 January either way
        done = closed(ps, at(2026, 12, 28))
        assert (moving.response_due, moving.due_provisional) == (due(2027, 1, 6), True)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change = core_services.holiday_year_confirm(actor=ps["national"], year=2027, decree="SKB uji 2027")
        assert change.moved == 1
        for c in (moving, staying, done):
            c.refresh_from_db()
        assert (moving.response_due, moving.due_provisional) == (due(2027, 1, 5), False)
        assert (staying.response_due, staying.due_provisional) == (due(2027, 1, 4), False)
        assert done.response_due == due(2027, 1, 6) and done.due_provisional  # closed: left as it was
        assert recomputed(moving) == 1 and recomputed(staying) == 0 and recomputed(done) == 0
        event = moved_events(moving)[0]
        assert not event.citizen_visible and "6 Jan 2027" in event.text and "5 Jan 2027" in event.text
        assert moved_events(staying) == [] and moved_events(done) == []
        assert sorted(m.to[0] for m in mail.outbox) == ["kabid@lampung.example", "pengaduan@lampung.example"]
        assert all(moving.tracking_code in m.body and staying.tracking_code not in m.body for m in mail.outbox)


class TestAddingAndRemovingAHoliday:
    def test_open_deadlines_follow_the_calendar_both_ways_closed_ones_do_not(
        self, ps, emails, django_capture_on_commit_callbacks
    ):
        confirm_2027(D(2027, 3, 10))
        report = forwarded(ps, at(2026, 12, 23))  # due Monday 4 January
        waiting = filed(ps, at(2026, 12, 30))  # verification: 31 Dec, 4, 5 January
        done = closed(ps, at(2026, 12, 23))
        assert (report.response_due, waiting.verify_due, report.due_provisional) == (
            due(2027, 1, 4),
            due(2027, 1, 5),
            False,
        )
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change = core_services.holiday_add(
                actor=ps["national"], date=D(2027, 1, 4), name="Cuti bersama uji", kind="collective_leave"
            )
        assert change.moved == 2
        for c in (report, waiting, done):
            c.refresh_from_db()
        assert (report.response_due, waiting.verify_due, done.response_due) == (
            due(2027, 1, 5),
            due(2027, 1, 6),
            due(2027, 1, 4),
        )
        assert [recomputed(c) for c in (report, waiting, done)] == [1, 1, 0]
        assert "Cuti bersama uji" in moved_events(report)[0].text
        by_address = {m.to[0]: m.body for m in mail.outbox}
        # The officers hear of both; the unit's head only of the report already with the unit.
        assert report.tracking_code in by_address["pengaduan@lampung.example"]
        assert waiting.tracking_code in by_address["pengaduan@lampung.example"]
        assert report.tracking_code in by_address["kabid@lampung.example"]
        assert waiting.tracking_code not in by_address["kabid@lampung.example"]

        mail.outbox.clear()
        holiday = Holiday.objects.get(date=D(2027, 1, 4))
        with django_capture_on_commit_callbacks(execute=True):
            assert core_services.holiday_remove(actor=ps["national"], holiday=holiday).moved == 2
        report.refresh_from_db()
        assert report.response_due == due(2027, 1, 4) and recomputed(report) == 2 and len(mail.outbox) == 2

    def test_a_report_no_longer_overdue_is_no_longer_escalated(self, ps):
        confirm_2027(D(2027, 3, 10))
        report = forwarded(ps, at(2026, 12, 23))
        services.escalate_overdue(now=at(2027, 1, 5, 9))
        report.refresh_from_db()
        assert report.escalation == 1
        Holiday.objects.create(date=D(2027, 1, 4), name="Cuti bersama uji", kind="collective_leave")
        Holiday.objects.create(date=D(2027, 1, 5), name="Cuti bersama uji", kind="collective_leave")
        calendar.forget(2027)
        assert (
            clocks.recompute(actor=ps["national"], years=frozenset({2027}), reason="uji", now=at(2027, 1, 5, 10)) == 1
        )
        report.refresh_from_db()
        assert (report.response_due, report.escalation) == (due(2027, 1, 6), 0)

    def test_a_change_in_another_year_leaves_the_reports_alone(self, ps):
        report = forwarded(ps, at(2026, 12, 23))
        before = AuditRecord.objects.count()
        assert core_services.holiday_add(actor=ps["national"], date=D(2028, 6, 2), name="Uji", kind="national").moved == 0
        report.refresh_from_db()
        assert report.response_due == due(2027, 1, 4) and AuditRecord.objects.count() == before + 1


class TestShownToOfficers:
    @pytest.fixture
    def reports(self, ps):
        return {
            "provisional": filed(ps, at(2026, 12, 30)),  # the verification runs into 2027, unconfirmed
            "final": filed(ps, at(2026, 11, 2), title="Laporan November"),
        }

    def row(self, html: str, c) -> str:
        start = html.index(f'data-testid="row-{c.tracking_code}"')
        return html[start : html.index("</tr>", start)]

    def test_the_queue_and_the_report_mark_a_provisional_deadline(self, client, login, world, reports):
        assert reports["provisional"].due_provisional and not reports["final"].due_provisional
        login(world["complaints_lpg"])
        html = client.get(reverse("publicservice:officer_queue")).content.decode()
        assert 'data-testid="provisional"' in self.row(html, reports["provisional"])
        assert 'data-testid="provisional"' not in self.row(html, reports["final"])
        assert "belum dikonfirmasi" in self.row(html, reports["provisional"])  # the tooltip says why
        page = client.get(reverse("publicservice:officer_complaint", args=[reports["provisional"].tracking_code]))
        assert 'data-testid="provisional"' in page.content.decode()
        page = client.get(reverse("publicservice:officer_complaint", args=[reports["final"].tracking_code]))
        assert 'data-testid="provisional"' not in page.content.decode()

    def test_the_export_and_the_api_carry_it(self, client, login, world, reports):
        login(world["complaints_lpg"])
        r = client.get(reverse("publicservice:officer_queue"), {"export": "csv"})
        text = b"".join(r.streaming_content).decode("utf-8-sig")
        lines = {line.split(",")[0]: line for line in text.splitlines()}
        assert lines["kode"].endswith("klasifikasi,tenggat sementara")
        assert lines[reports["provisional"].tracking_code].endswith(",sementara")
        assert not lines[reports["final"].tracking_code].endswith(",sementara")
        rows = {r["tracking_code"]: r for r in client.get("/api/complaints/").json()["results"]}
        assert rows[reports["provisional"].tracking_code]["due_provisional"] is True
        assert rows[reports["final"].tracking_code]["due_provisional"] is False
