"""Running a test day: placing participants, check-in with a PIN, opening the session, login with one
active device, incidents that give the lost time back, time-outs."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.access import build_actor
from core.errors import DomainError
from core.models import AuditRecord
from exams import operations, services
from exams.models import ExamIncident, ExamRoom, ExamSession, Participant, SheetItem
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def checked_in(cat, n=0, seat="001"):
    p = cat["people"][n]
    pin = operations.participant_check_in(actor=cat["op"], participant=p, seat=seat)
    p.refresh_from_db()
    return p, pin


class TestCheckIn:
    def test_check_in_seats_the_participant_issues_a_pin_and_draws_the_sheet(self, cat):
        p, pin = checked_in(cat)
        assert len(pin) == 6 and pin.isdigit()
        assert p.seat == "001" and p.checked_in_at and p.pin_hash == operations.pin_digest(p.pk, pin)
        assert pin not in p.pin_hash
        assert SheetItem.objects.filter(participant=p).count() == 110
        record = AuditRecord.objects.filter(action="exams.check_in").get()
        assert pin not in str(record.after) and pin not in str(record.before)

    def test_a_seat_outside_the_room_or_already_taken_is_refused(self, cat):
        checked_in(cat, 0, "001")
        with pytest.raises(DomainError, match="tidak ada"):
            operations.participant_check_in(actor=cat["op"], participant=cat["people"][1], seat="011")
        with pytest.raises(DomainError, match="sudah ditempati"):
            operations.participant_check_in(actor=cat["op"], participant=cat["people"][1], seat="001")

    def test_checking_in_again_moves_the_seat_and_replaces_the_pin(self, cat):
        p, first = checked_in(cat, 0, "001")
        second = operations.participant_check_in(actor=cat["op"], participant=p, seat="005")
        p.refresh_from_db()
        assert p.seat == "005" and p.pin_hash == operations.pin_digest(p.pk, second)
        if first != second:
            with pytest.raises(DomainError, match="PIN salah"):
                operations.participant_login(number=p.number, pin=first)

    def test_only_the_sites_operator_or_the_national_admin_checks_in(self, cat, world):
        stranger = build_actor(make_user("operator.lain", totp=False))
        with pytest.raises(PermissionDenied):
            operations.participant_check_in(actor=stranger, participant=cat["people"][0], seat="001")
        with pytest.raises(PermissionDenied):
            operations.participant_check_in(
                actor=build_actor(world["admin_lpg"]), participant=cat["people"][0], seat="001"
            )
        assert operations.participant_check_in(
            actor=build_actor(world["national"]), participant=cat["people"][0], seat="002"
        )


class TestLogin:
    def test_a_right_pin_gives_a_new_device_and_the_old_one_is_shut_out(self, cat):
        p, pin = checked_in(cat)
        _p, first = operations.participant_login(number=p.number, pin=pin)
        _p, second = operations.participant_login(number=p.number, pin=pin)
        assert first != second
        assert Participant.objects.get(pk=p.pk).device_token == second

    def test_wrong_pins_lock_the_number_after_five_tries(self, cat):
        p, pin = checked_in(cat)
        for _i in range(5):
            with pytest.raises(DomainError, match="PIN salah"):
                operations.participant_login(number=p.number, pin="000000" if pin != "000000" else "111111")
        with pytest.raises(DomainError, match="Terlalu banyak"):
            operations.participant_login(number=p.number, pin=pin)
        operations.participant_check_in(actor=cat["op"], participant=p, seat="001")  # a new PIN lifts the lock
        new_pin = operations.participant_check_in(actor=cat["op"], participant=p, seat="001")
        assert operations.participant_login(number=p.number, pin=new_pin)

    def test_no_login_before_check_in_or_after_the_end(self, cat):
        with pytest.raises(DomainError, match="PIN salah"):
            operations.participant_login(number=cat["people"][0].number, pin="")
        p, pin = checked_in(cat)
        Participant.objects.filter(pk=p.pk).update(finished_at=timezone.now())
        with pytest.raises(DomainError, match="sudah selesai"):
            operations.participant_login(number=p.number, pin=pin)


class TestOpening:
    def test_nobody_starts_before_the_operator_opens_the_session(self, cat):
        p, _pin = checked_in(cat)
        with pytest.raises(DomainError, match="belum dibuka"):
            services.participant_start(participant=p, device_token="d")
        operations.session_open(actor=cat["op"], session=cat["session"])
        assert services.participant_start(participant=p, device_token="d", now=cat["later"]).started_at
        assert AuditRecord.objects.filter(action="exams.session_open").count() == 1

    def test_opening_twice_or_long_before_the_schedule_is_refused(self, cat):
        operations.session_open(actor=cat["op"], session=cat["session"])
        with pytest.raises(DomainError, match="sudah dibuka"):
            operations.session_open(actor=cat["op"], session=cat["session"])
        later = ExamSession.objects.create(
            code="LPG-02", room=cat["room"], starts_at=timezone.now() + datetime.timedelta(hours=2)
        )
        with pytest.raises(DomainError, match="30 menit"):
            operations.session_open(actor=cat["op"], session=later)


class TestIncidents:
    def start_all(self, cat, at):
        operations.session_open(actor=cat["op"], session=cat["session"], now=at - datetime.timedelta(minutes=1))
        out = []
        for i, p in enumerate(cat["people"][:2]):
            checked_in(cat, i, f"00{i + 1}")
            out.append(
                services.participant_start(participant=p, device_token="d", now=at + datetime.timedelta(minutes=10 * i))
            )
        return out

    def test_the_lost_time_goes_back_to_everyone_hit_and_only_the_part_they_lost(self, cat):
        t0 = timezone.now() - datetime.timedelta(minutes=60)
        a, b = self.start_all(cat, t0)  # a started at t0, b at t0+10
        incident = operations.incident_record(
            actor=cat["op"],
            session=cat["session"],
            kind="power",
            started_at=t0 + datetime.timedelta(minutes=5),
            ended_at=t0 + datetime.timedelta(minutes=20),
            note="PLN padam",
        )
        a.refresh_from_db(), b.refresh_from_db()
        assert a.deadline == t0 + datetime.timedelta(minutes=100 + 15)
        assert b.deadline == t0 + datetime.timedelta(minutes=10 + 100 + 10)
        assert incident.compensated == 2 and incident.lost_seconds == 900
        record = AuditRecord.objects.get(action="exams.incident_record")
        assert record.after["compensated"] == 2 and record.reason == "PLN padam"

    def test_a_seat_incident_reaches_only_that_participant(self, cat):
        t0 = timezone.now() - datetime.timedelta(minutes=30)
        a, b = self.start_all(cat, t0)
        before_b = b.deadline
        operations.incident_record(
            actor=cat["op"],
            session=cat["session"],
            participant=a,
            kind="device",
            started_at=t0 + datetime.timedelta(minutes=12),
            ended_at=t0 + datetime.timedelta(minutes=15),
        )
        a.refresh_from_db(), b.refresh_from_db()
        assert a.deadline == t0 + datetime.timedelta(minutes=103) and b.deadline == before_b

    def test_finished_participants_get_nothing(self, cat):
        t0 = timezone.now() - datetime.timedelta(minutes=30)
        a, _b = self.start_all(cat, t0)
        services.participant_finish(participant=a, now=t0 + datetime.timedelta(minutes=20))
        a.refresh_from_db()
        deadline = a.deadline
        operations.incident_record(
            actor=cat["op"],
            session=cat["session"],
            kind="network",
            started_at=t0 + datetime.timedelta(minutes=21),
            ended_at=t0 + datetime.timedelta(minutes=25),
        )
        a.refresh_from_db()
        assert a.deadline == deadline

    @pytest.mark.parametrize(
        ("start", "end", "kind", "message"),
        [
            (10, 5, "power", "sesudah"),
            (0, 300, "power", "masa depan"),
            (-300, -60, "power", "3 jam"),
            (-10, -5, "nonsense", "jenis gangguan"),
        ],
    )
    def test_bad_incidents_are_refused_and_nothing_changes(self, cat, start, end, kind, message):
        t0 = timezone.now()
        self.start_all(cat, t0 - datetime.timedelta(minutes=30))
        deadlines = list(Participant.objects.order_by("pk").values_list("deadline", flat=True))
        with pytest.raises(DomainError, match=message):
            operations.incident_record(
                actor=cat["op"],
                session=cat["session"],
                kind=kind,
                started_at=t0 + datetime.timedelta(minutes=start),
                ended_at=t0 + datetime.timedelta(minutes=end),
            )
        assert list(Participant.objects.order_by("pk").values_list("deadline", flat=True)) == deadlines
        assert not ExamIncident.objects.exists()

    def test_a_participant_of_another_session_is_refused(self, cat):
        other = ExamSession.objects.create(code="LPG-09", room=cat["room"], starts_at=timezone.now())
        stranger = Participant.objects.create(session=other, number="X1", name="X")
        t0 = timezone.now()
        with pytest.raises(DomainError, match="bukan peserta"):
            operations.incident_record(
                actor=cat["op"],
                session=cat["session"],
                participant=stranger,
                kind="power",
                started_at=t0 - datetime.timedelta(minutes=5),
                ended_at=t0,
            )


class TestTimeOut:
    def test_sheets_whose_time_ran_out_are_closed_and_scored(self, cat):
        t0 = timezone.now() - datetime.timedelta(minutes=101)
        operations.session_open(actor=cat["op"], session=cat["session"], now=t0)
        p, _pin = checked_in(cat)
        services.participant_start(participant=p, device_token="d", now=t0)
        q, _pin = checked_in(cat, 1, "002")
        services.participant_start(participant=q, device_token="d", now=timezone.now())
        assert operations.finish_expired(session_id=cat["session"].pk) == 1
        p.refresh_from_db(), q.refresh_from_db()
        assert p.finished_at == p.deadline and p.receipt and q.finished_at is None


class TestAssign:
    @pytest.fixture
    def applicants(self, world, period):
        import random

        from personnel.models import EducationLevel
        from recruitment.choices import ApplicationStatus
        from recruitment.services import applicant_register, application_submit
        from recruitment.tests.conftest import make_formation

        f = make_formation(world, period)
        apps = []
        for n in random.Random(4).sample(range(1, 6), 5):
            a = applicant_register(
                nik=f"18710101019900{n:02d}",
                name=f"Pelamar {n}",
                birth_date=datetime.date(1999, 1, 1),
                education=EducationLevel.objects.get(code="S1"),
                password="Sandi-Pelamar-2026!",
            )
            apps.append(
                application_submit(actor=build_actor(a.user), formation=f, category="umum", idempotency_key=f"k{n}")
            )
        for app in apps[:4]:
            app.status = ApplicationStatus.ELIGIBLE
            app.save()
        return apps

    def test_eligible_applicants_fill_the_rooms_in_registration_order(self, cat, world, period, applicants):
        small = ExamRoom.objects.create(site=cat["site"], name="Ruang 2", seats=3)
        first = ExamSession.objects.create(code="A", room=small, starts_at=timezone.now(), period=period)
        second = ExamSession.objects.create(
            code="B", room=small, starts_at=timezone.now() + datetime.timedelta(hours=3), period=period
        )
        placed = operations.participants_assign(
            actor=build_actor(world["national"]), period=period, sessions=[second, first]
        )
        assert placed == 4
        eligible = sorted(a.registration_number for a in applicants[:4])
        assert (
            list(Participant.objects.filter(session=first).order_by("number").values_list("number", flat=True))
            == eligible[:3]
        )
        assert list(Participant.objects.filter(session=second).values_list("number", flat=True)) == eligible[3:]
        assert not Participant.objects.filter(application=applicants[4]).exists()  # not eligible
        assert (
            operations.participants_assign(actor=build_actor(world["national"]), period=period, sessions=[first]) == 0
        )
        assert AuditRecord.objects.filter(action="exams.participants_assign").count() == 2

    def test_too_few_seats_places_nobody(self, cat, world, period, applicants):
        tiny = ExamRoom.objects.create(site=cat["site"], name="Ruang 3", seats=3)
        only = ExamSession.objects.create(code="C", room=tiny, starts_at=timezone.now(), period=period)
        with pytest.raises(DomainError, match="1 peserta belum"):
            operations.participants_assign(actor=build_actor(world["national"]), period=period, sessions=[only])
        assert not Participant.objects.filter(session=only).exists()

    def test_only_the_national_admin_places(self, cat, period, applicants):
        with pytest.raises(PermissionDenied):
            operations.participants_assign(actor=cat["op"], period=period, sessions=[cat["session"]])
