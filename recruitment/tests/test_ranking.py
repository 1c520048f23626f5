"""The SKD ranking to the SKB, SKB scores, the 40/60 final ranking and its frozen publication
(RULES.md §2.2–2.4), over the ORM and through the pages."""

import csv
import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.access import build_actor
from accounts.choices import Role
from core.errors import DomainError
from core.models import AuditRecord
from exams.models import ExamRoom, ExamSession, ExamSite, Participant
from personnel.models import EducationLevel
from recruitment import ranking
from recruitment.models import (
    Announcement,
    Applicant,
    Application,
    FinalPublication,
    FinalResult,
    PassingGrade,
    SkbScore,
)
from recruitment.tests.conftest import make_formation
from tests.factories import make_user

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


@pytest.fixture
def session(db):
    site = ExamSite.objects.create(name="UPT BKN Bandar Lampung")
    room = ExamRoom.objects.create(site=site, name="Ruang 1", seats=100)
    return ExamSession.objects.create(code="SKD-LPG-1", room=room, starts_at=timezone.now())


def enrol(
    formation,
    category,
    skd=None,
    *,
    name=None,
    birth=datetime.date(1999, 1, 1),
    status="eligible",
    finished=True,
    session=None,
):
    """An applicant of the formation with an application and, when ``skd`` is given, a CAT participant."""
    n = next(_serial)
    user = make_user(f"pelamar{n}", Role.APPLICANT, totp=False)
    applicant = Applicant.objects.create(
        user=user,
        nik=f"18710101{n:08d}",
        name=name or f"Pelamar {n}",
        birth_date=birth,
        education=EducationLevel.objects.get(code="S1"),
    )
    app = Application.objects.create(
        applicant=applicant,
        period=formation.period,
        formation=formation,
        category=category,
        status=status,
        registration_number=f"CPNS26-{n:08d}",
        idempotency_key=f"k{n}",
        submitted_at=timezone.now(),
    )
    if skd is not None:
        twk, tiu, tkp = skd
        Participant.objects.create(
            session=session,
            application=app,
            number=f"P{n:06d}",
            name=applicant.name,
            finished_at=timezone.now() if finished else None,
            twk=twk if finished else None,
            tiu=tiu if finished else None,
            tkp=tkp if finished else None,
        )
    return app


@pytest.fixture
def formation(world, period):
    return make_formation(world, period, quotas={"umum": 1, "cumlaude": 1})


@pytest.fixture
def committee(world):
    return build_actor(world["committee_lpg"])


def numbers(rows):
    return [r.application.registration_number for r in rows]


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def category(result, key):
    return next(c for c in result.categories if c.category == key)


