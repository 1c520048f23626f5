"""The national question bank: xlsx import (every row or none, versions under a code), revise and retire,
item statistics over delivered sheets, the pages and who may see them."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.access import SYSTEM, Actor, get_actor
from accounts.choices import Role
from core.errors import DomainError
from core.models import AuditRecord
from exams import bank
from exams.bank_stats import question_stats, session_item_analysis
from exams.models import Answer, ExamRoom, ExamSession, ExamSite, Option, Participant, Question, SheetItem
from tests.factories import make_user

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(datetime.datetime(2026, 12, 1, 8, 0))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- helpers ---------------------------------------------------------------------------------------


def upload(rows, headers=None, name="soal.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or bank.HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=XLSX)


def keyed(code, text="Ibu kota Lampung adalah …", subtest="TWK", points=(5, 0, 0, 0, 0), options=None):
    return [code, subtest, text, *(options or [f"Pilihan {lab}" for lab in "ABCDE"]), *points]


def weighted(code, text="Sikap Anda saat ditegur atasan …", points=(1, 2, 3, 4, 5)):
    return [code, "TKP", text, *[f"Sikap {lab}" for lab in "ABCDE"], *points]


def nothing_written():
    return (
        not Question.objects.exists()
        and not Option.objects.exists()
        and not AuditRecord.objects.filter(action="exams.question_import").exists()
    )


def refused(rows=None, file=None):
    with pytest.raises(bank.ImportRefused) as exc:
        bank.import_questions(actor=SYSTEM, file=file or upload(rows))
    return exc.value.rows


@pytest.fixture
def national(db):
    return make_user("bkn.bank", Role.NATIONAL_ADMIN)


@pytest.fixture
def admin(national):
    return get_actor(national)


# --- import ----------------------------------------------------------------------------------------


class TestImport:
    def test_rows_become_questions_with_their_options_and_one_audit_record(self, admin):
        result = bank.import_questions(
            actor=admin,
            file=upload([keyed("TWK-1"), keyed("TIU-1", subtest="tiu", points=(0, 0, 5, 0, 0)), weighted("TKP-1")]),
        )
        assert (result.rows, result.created, result.new_versions, result.unchanged) == (3, 3, 0, 0)
        tiu = Question.objects.get(code="TIU-1")
        assert (tiu.subtest, tiu.version, tiu.active, tiu.supersedes_id) == ("tiu", 1, True, None)
        assert list(tiu.options.values_list("label", "text", "points")) == [
            ("a", "Pilihan A", 0),
            ("b", "Pilihan B", 0),
            ("c", "Pilihan C", 5),
            ("d", "Pilihan D", 0),
            ("e", "Pilihan E", 0),
        ]
        record = AuditRecord.objects.get(action="exams.question_import")
        assert record.actor_id == admin.user.pk
        assert record.after["new"] == 3 and record.after["codes_new"] == ["TWK-1", "TIU-1", "TKP-1"]

    def test_fewer_than_five_options_headers_in_any_case_and_order_and_numbers_as_text(self, admin):
        headers = list(reversed([h.upper().replace(" ", "_") for h in bank.HEADERS]))
        row = list(reversed([1001, "tkp", "Soal", "a", "b", "c", None, None, "1", 2.0, 3, None, None]))
        bank.import_questions(actor=admin, file=upload([row], headers=headers))
        q = Question.objects.get()
        assert q.code == "1001" and list(q.options.values_list("label", "points")) == [("a", 1), ("b", 2), ("c", 3)]

    def test_blank_rows_are_skipped(self, admin):
        result = bank.import_questions(actor=admin, file=upload([keyed("A"), [None] * 13, keyed("B")]))
        assert result.created == 2

    def test_a_national_admin_only(self, db):
        with pytest.raises(PermissionDenied):
            bank.import_questions(actor=Actor(user=None, write_agency_ids=frozenset({1})), file=upload([keyed("A")]))
        assert nothing_written()


@pytest.mark.parametrize(
    "rows,row,column,message",
    [
        ([keyed("K1", subtest="TWX")], 2, "subtes", "Subtes tidak dikenal"),
        ([keyed("K1", subtest="")], 2, "subtes", "Subtes wajib diisi"),
        ([keyed("K1", text="  ")], 2, "soal", "Teks soal wajib diisi"),
        ([keyed("", text="Soal")], 2, "kode", "Kode soal wajib diisi"),
        ([keyed("K" * 31)], 2, "kode", "paling panjang 30"),
        ([keyed("K1", options=["A", "B", "", "D", "E"])], 2, "pilihan C", "Teks pilihan C wajib diisi"),
        ([keyed("K1", points=(5, 0, "lima", 0, 0))], 2, "nilai C", "bilangan bulat"),
        ([keyed("K1", points=(5, 0, 0, 0, -5))], 2, "nilai E", "bilangan bulat"),
        ([keyed("K1", points=(5, 0, 0, 0, 2.5))], 2, "nilai E", "bilangan bulat"),
        ([keyed("K1", options=["A", "B", None, "D", None], points=(5, 0, None, 0, None))], 2, "pilihan D", "berurutan"),
        (
            [keyed("K1", options=["A", None, None, None, None], points=(5, None, None, None, None))],
            2,
            "nilai",
            "dua pilihan",
        ),
        ([keyed("K1", points=(5, 5, 0, 0, 0))], 2, "nilai", "tepat satu kunci"),
        ([keyed("K1", points=(0, 0, 0, 0, 0))], 2, "nilai", "tepat satu kunci"),
        ([keyed("K1", points=(4, 0, 0, 0, 0))], 2, "nilai", "tepat satu kunci"),
        ([weighted("T1", points=(1, 1, 3, 4, 5))], 2, "nilai", "tidak boleh ada nilai yang sama"),
        ([weighted("T1", points=(0, 2, 3, 4, 5))], 2, "nilai", "bernilai 1 sampai 5"),
        ([keyed("K1"), keyed("K1", text="Lain")], 3, "kode", "sudah dipakai di baris 2"),
        ([keyed("OK-1"), keyed("OK-2"), keyed("BAD", subtest="XYZ")], 4, "subtes", "Subtes tidak dikenal"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(db, rows, row, column, message):
    errors = refused(rows)
    assert any(e.row == row and e.column == column and message in e.message for e in errors), errors
    assert nothing_written()


def test_every_bad_row_and_column_is_reported_at_once(db):
    errors = refused([keyed("A", subtest="X", text=""), keyed("B"), weighted("", points=(1, 1, 1, 1, 1))])
    assert [(e.row, e.column) for e in errors] == [(2, "subtes"), (2, "soal"), (4, "kode"), (4, "nilai")]
    assert nothing_written()


class TestFileRefusals:
    def test_not_an_xlsx_by_name(self, db):
        errors = refused(file=SimpleUploadedFile("soal.csv", b"kode,subtes,soal\nA,TWK,x\n"))
        assert errors[0].row == 0 and "harus berformat .xlsx" in errors[0].message
        assert nothing_written()

    def test_not_an_xlsx_by_content(self, db):
        errors = refused(file=SimpleUploadedFile("soal.xlsx", b"kode,subtes,soal\nA,TWK,x\n"))
        assert "harus berformat .xlsx" in errors[0].message
        assert nothing_written()

    def test_a_zip_that_is_no_workbook(self, db):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "bukan lembar kerja")
        errors = refused(file=SimpleUploadedFile("soal.xlsx", buf.getvalue()))
        assert "tidak dapat dibaca" in errors[0].message
        assert nothing_written()

    def test_too_large(self, db, monkeypatch):
        monkeypatch.setattr(bank, "MAX_BYTES", 100)
        errors = refused([keyed("A")])
        assert "lebih besar" in errors[0].message
        assert nothing_written()

    def test_missing_columns(self, db):
        errors = refused(
            [["A", "TWK", "Soal"]], file=upload([["A", "TWK", "Soal"]], headers=["kode", "subtes", "soal"])
        )
        assert errors[0].row == 1 and "pilihan A" in errors[0].message and "nilai E" in errors[0].message
        assert nothing_written()

    def test_a_column_twice(self, db):
        errors = refused(file=upload([keyed("A") + ["x"]], headers=[*bank.HEADERS, "Soal"]))
        assert errors[0].row == 1 and "lebih dari sekali" in errors[0].message
        assert nothing_written()

    def test_headers_only(self, db):
        errors = refused(file=upload([]))
        assert "tidak berisi soal" in errors[0].message

    def test_more_than_5000_rows(self, db):
        assert bank.MAX_ROWS == 5000
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(bank.HEADERS)
        for i in range(5001):
            ws.append(keyed(f"K{i}"))
        buf = io.BytesIO()
        wb.save(buf)
        errors = refused(file=SimpleUploadedFile("besar.xlsx", buf.getvalue()))
        assert "lebih dari 5000 baris" in errors[0].message
        assert nothing_written()


class TestVersions:
    def test_a_changed_row_makes_a_new_version_and_retires_the_old(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1"), weighted("T1")]))
        v1 = Question.objects.get(code="K1")
        result = bank.import_questions(actor=admin, file=upload([keyed("K1", points=(0, 5, 0, 0, 0)), weighted("T1")]))
        assert (result.created, result.new_versions, result.unchanged) == (0, 1, 1)
        v1.refresh_from_db()
        v2 = Question.objects.get(code="K1", version=2)
        assert not v1.active and v2.active and v2.supersedes_id == v1.pk
        assert v2.options.get(label="b").points == 5 and v1.options.get(label="a").points == 5
        assert Question.objects.get(code="T1").version == 1
        assert AuditRecord.objects.filter(action="exams.question_import").first().after["codes_new_version"] == ["K1"]

    def test_identical_content_is_skipped_even_with_outer_spaces(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1")]))
        result = bank.import_questions(actor=admin, file=upload([keyed("K1", text="  Ibu kota Lampung adalah …  ")]))
        assert (result.created, result.new_versions, result.unchanged) == (0, 0, 1)
        assert Question.objects.count() == 1

    def test_a_third_version_supersedes_the_second(self, admin):
        for text in ("satu", "dua", "tiga"):
            bank.import_questions(actor=admin, file=upload([keyed("K1", text=text)]))
        versions = list(Question.objects.filter(code="K1").order_by("version").values_list("version", "active", "text"))
        assert versions == [(1, False, "satu"), (2, False, "dua"), (3, True, "tiga")]
        assert Question.objects.get(version=3).supersedes.version == 2

    def test_a_code_cannot_change_its_subtest(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1")]))
        with pytest.raises(bank.ImportRefused) as exc:
            bank.import_questions(actor=admin, file=upload([keyed("K2"), keyed("K1", subtest="TIU")]))
        assert [(e.row, e.column) for e in exc.value.rows] == [(3, "subtes")]
        assert list(Question.objects.values_list("code", flat=True)) == ["K1"]

    def test_a_delivered_sheet_keeps_the_version_it_showed(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1")]))
        v1 = Question.objects.get()
        world = tiny_world([v1])
        bank.import_questions(actor=admin, file=upload([keyed("K1", text="baru")]))
        assert SheetItem.objects.filter(participant=world["people"][0]).first().question_id == v1.pk


class TestReviseAndRetire:
    def options(self, points=(5, 0, 0, 0, 0)):
        return {lab: (f"Baru {lab}", p) for lab, p in zip("abcde", points)}

    def test_revise_makes_a_new_version(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1")]))
        old = Question.objects.get()
        new = bank.question_revise(
            actor=admin, question=old, text="Teks baru", options=self.options(), reason="salah ketik"
        )
        old.refresh_from_db()
        assert (new.code, new.version, new.active, new.supersedes_id, old.active) == ("K1", 2, True, old.pk, False)
        assert new.options.get(label="a").text == "Baru a"
        record = AuditRecord.objects.get(action="exams.question_revise")
        assert record.before["version"] == 1 and record.after["text"] == "Teks baru" and record.reason == "salah ketik"

    def test_revise_refusals(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1")]))
        q = Question.objects.get()
        same = {lab: (f"Pilihan {lab.upper()}", p) for lab, p in zip("abcde", (5, 0, 0, 0, 0))}
        with pytest.raises(DomainError, match="Tidak ada perubahan"):
            bank.question_revise(actor=admin, question=q, text=q.text, options=same)
        with pytest.raises(DomainError, match="tepat satu kunci") as exc:
            bank.question_revise(actor=admin, question=q, text="x", options=self.options((5, 5, 0, 0, 0)))
        assert "points" in exc.value.errors
        with pytest.raises(DomainError, match="Teks soal wajib") as exc:
            bank.question_revise(actor=admin, question=q, text=" ", options=self.options())
        assert "text" in exc.value.errors
        with pytest.raises(PermissionDenied):
            bank.question_revise(actor=Actor(user=None), question=q, text="x", options=self.options())
        bank.question_retire(actor=admin, question=q)
        with pytest.raises(DomainError, match="Hanya versi aktif"):
            bank.question_revise(actor=admin, question=q, text="x", options=self.options())
        assert Question.objects.count() == 1 and not AuditRecord.objects.filter(action="exams.question_revise").exists()

    def test_retire_once(self, admin):
        bank.import_questions(actor=admin, file=upload([keyed("K1")]))
        q = Question.objects.get()
        with pytest.raises(PermissionDenied):
            bank.question_retire(actor=Actor(user=None), question=q)
        bank.question_retire(actor=admin, question=q, reason="bocor")
        q.refresh_from_db()
        assert not q.active
        assert AuditRecord.objects.get(action="exams.question_retire").reason == "bocor"
        with pytest.raises(DomainError, match="sudah tidak aktif"):
            bank.question_retire(actor=admin, question=q)


# --- statistics ------------------------------------------------------------------------------------


def make_question(code, subtest, points):
    q = Question.objects.create(code=code, subtest=subtest, text=f"Soal {code}")
    Option.objects.bulk_create(
        Option(question=q, label=lab, text=f"{code} {lab}", points=p) for lab, p in zip("abcde", points)
    )
    return q


def tiny_world(questions, answers=None, *, more_sessions=True):
    """Session S1 with P1..P10 finished (total score 10·i) and P11 still working; session S2 with P12
    finished (total 500). Everyone got ``questions`` at positions 1, 2, …; ``answers`` maps a question
    to the label each participant chose, in order P1..P12 (None: no answer)."""
    site = ExamSite.objects.create(name="UPT BKN Bandar Lampung")
    room = ExamRoom.objects.create(site=site, name="R1", seats=40)
    s1 = ExamSession.objects.create(code="S1", room=room, starts_at=T0)
    s2 = ExamSession.objects.create(code="S2", room=room, starts_at=T0 + datetime.timedelta(days=1))
    people = []
    for i in range(1, 13):
        finished = i != 11
        people.append(
            Participant.objects.create(
                session=s2 if i == 12 else s1,
                number=f"P{i:02d}",
                name=f"Peserta {i}",
                started_at=T0,
                finished_at=T0 + datetime.timedelta(minutes=90) if finished else None,
                twk=500 if i == 12 else 10 * i,
                tiu=0,
                tkp=0,
            )
        )
    options = {q.pk: {o.label: o.pk for o in q.options.all()} for q in questions}
    for pos, q in enumerate(questions, start=1):
        chosen = (answers or {}).get(q.code, [None] * 12)
        for p, label in zip(people, chosen):
            SheetItem.objects.create(participant=p, position=pos, question=q, option_order=list(options[q.pk].values()))
            if label:
                Answer.objects.create(participant=p, position=pos, option_id=options[q.pk][label], seq=1, saved_at=T0)
    return {"s1": s1, "s2": s2, "people": people}


ANSWERS = {
    # P1..P10 in S1 (P11 unfinished), P12 in S2
    "K1": ["b", "b", "b", "c", None, "a", "a", "a", "a", "a", "b", "a"],
    "T1": ["e", "e", "e", "e", "c", "c", "c", "c", "a", None, "e", "b"],
}


@pytest.fixture
def stats_world(db):
    k1 = make_question("K1", "twk", (5, 0, 0, 0, 0))
    t1 = make_question("T1", "tkp", (1, 2, 3, 4, 5))
    k3 = make_question("K3", "tiu", (0, 5, 0, 0, 0))
    world = tiny_world([k1, t1], ANSWERS)
    world.update(k1=k1, t1=t1, k3=k3)
    return world


class TestStats:
    def test_one_session(self, stats_world):
        w = stats_world
        stats = question_stats([w["k1"].pk, w["t1"].pk], session_id=w["s1"].pk)
        k1, t1 = stats[w["k1"].pk], stats[w["t1"].pk]
        assert (k1.delivered, k1.answered, k1.key, k1.correct_share) == (10, 9, "a", 0.5)
        assert k1.option_counts == {"a": 5, "b": 3, "c": 1}
        assert k1.difficulty == 0.5 and k1.discrimination == 1.0
        # correct = P6..P10 (totals 60..100, mean 80), wrong = P1..P5 (mean 30); sd of 10..100 = √825
        assert k1.point_biserial == pytest.approx(50 / 825**0.5 * 0.5)
        assert k1.flags == ["unused_distractor:d", "unused_distractor:e"]
        assert (t1.delivered, t1.answered, t1.key, t1.correct_share) == (10, 9, None, None)
        assert t1.mean_points == pytest.approx(33 / 9) and t1.option_counts == {"a": 1, "c": 4, "e": 4}
        # TKP by weight: earned 5,5,5,5,3,3,3,3,1,0 over totals 10..100 — the strong chose worse attitudes
        assert t1.difficulty == pytest.approx(33 / 10 / 5)
        assert t1.discrimination == pytest.approx((4 / 3 - 5) / 5) and t1.point_biserial < 0
        assert t1.flags == [
            "low_discrimination",
            "negative_discrimination",
            "unused_distractor:b",
            "unused_distractor:d",
            "upper_group_prefers_distractor",
        ]

    def test_every_session_and_an_item_never_delivered(self, stats_world):
        w = stats_world
        ids = [w["k1"].pk, w["t1"].pk, w["k3"].pk]
        full = question_stats(ids)
        k1 = full[w["k1"].pk]
        assert (k1.delivered, k1.answered, k1.correct_share) == (11, 10, 6 / 11)
        assert full[w["t1"].pk].mean_points == pytest.approx(35 / 10)
        assert full[w["k3"].pk].delivered == 0 and full[w["k3"].pk].flags == ["no_responses"]
        quick = question_stats(ids, with_analysis=False)
        for pk in ids:
            counts = [(s.delivered, s.answered, s.option_counts, s.points_sum) for s in (full[pk], quick[pk])]
            assert counts[0] == counts[1]
        assert quick[w["k1"].pk].item is None

    def test_bounded_queries(self, stats_world, django_assert_num_queries):
        ids = [stats_world["k1"].pk, stats_world["t1"].pk, stats_world["k3"].pk]
        with django_assert_num_queries(3):
            question_stats(ids)
        with django_assert_num_queries(3):
            question_stats(ids, with_analysis=False)
        assert question_stats([]) == {}

    def test_session_analysis_lists_flagged_items_first(self, stats_world):
        w = stats_world
        rows = session_item_analysis(w["s1"])
        assert [r.question.code for r in rows] == ["T1", "K1"]  # T1 has more flags
        # An item P1 left blank: too hard, no discrimination, four idle distractors: more flags than K1.
        blank = make_question("K9", "twk", (0, 5, 0, 0, 0))
        SheetItem.objects.create(participant=w["people"][0], position=9, question=blank, option_order=[])
        rows = session_item_analysis(w["s1"])
        assert [r.question.code for r in rows] == ["K9", "T1", "K1"]
        assert rows[0].flag_labels[:2] == ["Terlalu sulit", "Daya beda rendah"]


# --- pages -----------------------------------------------------------------------------------------


@pytest.fixture
def client_national(client, login, national):
    return login(national)


class TestPages:
    def test_list_filters_and_pool(self, client_national, stats_world):
        r = client_national.get(reverse("exams:bank"))
        assert r.status_code == 200
        assert [q.code for q, _s in r.context["rows"]] == ["K1", "K3", "T1"]
        assert [(p["label"], p["active"], p["need"], p["short"]) for p in r.context["pool"]] == [
            ("TWK", 1, 30, True),
            ("TIU", 1, 35, True),
            ("TKP", 1, 45, True),
        ]
        k1 = dict((q.code, s) for q, s in r.context["rows"])["K1"]
        assert (k1.delivered, k1.answered) == (11, 10)
        assert "55%" in r.content.decode()  # 6 of 11 answered K1 right
        r = client_national.get(reverse("exams:bank"), {"subtes": "tkp"})
        assert [q.code for q, _s in r.context["rows"]] == ["T1"]
        r = client_national.get(reverse("exams:bank"), {"q": "soal k3"})
        assert [q.code for q, _s in r.context["rows"]] == ["K3"]
        Question.objects.filter(code="K3").update(active=False)
        assert [q.code for q, _s in client_national.get(reverse("exams:bank")).context["rows"]] == ["K1", "T1"]
        r = client_national.get(reverse("exams:bank"), {"status": "nonaktif"})
        assert [q.code for q, _s in r.context["rows"]] == ["K3"]
        assert list(r.context["sessions"]) == [stats_world["s2"], stats_world["s1"]]

    def test_question_page_with_versions_stats_and_chart(self, client_national, admin, stats_world):
        k1 = stats_world["k1"]
        new = bank.question_revise(
            actor=admin, question=k1, text="baru", options={lab: (lab, 5 if lab == "b" else 0) for lab in "abcde"}
        )
        r = client_national.get(reverse("exams:bank_question", args=[k1.pk]))
        assert r.status_code == 200
        assert [v.version for v, _s, _f in r.context["versions"]] == [2, 1]
        assert r.context["chart"]["values"] == [6, 3, 1, 0, 0, 1]
        assert "Pengecoh D jarang dipilih" in r.context["flags"] and not r.context["revisable"]
        r = client_national.get(reverse("exams:bank_question", args=[new.pk]))
        assert r.context["stats"].delivered == 0 and r.context["revisable"]

    def test_revise_and_retire_through_the_pages(self, client_national, stats_world):
        t1 = stats_world["t1"]
        url = reverse("exams:bank_revise", args=[t1.pk])
        data = {"text": "Sikap baru", "reason": "perbaikan"} | {f"option_{lab}": f"O{lab}" for lab in "abcde"}
        bad = data | {f"points_{lab}": 3 for lab in "abcde"}
        r = client_national.post(url, bad)
        assert r.status_code == 200 and "tidak boleh ada nilai yang sama" in r.content.decode()
        r = client_national.post(url, data | {f"points_{lab}": p for lab, p in zip("abcde", (5, 4, 3, 2, 1))})
        new = Question.objects.get(code="T1", version=2)
        assert r.status_code == 302 and r.url == reverse("exams:bank_question", args=[new.pk])
        r = client_national.post(reverse("exams:bank_retire", args=[new.pk]), {"reason": "usang"})
        new.refresh_from_db()
        assert r.status_code == 302 and not new.active
        assert client_national.get(reverse("exams:bank_retire", args=[new.pk])).status_code == 405

    def test_import_page_result_and_errors(self, client_national):
        assert client_national.get(reverse("exams:bank_import")).status_code == 200
        r = client_national.post(reverse("exams:bank_import"), {"file": upload([keyed("K1"), keyed("K1")])})
        assert r.status_code == 200 and r.context["refused"] and not Question.objects.exists()
        assert "sudah dipakai di baris 2" in r.content.decode()
        r = client_national.post(reverse("exams:bank_import"), {"file": upload([keyed("K1"), weighted("T1")])})
        assert (r.context["result"].created, Question.objects.count()) == (2, 2)

    def test_the_template_round_trips(self, client_national):
        r = client_national.get(reverse("exams:bank_template"))
        assert r.status_code == 200 and r["Content-Type"] == XLSX
        template = r.content
        wb = load_workbook(io.BytesIO(template))
        assert [c.value for c in wb.worksheets[0][1]] == bank.HEADERS and len(wb.worksheets) == 2

        def send():
            file = SimpleUploadedFile("templat.xlsx", template)
            return client_national.post(reverse("exams:bank_import"), {"file": file}).context["result"]

        assert send().created == 2
        codes = sorted(Question.objects.values_list("code", "subtest"))
        assert codes == [("CONTOH-TKP-0001", "tkp"), ("CONTOH-TWK-0001", "twk")]
        assert send().unchanged == 2

    def test_analysis_page_and_its_export(self, client_national, stats_world):
        url = reverse("exams:analysis", args=[stats_world["s1"].pk])
        r = client_national.get(url)
        assert r.status_code == 200 and r.context["finished"] == 10 and r.context["flagged"] == 2
        assert [row.question.code for row in r.context["rows"]] == ["T1", "K1"]
        r = client_national.get(url, {"export": "xlsx"})
        assert r.status_code == 200 and r["Content-Type"] == XLSX
        rows = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
        header, t1, k1 = rows
        assert header[:4] == ("Kode", "Versi", "Subtes", "Soal")
        assert k1[:11] == ("K1", 1, "TWK", "Soal K1", 10, 9, "A", 0.5, None, 1.0, round(50 / 825**0.5 * 0.5, 3))
        assert k1[11:17] == (0.5, 0.3, 0.1, 0, 0, 0.1) and "Pengecoh E jarang dipilih" in k1[17]
        assert t1[4:9] == (10, 9, None, 0.66, round(33 / 9, 3)) and "Daya beda negatif" in t1[17]
        assert client_national.get(reverse("exams:analysis", args=[999999])).status_code == 404


PAGES = ["bank", "bank_import", "bank_template", "bank_question", "bank_revise", "analysis"]


@pytest.mark.parametrize(
    "role", ["admin_lpg", "kanreg_lpg", "auditor_lpg", "committee_lpg", "employee_lpg", "applicant", "anonymous"]
)
def test_only_national_admins_see_the_bank(client, login, world, role):
    q = make_question("K1", "twk", (5, 0, 0, 0, 0))
    session = tiny_world([q])["s1"]
    args = {"bank_question": [q.pk], "bank_revise": [q.pk], "analysis": [session.pk]}
    if role != "anonymous":
        login(world[role])
    expected = 302 if role == "anonymous" else 404
    for name in PAGES:
        assert client.get(reverse(f"exams:{name}", args=args.get(name, []))).status_code == expected, name
    assert client.post(reverse("exams:bank_retire", args=[q.pk])).status_code == expected
    r = client.post(reverse("exams:bank_import"), {"file": upload([keyed("K2")])})
    assert r.status_code == expected and not Question.objects.filter(code="K2").exists()
    q.refresh_from_db()
    assert q.active
    login(world["national"])
    assert client.get(reverse("exams:bank")).status_code == 200


# --- query counts ----------------------------------------------------------------------------------


def grow(n, start):
    """n more items, each delivered to P1..P10 in S1 and answered."""
    qs = [make_question(f"G{start + i:03d}", "twk", (5, 0, 0, 0, 0)) for i in range(n)]
    people = list(Participant.objects.filter(session__code="S1").order_by("number"))
    for q in qs:
        opts = list(q.options.values_list("pk", flat=True))
        for j, p in enumerate(people):
            pos = 100 + q.pk
            SheetItem.objects.create(participant=p, position=pos, question=q, option_order=opts)
            Answer.objects.create(participant=p, position=pos, option_id=opts[j % 5], seq=1, saved_at=T0)
    return qs


def queries(client, url):
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_bank_list_runs_a_fixed_number_of_queries(client_national, stats_world, django_assert_max_num_queries):
    url = reverse("exams:bank")
    few = queries(client_national, url)
    grow(40, 0)
    assert queries(client_national, url) == few
    with django_assert_max_num_queries(13):
        client_national.get(url)


def test_the_analysis_page_runs_a_fixed_number_of_queries(client_national, stats_world, django_assert_max_num_queries):
    url = reverse("exams:analysis", args=[stats_world["s1"].pk])
    few = queries(client_national, url)
    grow(40, 0)
    assert queries(client_national, url) == few
    with django_assert_max_num_queries(13):
        client_national.get(url)
    assert queries(client_national, url + "?export=xlsx") <= few