class TestSkdRanking:
    def test_per_category_in_the_tie_break_order_and_three_times_the_quota(self, formation, session):
        twk = enrol(formation, "umum", (110, 100, 190), session=session)  # 400, highest TWK
        tiu = enrol(formation, "umum", (100, 110, 190), session=session)  # 400, higher TIU
        tkp = enrol(formation, "umum", (100, 100, 200), session=session)  # 400, highest TKP
        low = enrol(formation, "umum", (100, 100, 199), session=session)  # 399
        cum_ok = enrol(formation, "cumlaude", (100, 85, 126), session=session)  # 311 and TIU 85: exactly at the grade
        cum_no = enrol(formation, "cumlaude", (120, 84, 200), session=session)  # 404 but TIU 84
        result = ranking.formation_ranking(formation)
        umum = category(result, "umum")
        assert numbers(umum.rows) == [a.registration_number for a in (tkp, tiu, twk, low)]
        assert [r.rank for r in umum.rows] == [1, 2, 3, 4]
        assert [r.to_skb for r in umum.rows] == [True, True, True, False]
        assert "3 peringkat teratas" in umum.rows[3].reason
        cum = category(result, "cumlaude")
        assert numbers(cum.rows) == [cum_ok.registration_number, cum_no.registration_number]
        assert cum.rows[0].to_skb and cum.rows[0].rank == 1
        assert not cum.rows[1].to_skb and cum.rows[1].rank is None and "TIU 84 < 85" in cum.rows[1].reason

    def test_everyone_tied_on_all_four_at_the_boundary_goes_to_the_skb(self, formation, session):
        apps = [
            enrol(formation, "umum", s, session=session)
            for s in ((100, 100, 200), (90, 100, 200), (90, 100, 200), (90, 100, 200), (80, 100, 200))
        ]
        umum = category(ranking.formation_ranking(formation), "umum")
        assert [r.to_skb for r in umum.rows] == [True, True, True, True, False]
        assert [r.rank for r in umum.rows] == [1, 2, 2, 2, 5]
        assert len(umum.skb_rows) == 4 > umum.seats == 3
        assert "peringkat batas" in umum.rows[3].reason
        assert umum.rows[4].application == apps[4]

    def test_missing_skd_failed_grade_and_ineligible(self, formation, session):
        ok = enrol(formation, "umum", (65, 80, 166), session=session)
        failed = enrol(formation, "umum", (60, 150, 225), session=session)
        unfinished = enrol(formation, "umum", (150, 175, 225), finished=False, session=session)
        absent = enrol(formation, "umum")
        ineligible = enrol(formation, "umum", (150, 175, 225), status="ineligible", session=session)
        pending = enrol(formation, "umum", (150, 175, 225), status="submitted", session=session)
        umum = category(ranking.formation_ranking(formation), "umum")
        by = {r.application.pk: r for r in umum.rows}
        assert ineligible.pk not in by and pending.pk not in by
        assert by[ok.pk].to_skb and by[ok.pk].rank == 1
        assert not by[failed.pk].to_skb and "TWK 60 < 65" in by[failed.pk].reason
        for a in (unfinished, absent):
            assert by[a.pk].score is None and not by[a.pk].to_skb and "Tidak ada nilai SKD" in by[a.pk].reason
        assert numbers(umum.rows)[-2:] == sorted([unfinished.registration_number, absent.registration_number])

    def test_the_passing_grade_in_force_when_registration_opened_applies(self, formation, session, period):
        opened = timezone.localdate(period.registration_opens)
        PassingGrade.objects.create(
            period_kind="cpns", category="umum", effective_from=opened, twk=70, tiu=80, tkp=166, source="uji"
        )
        PassingGrade.objects.create(
            period_kind="cpns", category="umum", effective_from=opened + datetime.timedelta(days=1), twk=5, source="uji"
        )
        a = enrol(formation, "umum", (68, 100, 200), session=session)
        row = category(ranking.formation_ranking(formation), "umum").rows[0]
        assert row.application == a and not row.to_skb and "TWK 68 < 70" in row.reason

    def test_a_category_without_a_passing_grade_sends_nobody(self, formation, session, committee, period, world):
        PassingGrade.objects.filter(category="cumlaude").delete()
        enrol(formation, "cumlaude", (150, 175, 225), session=session)
        cum = category(ranking.formation_ranking(formation), "cumlaude")
        assert cum.grade is None and cum.skb_rows == [] and "belum ditetapkan" in cum.rows[0].reason
        with pytest.raises(DomainError, match="Lulusan terbaik"):
            ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])


def skb(committee, app, score, maximum=100, **kw):
    return ranking.skb_enter(actor=committee, application=app, score=score, maximum=maximum, **kw)


class TestFinalScore:
    def test_forty_sixty_on_a_100_scale_to_three_decimals(self, formation, session, committee):
        a = enrol(formation, "umum", (100, 100, 200), session=session)  # 400/550
        b = enrol(formation, "umum", (65, 80, 185), session=session)  # 330/550 = 60 exactly
        skb(committee, a, "133.2", 200)  # 0.4 × 72.7272… + 0.6 × 66.6 = 69.0509… → 69.051
        skb(committee, b, "12,335", 200)  # 24 + 0.6 × 6.1675 = 27.7005 → 27.701 half up (half even: 27.700)
        final = category(ranking.formation_ranking(formation), "umum").final
        assert [(x.application, x.final) for x in final] == [(a, Decimal("69.051")), (b, Decimal("27.701"))]

    def test_final_tie_breaks_skd_total_tkp_tiu_ipk_age(self, world, period, session, committee):
        f = make_formation(world, period, quotas={"umum": 3})
        old, young = datetime.date(1995, 1, 1), datetime.date(1998, 1, 1)
        p = enrol(f, "umum", (100, 100, 185), session=session)  # SKD 385 + SKB 43.333 → 53.9998 → 54.000
        q = enrol(f, "umum", (65, 80, 185), session=session)  # SKD 330 + SKB 50 → 54.000, TKP 185
        i1 = enrol(f, "umum", (65, 82, 183), session=session, birth=young)  # TKP 183, IPK 3.90
        i2 = enrol(f, "umum", (65, 82, 183), session=session, birth=old)  # IPK 3.50, older
        i3 = enrol(f, "umum", (65, 82, 183), session=session, birth=young)  # IPK 3.50, younger
        i4 = enrol(f, "umum", (65, 82, 183), session=session, birth=young)  # equal to i3 in everything
        r = enrol(f, "umum", (65, 85, 180), session=session)  # TKP 180, TIU 85
        s = enrol(f, "umum", (70, 80, 180), session=session)  # TKP 180, TIU 80
        th = enrol(f, "umum", (150, 175, 225), session=session)  # best SKD, absent at the SKB
        skb(committee, p, "43.333")
        for a in (q, r, s):
            skb(committee, a, "50")
        skb(committee, i1, "50", ipk="3.90")
        for a in (i2, i3, i4):
            skb(committee, a, "50", ipk="3,50")
        skb(committee, th, None, absent=True)
        final = category(ranking.formation_ranking(f), "umum").final
        assert [x.application for x in final] == [p, q, i1, i2, i3, i4, r, s, th]
        assert {x.final for x in final[:-1]} == {Decimal("54.000")}
        assert [x.rank for x in final] == [1, 2, 3, 4, 5, 5, 7, 8, None]
        assert [x.outcome for x in final] == ["passed"] * 3 + ["failed"] * 5 + ["absent"]

    def test_an_exact_tie_at_the_last_seat_passes_both(self, world, period, session, committee):
        f = make_formation(world, period, quotas={"umum": 1})
        a = enrol(f, "umum", (65, 80, 185), session=session)
        b = enrol(f, "umum", (65, 80, 185), session=session)
        skb(committee, a, "70")
        skb(committee, b, "70")
        final = category(ranking.formation_ranking(f), "umum").final
        assert [(x.rank, x.outcome) for x in final] == [(1, "passed"), (1, "passed")]


class TestSkbEntry:
    def test_enter_then_correct_with_a_reason(self, formation, session, committee):
        a = enrol(formation, "umum", (65, 80, 185), session=session)
        s = skb(committee, a, "78,5", ipk="3.4")
        assert (s.score, s.maximum, s.absent, s.ipk, s.source) == (
            Decimal("78.5"),
            100,
            False,
            Decimal("3.4"),
            "manual",
        )
        assert skb(committee, a, "78.500", ipk="3.40").pk == s.pk  # the same values again: nothing to correct
        with pytest.raises(DomainError, match="alasan"):
            skb(committee, a, "80")
        skb(committee, a, "80", reason="Salah ketik pada rekap")
        s.refresh_from_db()
        assert s.score == 80
        records = AuditRecord.objects.filter(action="recruitment.skb_enter", object_id=str(a.pk)).order_by("id")
        assert [r.reason for r in records] == ["", "Salah ketik pada rekap"]
        assert records[1].before["score"] == "78.500" and records[1].after["score"] == "80.000"

    @pytest.mark.parametrize(
        "kwargs,message",
        [
            ({"score": "101"}, "di luar 0–100"),
            ({"score": "-1"}, "di luar"),
            ({"score": "tujuh puluh"}, "bukan angka"),
            ({"score": "70.1234"}, "bukan angka"),
            ({"score": ""}, "Isi nilai SKB"),
            ({"score": "70", "absent": True}, "tidak hadir"),
            ({"score": "70", "maximum": "0"}, "lebih dari 0"),
            ({"score": "70", "ipk": "101"}, "IPK"),
            ({"score": "70", "maximum": "500"}, "berbeda dengan nilai maksimum"),
        ],
    )
    def test_refusals_write_nothing(self, formation, session, committee, kwargs, message):
        first = enrol(formation, "umum", (65, 80, 185), session=session)
        skb(committee, first, "60")  # the formation's SKB is out of 100
        a = enrol(formation, "umum", (65, 80, 184), session=session)
        kwargs = {"maximum": "100"} | kwargs
        with pytest.raises(DomainError, match=message):
            ranking.skb_enter(actor=committee, application=a, **kwargs)
        assert not SkbScore.objects.filter(application=a).exists()

    def test_only_applicants_ranked_into_the_skb(self, formation, session, committee):
        for tkp in (200, 199, 198):
            enrol(formation, "umum", (65, 80, tkp), session=session)
        fourth = enrol(formation, "umum", (65, 80, 170), session=session)
        failed = enrol(formation, "umum", (64, 150, 225), session=session)
        for a in (fourth, failed):
            with pytest.raises(DomainError, match="tidak masuk daftar peserta SKB"):
                skb(committee, a, "70")
        assert not SkbScore.objects.exists()

    def test_only_the_agencys_committee_or_the_national_admin(self, world, formation, session):
        a = enrol(formation, "umum", (65, 80, 185), session=session)
        for user in (world["committee_gtlo"], world["admin_lpg"], a.applicant.user):
            with pytest.raises(PermissionDenied):
                skb(build_actor(user), a, "70")
        assert skb(build_actor(world["national"]), a, "70").score == 70


def xlsx(rows, headers=ranking.SKB_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def skb_list(formation, session):
    """Three applicants ranked into the SKB of the umum category, and one who is not."""
    apps = [enrol(formation, "umum", (65, 80, tkp), session=session) for tkp in (200, 190, 180)]
    out = enrol(formation, "umum", (65, 80, 170), session=session)
    return apps, out


class TestSkbImport:
    def do(self, committee, world, period, data, filename="nilai.xlsx", **kw):
        return ranking.skb_import(
            actor=committee, period=period, agency=world["lpg"]["agency"], data=data, filename=filename, **kw
        )

    def test_every_row_is_recorded_and_audited(self, committee, world, period, skb_list):
        (a, b, c), _out = skb_list
        n = self.do(
            committee,
            world,
            period,
            xlsx(
                [
                    (a.registration_number, "", 78.5, None, 3.5),
                    (b.registration_number, "", "81,25", 100, None),
                    (c.registration_number, "", "TH", None, None),
                ]
            ),
            maximum="100",
        )
        assert n == 3
        got = {s.application_id: (s.score, s.absent, s.source) for s in SkbScore.objects.all()}
        assert got == {
            a.pk: (Decimal("78.5"), False, "import"),
            b.pk: (Decimal("81.25"), False, "import"),
            c.pk: (None, True, "import"),
        }
        assert AuditRecord.objects.filter(action="recruitment.skb_import").count() == 3
        # the same file again changes nothing and writes no record
        assert (
            self.do(committee, world, period, xlsx([(a.registration_number, "", 78.5, 100, 3.5)]), maximum="100") == 0
        )

    def test_a_semicolon_csv_is_read(self, committee, world, period, skb_list):
        (a, _b, _c), _out = skb_list
        data = f"Nomor pendaftaran;Nilai SKB;Nilai maksimum SKB\n{a.registration_number};350,5;500\n".encode()
        assert self.do(committee, world, period, data, filename="nilai.csv") == 1
        assert SkbScore.objects.get().score == Decimal("350.5")

    @pytest.mark.parametrize(
        "bad,message",
        [
            (lambda a, out, other: ("CPNS26-99999999", "", 70, 100, None), "tidak ditemukan"),
            (lambda a, out, other: (other.registration_number, "", 70, 100, None), "tidak ditemukan"),
            (lambda a, out, other: (out.registration_number, "", 70, 100, None), "tidak masuk daftar peserta SKB"),
            (lambda a, out, other: (a.registration_number, "", 70, 100, None), "sudah ada di baris 2"),
            (lambda a, out, other: ("", "", 70, 100, None), "Nomor pendaftaran kosong"),
            (lambda a, out, other: ("{b}", "", 101, 100, None), "di luar 0–100"),
            (lambda a, out, other: ("{b}", "", "tujuh", 100, None), "bukan angka"),
            (lambda a, out, other: ("{b}", "", "", 100, None), "Isi nilai SKB"),
            (lambda a, out, other: ("{b}", "", 70, 200, None), "berbeda dengan nilai maksimum"),
            (lambda a, out, other: ("{b}", "", 70, None, None), "Isi nilai maksimum"),
            (lambda a, out, other: ("{b}", "", 70, 100, 150), "IPK"),
        ],
    )
    def test_each_bad_row_refuses_the_whole_file(self, committee, world, period, skb_list, session, bad, message):
        (a, b, _c), out = skb_list
        other_f = make_formation(world, period, key="gtlo", quotas={"umum": 1})
        other = enrol(other_f, "umum", (65, 80, 200), session=session)
        row = list(bad(a, out, other))
        row[0] = row[0].replace("{b}", b.registration_number)
        with pytest.raises(DomainError, match="tidak ada nilai yang disimpan") as exc:
            self.do(committee, world, period, xlsx([(a.registration_number, "", 70, 100, None), row]))
        assert any("Baris 3" in e and message in e for e in exc.value.errors["file"]), exc.value.errors
        assert (
            not SkbScore.objects.exists() and not AuditRecord.objects.filter(action="recruitment.skb_import").exists()
        )

    def test_a_maximum_other_than_the_one_on_record_is_refused(self, committee, world, period, skb_list):
        (a, b, _c), _out = skb_list
        skb(committee, a, "60", 100)
        with pytest.raises(DomainError) as exc:
            self.do(committee, world, period, xlsx([(b.registration_number, "", 300, 500, None)]))
        assert "berbeda dengan nilai maksimum SKB formasi ini (100)" in exc.value.errors["file"][0]
        assert SkbScore.objects.count() == 1

    def test_changing_a_recorded_score_needs_a_reason(self, committee, world, period, skb_list):
        (a, _b, _c), _out = skb_list
        skb(committee, a, "60")
        data = xlsx([(a.registration_number, "", 65, 100, None)])
        with pytest.raises(DomainError) as exc:
            self.do(committee, world, period, data)
        assert "alasan koreksi" in exc.value.errors["file"][0]
        assert SkbScore.objects.get().score == 60
        assert self.do(committee, world, period, data, reason="Koreksi rekap panitia") == 1
        assert SkbScore.objects.get().score == 65
        assert AuditRecord.objects.get(action="recruitment.skb_import").before["score"] == "60.000"

    @pytest.mark.parametrize(
        "data,filename,message",
        [
            (b"\x89PNG\r\n\x1a\n....", "nilai.png", "xlsx atau CSV"),
            (b"PK\x03\x04 rusak", "nilai.xlsx", "tidak dapat dibaca"),
            (xlsx([("CPNS26-1", 70)], headers=("Nomor", "Nilai")), "nilai.xlsx", "Kolom wajib"),
            (xlsx([]), "nilai.xlsx", "tidak berisi baris"),
        ],
    )
    def test_unreadable_files_are_refused(self, committee, world, period, skb_list, data, filename, message):
        with pytest.raises(DomainError, match=message):
            self.do(committee, world, period, data, filename=filename, maximum="100")
        assert not SkbScore.objects.exists()

    def test_only_the_agencys_committee(self, world, period, skb_list):
        (a, _b, _c), _out = skb_list
        with pytest.raises(PermissionDenied):
            self.do(
                build_actor(world["committee_gtlo"]), world, period, xlsx([(a.registration_number, "", 70, 100, None)])
            )
        assert not SkbScore.objects.exists()


@pytest.fixture
def ready(formation, session, committee):
    """A formation whose SKB participants all have a score or an absence, one failing the passing grade."""
    a = enrol(formation, "umum", (100, 100, 200), session=session, name="Ayu")
    b = enrol(formation, "umum", (65, 80, 185), session=session, name="Bima")
    c = enrol(formation, "cumlaude", (100, 85, 126), session=session, name="Citra")
    d = enrol(formation, "umum", (60, 80, 185), session=session, name="Dedi")  # fails the grade
    skb(committee, a, "70")
    skb(committee, b, "90")
    skb(committee, c, None, absent=True)
    return {"a": a, "b": b, "c": c, "d": d}


class TestPublish:
    def test_refused_while_a_score_is_missing_naming_whom(self, world, period, formation, session, committee):
        a = enrol(formation, "umum", (100, 100, 200), session=session, name="Ayu")
        b = enrol(formation, "umum", (65, 80, 185), session=session, name="Bima")
        skb(committee, a, "70")
        with pytest.raises(DomainError, match=f"1 pelamar: {b.registration_number} \\(Bima\\)") as exc:
            ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])
        assert exc.value.code == "skb_missing"
        assert not FinalPublication.objects.exists() and not FinalResult.objects.exists()
        assert not Announcement.objects.exists()

    def test_refused_without_any_skb_participant(self, world, period, formation, committee):
        with pytest.raises(DomainError, match="Belum ada peserta SKB"):
            ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])

    def test_publishes_an_announcement_and_a_frozen_snapshot(self, world, period, formation, committee, ready):
        agency = world["lpg"]["agency"]
        pub = ranking.final_publish(actor=committee, period=period, agency=agency)
        assert pub.announcement.agency == agency and "Hasil akhir" in pub.announcement.title
        assert f"/seleksi/hasil/pengumuman/{period.pk}/{agency.pk}/" in pub.announcement.body
        rows = {r.application_id: r for r in pub.results.all()}
        assert set(rows) == {ready["a"].pk, ready["b"].pk, ready["c"].pk}  # Dedi never reached the SKB
        # Bima: 24 + 54 = 78.000 beats Ayu: 29.0909… + 42 = 71.091
        assert (rows[ready["b"].pk].rank, rows[ready["b"].pk].final_score, rows[ready["b"].pk].outcome) == (
            1,
            Decimal("78.000"),
            "passed",
        )
        assert (rows[ready["a"].pk].rank, rows[ready["a"].pk].final_score, rows[ready["a"].pk].outcome) == (
            2,
            Decimal("71.091"),
            "failed",
        )
        assert (rows[ready["c"].pk].rank, rows[ready["c"].pk].final_score, rows[ready["c"].pk].outcome) == (
            None,
            None,
            "absent",
        )
        record = AuditRecord.objects.get(action="recruitment.final_publish")
        assert record.agency_id == agency.pk and record.after["results"] == 3 and record.after["passed"] == 1
        # Later changes elsewhere do not touch what was announced …
        Participant.objects.filter(application=ready["b"]).update(twk=150)
        Applicant.objects.filter(pk=ready["b"].applicant_id).update(name="Bima Berubah")
        frozen = FinalResult.objects.get(application=ready["b"])
        assert (frozen.twk, frozen.skd_total, frozen.name, frozen.final_score) == (65, 330, "Bima", Decimal("78.000"))
        # … and the scores behind it can no longer change.
        with pytest.raises(DomainError, match="sudah diumumkan"):
            skb(committee, ready["a"], "95", reason="terlambat")
        with pytest.raises(DomainError, match="sudah diumumkan"):
            ranking.skb_import(
                actor=committee, period=period, agency=agency, filename="x.xlsx",
                data=xlsx([(ready["a"].registration_number, "", 95, 100, None)]), reason="terlambat",
            )  # fmt: skip
        with pytest.raises(DomainError, match="sudah diumumkan"):
            ranking.final_publish(actor=committee, period=period, agency=agency)
        assert SkbScore.objects.get(application=ready["a"]).score == 70
        assert FinalPublication.objects.count() == 1 and Announcement.objects.count() == 1

    def test_only_the_agencys_committee_or_the_national_admin_publishes(self, world, period, formation, ready):
        agency = world["lpg"]["agency"]
        for user in (world["committee_gtlo"], world["admin_lpg"], ready["a"].applicant.user):
            with pytest.raises(PermissionDenied):
                ranking.final_publish(actor=build_actor(user), period=period, agency=agency)
        assert not FinalPublication.objects.exists()
        assert (
            ranking.final_publish(actor=build_actor(world["national"]), period=period, agency=agency).results.count()
            == 3
        )


class TestPages:
    def test_the_formation_page_for_its_committee_only(self, client, login, world, formation, ready):
        url = f"/seleksi/hasil/formasi/{formation.pk}/"
        assert client.get(url).status_code == 302  # to the login page
        for user in (world["committee_gtlo"], world["admin_lpg"], world["employee_lpg"], ready["a"].applicant.user):
            login(user)
            assert client.get(url).status_code == 404
        login(world["committee_lpg"])
        html = client.get(url).content.decode()
        for a in ready.values():
            assert a.registration_number in html
        assert "TWK 60 &lt; 65" in html and 'id="chart-skd"' in html
        login(world["national"])
        assert client.get(url).status_code == 200

    def test_the_formation_page_reads_a_fixed_number_of_queries(
        self, client, login, world, period, session, django_assert_max_num_queries
    ):
        f = make_formation(world, period, quotas={"umum": 5, "cumlaude": 2})
        url = f"/seleksi/hasil/formasi/{f.pk}/"

        def grow(n):
            for i in range(n):
                a = enrol(f, "umum" if i % 4 else "cumlaude", (65 + i % 7, 80 + i % 11, 166 + i), session=session)
                if i % 3 == 0:
                    SkbScore.objects.create(
                        application=a,
                        score=50 + i,
                        maximum=100,
                        source="manual",
                        entered_by=world["committee_lpg"],
                        entered_at=timezone.now(),
                    )

        login(world["committee_lpg"])
        grow(4)
        small = page_queries(client, url)
        grow(40)
        assert page_queries(client, url) == small  # however many applicants
        # the page itself: formation, scope, quotas, applications, one grade per category, publication
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200

    def test_the_desk_lists_formations_in_few_queries(
        self, client, login, world, period, session, django_assert_max_num_queries
    ):
        def grow(n):
            for i in range(n):
                f = make_formation(world, period, title=f"Jabatan {i}", quotas={"umum": 2})
                enrol(f, "umum", (65, 80, 170 + i), session=session)

        make_formation(world, period, key="gtlo", title="Jabatan Gorontalo")
        login(world["committee_lpg"])
        url = f"/seleksi/hasil/?periode={period.pk}"
        grow(2)
        small = page_queries(client, url)
        grow(8)
        assert page_queries(client, url) == small
        with django_assert_max_num_queries(14):  # scope, periods, count, rows, publications and the base page
            html = client.get(url).content.decode()
        assert html.count("/seleksi/hasil/formasi/") == 10 and "Jabatan Gorontalo" not in html
        login(world["admin_lpg"])
        assert client.get("/seleksi/hasil/").status_code == 404

    def test_skb_entry_and_import_through_the_pages(self, client, login, world, period, formation, session):
        a = enrol(formation, "umum", (100, 100, 200), session=session)
        b = enrol(formation, "umum", (65, 80, 185), session=session)
        login(world["committee_lpg"])
        resp = client.post(
            f"/seleksi/hasil/formasi/{formation.pk}/skb/", {"application": a.pk, "score": "77,5", "maximum": "100"}
        )
        assert resp.status_code == 302 and resp["Location"].endswith("#skb-umum")
        assert SkbScore.objects.get(application=a).score == Decimal("77.5")
        url = f"/seleksi/hasil/{period.pk}/instansi/{world['lpg']['agency'].pk}/impor-skb/"
        bad = io.BytesIO(xlsx([(b.registration_number, "", 170, 100, None)]))
        bad.name = "nilai.xlsx"
        html = client.post(url, {"file": bad, "maximum": "100"}).content.decode()
        assert "Baris 2" in html and "di luar 0–100" in html and not SkbScore.objects.filter(application=b).exists()
        good = io.BytesIO(xlsx([(b.registration_number, "", 88, 100, None)]))
        good.name = "nilai.xlsx"
        assert client.post(url, {"file": good, "maximum": "100"}).status_code == 302
        assert SkbScore.objects.get(application=b).score == 88
        template = load_workbook(io.BytesIO(client.get(url.replace("impor-skb/", "templat-skb.xlsx")).content)).active
        assert [c.value for c in template[1]] == list(ranking.SKB_HEADERS)
        assert {r[0] for r in template.iter_rows(min_row=2, values_only=True)} == {
            a.registration_number,
            b.registration_number,
        }
        login(world["committee_gtlo"])
        assert client.get(url).status_code == 404

    def test_exports(self, client, login, world, formation, ready):
        login(world["committee_lpg"])
        base = f"/seleksi/hasil/formasi/{formation.pk}/ekspor/"
        wb = load_workbook(io.BytesIO(client.get(base + "skd.xlsx").content)).active
        rows = list(wb.iter_rows(values_only=True))
        assert rows[0][:3] == ("Jenis kebutuhan", "Peringkat", "Nomor pendaftaran") and len(rows) == 5
        text = b"".join(client.get(base + "akhir.csv").streaming_content).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text)))
        bima = next(line for line in lines if line[2] == ready["b"].registration_number)
        assert bima[1] == "1" and bima[-2] == "78.0" and bima[-1] == "Lulus (P/L)"
        assert client.get(base + "semua.xlsx").status_code == 404
        login(world["committee_gtlo"])
        assert client.get(base + "skd.xlsx").status_code == 404

    def test_the_public_result_is_hidden_until_published(self, client, login, world, period, formation, ready):
        agency = world["lpg"]["agency"]
        public = f"/seleksi/hasil/pengumuman/{period.pk}/{agency.pk}/"
        assert client.get(public).status_code == 404
        assert ready["a"].registration_number not in client.get("/seleksi/hasil/pengumuman/").content.decode()
        login(world["committee_lpg"])
        check = client.get(f"/seleksi/hasil/{period.pk}/instansi/{agency.pk}/umumkan/").content.decode()
        assert 'data-testid="missing"' not in check
        assert client.post(f"/seleksi/hasil/{period.pk}/instansi/{agency.pk}/umumkan/")["Location"] == public
        client.logout()
        html = client.get(public).content.decode()
        assert "Bima" in html and "78,000" in html and "Lulus (P/L)" in html and "Dedi" not in html
        assert public in client.get("/seleksi/hasil/pengumuman/").content.decode()

    def test_after_publishing_the_desk_the_page_and_the_export_show_the_frozen_result(
        self, client, login, world, period, formation, committee, ready
    ):
        ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])
        Applicant.objects.filter(pk=ready["b"].applicant_id).update(name="Bima Berubah")
        login(world["committee_lpg"])
        html = client.get(f"/seleksi/hasil/formasi/{formation.pk}/").content.decode()
        assert 'data-testid="published"' in html and f'action="/seleksi/hasil/formasi/{formation.pk}/skb/"' not in html
        assert 'data-testid="published"' in client.get(f"/seleksi/hasil/?periode={period.pk}").content.decode()
        wb = load_workbook(
            io.BytesIO(client.get(f"/seleksi/hasil/formasi/{formation.pk}/ekspor/akhir.xlsx").content)
        ).active
        rows = list(wb.iter_rows(min_row=2, values_only=True))
        assert [(r[1], r[3], r[11], r[12]) for r in rows] == [
            (None, "Citra", None, "Tidak hadir SKB (TH)"),  # cumlaude comes first, as on the page
            (1, "Bima", 78.0, "Lulus (P/L)"),  # the name as announced, not as changed since
            (2, "Ayu", 71.091, "Tidak lulus (TL)"),
        ]
        publish = f"/seleksi/hasil/{period.pk}/instansi/{world['lpg']['agency'].pk}/umumkan/"
        assert client.get(publish)["Location"] == f"/seleksi/hasil/pengumuman/{period.pk}/{world['lpg']['agency'].pk}/"

    def test_the_publish_page_names_the_missing_scores(
        self, client, login, world, period, formation, session, committee
    ):
        a = enrol(formation, "umum", (100, 100, 200), session=session, name="Ayu")
        login(world["committee_lpg"])
        url = f"/seleksi/hasil/{period.pk}/instansi/{world['lpg']['agency'].pk}/umumkan/"
        assert "Ayu" in client.get(url).content.decode()
        html = client.post(url, follow=True).content.decode()
        assert f"{a.registration_number} (Ayu)" in html and not FinalPublication.objects.exists()


class TestReceipt:
    def test_the_applicant_sees_their_own_scores_and_the_rank_only_after_publishing(
        self, client, world, period, formation, committee, ready
    ):
        mine, other = ready["b"], ready["a"]
        url = f"/seleksi/lamaran/{mine.registration_number}/"
        client.force_login(mine.applicant.user)
        html = client.get(url).content.decode()
        assert "TWK 65 · TIU 80 · TKP 185" in html and "Memenuhi nilai ambang batas" in html
        assert "90 / 100" in html
        assert 'data-testid="my-final"' not in html and "Diumumkan panitia" in html
        assert other.registration_number not in html and "TWK 100" not in html
        client.force_login(other.applicant.user)
        assert client.get(url).status_code == 404  # someone else's receipt does not exist for them
        ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])
        client.force_login(mine.applicant.user)
        html = client.get(url).content.decode()
        assert "peringkat 1" in html and "Lulus (P/L)" in html and "78,000" in html

    def test_failing_the_passing_grade_is_shown(self, client, world, ready):
        client.force_login(ready["d"].applicant.user)
        html = client.get(f"/seleksi/lamaran/{ready['d'].registration_number}/").content.decode()
        assert "Tidak memenuhi nilai ambang batas" in html and "TWK ≥ 65" in html
