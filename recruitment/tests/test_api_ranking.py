"""The recruitment API, part two: the committee's SKD ranking, SKB scores (one by one and imported), final list
and publication within the pages' reach, with the pages' refusals and audit; and the announced result, open to
anyone, exactly as the public page shows it."""

import html as htmllib
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.access import build_actor
from core.models import AuditRecord
from exams.models import ExamRoom, ExamSession, ExamSite
from recruitment import ranking
from recruitment.models import Announcement, Applicant, FinalPublication, FinalResult, SkbScore
from recruitment.tests.conftest import make_formation
from recruitment.tests.test_api import ANONYMOUS, call
from recruitment.tests.test_ranking import enrol, skb, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    site = ExamSite.objects.create(name="UPT BKN Bandar Lampung")
    room = ExamRoom.objects.create(site=site, name="Ruang 1", seats=100)
    return ExamSession.objects.create(code="SKD-LPG-1", room=room, starts_at=timezone.now())


@pytest.fixture
def committee(world):
    return build_actor(world["committee_lpg"])


@pytest.fixture
def formation(world, period):
    return make_formation(world, period, quotas={"umum": 1, "cumlaude": 1})


@pytest.fixture
def ranked(formation, session):
    """Ayu and Bima ranked into the umum SKB (one seat, three SKB places), Citra into the cumlaude one, Dedi
    failing the passing grade; no SKB score yet."""
    return {
        "a": enrol(formation, "umum", (100, 100, 200), session=session, name="Ayu"),
        "b": enrol(formation, "umum", (65, 80, 185), session=session, name="Bima"),
        "c": enrol(formation, "cumlaude", (100, 85, 126), session=session, name="Citra"),
        "d": enrol(formation, "umum", (60, 80, 185), session=session, name="Dedi"),
    }


@pytest.fixture
def ready(ranked, committee):
    """Every SKB participant with a score or an absence: ready to publish."""
    skb(committee, ranked["a"], "70")
    skb(committee, ranked["b"], "90")
    skb(committee, ranked["c"], None, absent=True)
    return ranked


def persona(world, ranked, key):
    return ranked["a"].applicant.user if key == "owner" else world[key]


OUT_OF_SCOPE = ["committee_gtlo", "admin_lpg", "employee_lpg", "applicant", "owner"]


def agency_url(period, world, step="", key="lpg") -> str:
    return f"/api/agency-results/{period.pk}/{world[key]['agency'].pk}/" + (f"{step}/" if step else "")


# ---- the SKD ranking ----------------------------------------------------------------------------------------


class TestFormationRanking:
    def test_the_committee_reads_the_ranking_as_the_page_computes_it(self, client, login, world, formation, ranked):
        login(world["committee_lpg"])
        data = call(client, "get", f"/api/formation-rankings/{formation.pk}/").json()
        assert data["formation"]["id"] == formation.pk and data["published"] is False
        assert data["blueprint"] == {"code": "SKD-2021", "maximum": 550}
        umum = next(c for c in data["categories"] if c["category"] == "umum")
        assert (umum["quota"], umum["seats"], umum["to_skb"]) == (1, 3, 2)
        rows = {r["name"]: r for r in umum["rows"]}
        assert [r["name"] for r in umum["rows"]] == ["Ayu", "Bima", "Dedi"]
        assert (rows["Ayu"]["rank"], rows["Ayu"]["total"], rows["Ayu"]["to_skb"], rows["Ayu"]["grade_met"]) == (
            1,
            400,
            True,
            True,
        )
        assert (
            rows["Dedi"]["rank"] is None and not rows["Dedi"]["grade_met"] and "TWK 60 < 65" in rows["Dedi"]["reason"]
        )
        page = ranking.formation_ranking(formation)
        assert [[r["registration_number"] for r in c["rows"]] for c in data["categories"]] == [
            [r.application.registration_number for r in c.rows] for c in page.categories
        ]

    @pytest.mark.parametrize("key", ["committee_lpg", "national"])
    def test_allowed(self, client, login, world, formation, ranked, key):
        login(world[key])
        call(client, "get", f"/api/formation-rankings/{formation.pk}/")

    @pytest.mark.parametrize("key", OUT_OF_SCOPE)
    def test_anyone_else_finds_nothing_as_on_the_page(self, client, login, world, formation, ranked, key):
        login(persona(world, ranked, key))
        api = call(client, "get", f"/api/formation-rankings/{formation.pk}/", status=404)
        missing = call(client, "get", "/api/formation-rankings/999999/", status=404)
        assert api.content == missing.content
        assert client.get(f"/seleksi/hasil/formasi/{formation.pk}/").status_code == 404

    def test_anonymous_is_refused(self, client, formation):
        for path in ("", "skb-scores/", "final/"):
            call(client, "get", f"/api/formation-rankings/{formation.pk}/{path}", status=ANONYMOUS)


# ---- SKB scores --------------------------------------------------------------------------------------------


class TestSkbScores:
    def url(self, formation) -> str:
        return f"/api/formation-rankings/{formation.pk}/skb-scores/"

    def body(self, app, score="78,5", **kw) -> dict:
        return {"registration_number": app.registration_number, "score": score, "maximum": "100"} | kw

    def test_the_participants_with_what_is_on_record(self, client, login, world, formation, ranked, committee):
        skb(committee, ranked["a"], "70", ipk="3.5")
        login(world["committee_lpg"])
        data = call(client, "get", self.url(formation)).json()
        assert data["skb_maximum"] == "100.000" and data["published"] is False
        got = {p["name"]: p for p in data["participants"]}
        assert set(got) == {"Ayu", "Bima", "Citra"}  # Dedi failed the passing grade
        assert (got["Ayu"]["score"], got["Ayu"]["ipk"], got["Ayu"]["source"]) == ("70.000", "3.50", "manual")
        assert got["Bima"]["recorded"] is False and got["Bima"]["score"] is None

    def test_enter_then_correct_with_a_reason_each_audited(self, client, login, world, formation, ranked):
        a = ranked["a"]
        login(world["committee_lpg"])
        resp = call(client, "post", self.url(formation), self.body(a, ipk="3,4"), audit="skb_enter")
        assert (resp.json()["score"], resp.json()["ipk"], resp.json()["recorded"]) == ("78.500", "3.40", True)
        call(client, "post", self.url(formation), self.body(a, score=78.5, ipk="3.40"))  # nothing changes
        refused = call(client, "post", self.url(formation), self.body(a, score="80"), status=400)
        assert refused.json() == {"reason": ["Nilai SKB pelamar ini sudah tercatat; tuliskan alasan koreksinya."]}
        assert SkbScore.objects.get(application=a).score == Decimal("78.5")
        call(client, "post", self.url(formation), self.body(a, score="80", reason="Salah ketik"), audit="skb_enter")
        records = AuditRecord.objects.filter(action="recruitment.skb_enter", object_id=str(a.pk)).order_by("id")
        assert [(r.reason, r.actor_id) for r in records] == [
            ("", world["committee_lpg"].pk),
            ("Salah ketik", world["committee_lpg"].pk),
        ]
        assert records[1].before["score"] == "78.500" and records[1].after["score"] == "80.000"

    def test_absent(self, client, login, world, formation, ranked):
        login(world["committee_lpg"])
        resp = call(
            client, "post", self.url(formation), self.body(ranked["c"], score=None, absent=True), audit="skb_enter"
        )
        assert (resp.json()["absent"], resp.json()["score"]) == (True, None)

    @pytest.mark.parametrize(
        ("key", "body", "field", "message"),
        [
            ("a", {"score": "101"}, "score", "Nilai SKB 101 di luar 0–100."),
            (
                "a",
                {"score": "tujuh puluh"},
                "score",
                "'tujuh puluh' bukan angka (paling banyak tiga angka di belakang koma).",
            ),
            ("a", {"score": ""}, "score", "Isi nilai SKB, atau TH bila tidak hadir."),
            ("a", {"score": "70", "absent": True}, "score", "Pelamar yang tidak hadir tidak boleh bernilai."),
            ("d", {"score": "70"}, "score", "Pelamar ini tidak masuk daftar peserta SKB formasinya."),
            ("x", {"score": "70"}, "registration_number", "Pelamar ini tidak masuk daftar peserta SKB formasinya."),
        ],
    )
    def test_refusals_write_nothing(self, client, login, world, formation, ranked, key, body, field, message):
        login(world["committee_lpg"])
        number = ranked[key].registration_number if key in ranked else "CPNS26-99999999"
        data = {"registration_number": number, "maximum": "100"} | body
        assert call(client, "post", self.url(formation), data, status=400).json() == {field: [message]}
        assert not SkbScore.objects.exists()

    def test_an_applicant_of_another_formation_is_not_found_in_this_one(
        self, client, login, world, period, formation, session
    ):
        other = enrol(make_formation(world, period, title="Jabatan Lain"), "umum", (100, 100, 200), session=session)
        login(world["committee_lpg"])
        resp = call(client, "post", self.url(formation), self.body(other), status=400)
        assert list(resp.json()) == ["registration_number"] and not SkbScore.objects.exists()

    @pytest.mark.parametrize("key", OUT_OF_SCOPE)
    def test_anyone_else_finds_nothing(self, client, login, world, formation, ranked, key):
        login(persona(world, ranked, key))
        call(client, "get", self.url(formation), status=404)
        call(client, "post", self.url(formation), self.body(ranked["a"]), status=404)
        assert not SkbScore.objects.exists()

    def test_the_national_admin_enters_for_any_agency(self, client, login, world, formation, ranked):
        login(world["national"])
        call(client, "post", self.url(formation), self.body(ranked["a"]), audit="skb_enter")


# ---- the SKB import ------------------------------------------------------------------------------------------


def upload(rows, name="nilai.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx(rows))


class TestSkbImport:
    def test_every_row_is_recorded_and_audited(self, client, login, world, period, ranked):
        a, b, c = ranked["a"], ranked["b"], ranked["c"]
        login(world["committee_lpg"])
        rows = [
            (a.registration_number, "", 78.5, None, 3.5),
            (b.registration_number, "", "81,25", 100, None),
            (c.registration_number, "", "TH", None, None),
        ]
        resp = call(
            client, "post", agency_url(period, world, "skb-import"), {"file": upload(rows), "maximum": "100"},
            multipart=True, audit="skb_import",
        )  # fmt: skip
        assert resp.json() == {"recorded": 3}
        got = {s.application_id: (s.score, s.absent, s.source) for s in SkbScore.objects.all()}
        assert got == {
            a.pk: (Decimal("78.5"), False, "import"),
            b.pk: (Decimal("81.25"), False, "import"),
            c.pk: (None, True, "import"),
        }
        assert AuditRecord.objects.filter(action="recruitment.skb_import", actor=world["committee_lpg"]).count() == 3

    def test_one_bad_row_refuses_the_whole_file_with_the_pages_messages(self, client, login, world, period, ranked):
        a, b = ranked["a"], ranked["b"]
        rows = [
            (a.registration_number, "", 70, 100, None),
            (b.registration_number, "", 170, 100, None),
            (ranked["d"].registration_number, "", 70, 100, None),
        ]
        login(world["committee_lpg"])
        resp = call(
            client, "post", agency_url(period, world, "skb-import"), {"file": upload(rows)}, multipart=True, status=400
        )
        body = resp.json()
        assert body["detail"] == ["Impor dibatalkan: 2 baris bermasalah; tidak ada nilai yang disimpan."]
        assert body["file"] == [
            f"Baris 3: {b.registration_number}: Nilai SKB 170 di luar 0–100.",
            f"Baris 4: {ranked['d'].registration_number}: Pelamar ini tidak masuk daftar peserta SKB formasinya.",
        ]
        assert not SkbScore.objects.exists()  # Ayu's good row 2 was not written either
        page = client.post(
            f"/seleksi/hasil/{period.pk}/instansi/{world['lpg']['agency'].pk}/impor-skb/", {"file": upload(rows)}
        )
        shown = htmllib.unescape(page.content.decode())
        assert all(message in shown for message in body["file"] + body["detail"])
        assert not SkbScore.objects.exists()

    def test_changing_a_recorded_score_needs_a_reason(self, client, login, world, period, ranked, committee):
        a = ranked["a"]
        skb(committee, a, "60")
        login(world["committee_lpg"])
        url = agency_url(period, world, "skb-import")
        refused = call(
            client,
            "post",
            url,
            {"file": upload([(a.registration_number, "", 65, 100, None)])},
            multipart=True,
            status=400,
        )
        assert "isi alasan koreksi" in refused.json()["file"][0]
        assert SkbScore.objects.get().score == 60
        data = {"file": upload([(a.registration_number, "", 65, 100, None)]), "reason": "Koreksi rekap"}
        call(client, "post", url, data, multipart=True, audit="skb_import")
        assert SkbScore.objects.get().score == 65
        assert AuditRecord.objects.get(action="recruitment.skb_import").reason == "Koreksi rekap"

    @pytest.mark.parametrize(
        ("data", "name", "message"),
        [
            (b"\x89PNG\r\n\x1a\n....", "nilai.png", "Unggah berkas xlsx atau CSV dari templat nilai SKB."),
            (b"PK\x03\x04 rusak", "nilai.xlsx", "Berkas xlsx tidak dapat dibaca: pastikan berkas tidak rusak."),
        ],
    )
    def test_unreadable_files_are_refused(self, client, login, world, period, ranked, data, name, message):
        login(world["committee_lpg"])
        data = {"file": SimpleUploadedFile(name, data)}
        resp = call(client, "post", agency_url(period, world, "skb-import"), data, multipart=True, status=400)
        assert resp.json() == {"file": [message]}

    def test_a_file_past_the_limit_is_refused_before_it_is_read(
        self, client, login, world, period, ranked, monkeypatch
    ):
        monkeypatch.setattr("recruitment.ranking.skb.MAX_UPLOAD", 10)
        login(world["committee_lpg"])
        data = {"file": upload([(ranked["a"].registration_number, "", 70, 100, None)])}
        resp = call(client, "post", agency_url(period, world, "skb-import"), data, multipart=True, status=400)
        assert resp.json() == {"file": ["Berkas lebih dari 5 MB."]}

    def test_without_a_file(self, client, login, world, period, ranked):
        login(world["committee_lpg"])
        assert (
            "file"
            in call(client, "post", agency_url(period, world, "skb-import"), {}, multipart=True, status=400).json()
        )

    @pytest.mark.parametrize("key", OUT_OF_SCOPE)
    def test_anyone_else_finds_nothing(self, client, login, world, period, ranked, key):
        login(persona(world, ranked, key))
        data = {"file": upload([(ranked["a"].registration_number, "", 70, 100, None)])}
        call(client, "post", agency_url(period, world, "skb-import"), data, multipart=True, status=404)
        assert not SkbScore.objects.exists()

    def test_anonymous_is_refused(self, client, world, period, ranked):
        data = {"file": upload([(ranked["a"].registration_number, "", 70, 100, None)])}
        call(client, "post", agency_url(period, world, "skb-import"), data, multipart=True, status=ANONYMOUS)


# ---- the final list and its publication ----------------------------------------------------------------------------


class TestFinal:
    def test_the_preview_says_whose_score_is_missing(self, client, login, world, period, formation, ranked, committee):
        skb(committee, ranked["a"], "70")
        login(world["committee_lpg"])
        lines = call(client, "get", f"/api/formation-rankings/{formation.pk}/final/").json()["results"]
        by = {x["name"]: x for x in lines}
        assert (by["Ayu"]["rank"], by["Ayu"]["final_score"], by["Ayu"]["outcome"]) == (1, "71.091", "passed")
        assert (by["Bima"]["outcome"], by["Bima"]["outcome_label"]) == ("", "Nilai SKB belum ada")
        agency = call(client, "get", agency_url(period, world)).json()
        assert agency["published_at"] is None
        assert {m["name"] for m in agency["missing_skb"]} == {"Bima", "Citra"}
        assert [f["formation"]["id"] for f in agency["formations"]] == [formation.pk]

    def test_after_publishing_the_lines_as_announced(self, client, login, world, period, formation, ready, committee):
        ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])
        Applicant.objects.filter(pk=ready["b"].applicant_id).update(name="Bima Berubah")
        login(world["committee_lpg"])
        data = call(client, "get", f"/api/formation-rankings/{formation.pk}/final/").json()
        assert data["published"] is True
        assert [(x["name"], x["rank"], x["final_score"], x["outcome_label"]) for x in data["results"]] == [
            ("Citra", None, None, "Tidak hadir SKB (TH)"),
            ("Bima", 1, "78.000", "Lulus (P/L)"),
            ("Ayu", 2, "71.091", "Tidak lulus (TL)"),
        ]  # the same lines as the page's export
        assert call(client, "get", agency_url(period, world)).json()["published_at"] is not None

    @pytest.mark.parametrize("key", OUT_OF_SCOPE)
    def test_anyone_else_finds_nothing(self, client, login, world, period, formation, ranked, key):
        login(persona(world, ranked, key))
        call(client, "get", f"/api/formation-rankings/{formation.pk}/final/", status=404)
        call(client, "get", agency_url(period, world), status=404)
        call(client, "post", agency_url(period, world, "publish"), status=404)
        assert not FinalPublication.objects.exists()


class TestPublish:
    def test_refused_while_a_score_is_missing_naming_whose(self, client, login, world, period, ranked, committee):
        skb(committee, ranked["a"], "70")
        skb(committee, ranked["c"], None, absent=True)
        login(world["committee_lpg"])
        resp = call(client, "post", agency_url(period, world, "publish"), status=400)
        b = ranked["b"]
        assert resp.json() == {"detail": f"Nilai SKB belum lengkap untuk 1 pelamar: {b.registration_number} (Bima)."}
        assert (
            not FinalPublication.objects.exists()
            and not FinalResult.objects.exists()
            and not Announcement.objects.exists()
        )

    def test_publishes_once_audited_and_answers_what_was_announced(self, client, login, world, period, ready):
        login(world["committee_lpg"])
        resp = call(client, "post", agency_url(period, world, "publish"), status=201, audit="final_publish")
        publication = FinalPublication.objects.get()
        assert publication.published_by == world["committee_lpg"] and publication.results.count() == 3
        record = AuditRecord.objects.get(action="recruitment.final_publish")
        assert record.agency_id == world["lpg"]["agency"].pk and record.after["passed"] == 1
        client.logout()
        assert (
            resp.json()
            == call(client, "get", f"/api/published-results/{period.pk}/{world['lpg']['agency'].pk}/").json()
        )
        login(world["committee_lpg"])
        again = call(client, "post", agency_url(period, world, "publish"), status=400)
        assert again.json() == {"detail": "Hasil akhir instansi ini pada periode ini sudah diumumkan."}
        frozen = call(
            client, "post", f"/api/formation-rankings/{ready['a'].formation_id}/skb-scores/",
            {"registration_number": ready["a"].registration_number, "score": "95", "maximum": "100", "reason": "terlambat"},
            status=400,
        )  # fmt: skip
        assert frozen.json() == {"detail": "Hasil akhir sudah diumumkan: nilai SKB tidak dapat diubah lagi."}
        data = {"file": upload([(ready["a"].registration_number, "", 95, 100, None)]), "reason": "terlambat"}
        call(client, "post", agency_url(period, world, "skb-import"), data, multipart=True, status=400)
        assert SkbScore.objects.get(application=ready["a"]).score == 70

    def test_the_national_admin_publishes_for_any_agency(self, client, login, world, period, ready):
        login(world["national"])
        call(client, "post", agency_url(period, world, "publish"), status=201, audit="final_publish")

    def test_anonymous_is_refused(self, client, world, period, ready):
        call(client, "post", agency_url(period, world, "publish"), status=ANONYMOUS)
        assert not FinalPublication.objects.exists()


# ---- the announced result, for anyone -------------------------------------------------------------------------


class _Rows:
    """The public page's result tables: per table, its rows' cell texts."""

    ROW = re.compile(r'<tr class="[^"]*" data-number="[^"]+">(.*?)</tr>', re.S)
    CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
    TABLE = re.compile(r'<table[^>]*data-testid="final">(.*?)</table>', re.S)

    @classmethod
    def of(cls, html: str) -> list[list[list[str]]]:
        return [
            [
                [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cls.CELL.findall(row)]
                for row in cls.ROW.findall(table)
            ]
            for table in cls.TABLE.findall(html)
        ]


def shown(value) -> str:
    """A number as the Indonesian page writes it (comma decimals), "–" for none."""
    return "–" if value is None else str(value).replace(".", ",")


def plain(value: str) -> str:
    """An SKB number as the page's floatformat:"-3" writes it: no trailing zeros, comma decimals."""
    return shown(format(Decimal(value).normalize(), "f"))


class TestPublishedResults:
    @pytest.fixture
    def published(self, world, period, formation, ready, committee, session):
        """Lampung announced; Gorontalo scored but not announced."""
        other = make_formation(world, period, key="gtlo", title="Pranata Komputer", quotas={"umum": 1})
        g = enrol(other, "umum", (100, 100, 200), session=session, name="Gita")
        skb(build_actor(world["committee_gtlo"]), g, "88")
        return ranking.final_publish(actor=committee, period=period, agency=world["lpg"]["agency"])

    def test_nothing_before_it_is_announced(self, client, world, period, ready):
        call(client, "get", f"/api/published-results/{period.pk}/{world['lpg']['agency'].pk}/", status=404)
        assert call(client, "get", "/api/published-results/").json()["results"] == []

    def test_anyone_reads_exactly_what_the_public_page_shows(self, client, world, period, published):
        agency = world["lpg"]["agency"]
        page = client.get(f"/seleksi/hasil/pengumuman/{period.pk}/{agency.pk}/").content.decode()
        data = call(client, "get", f"/api/published-results/{period.pk}/{agency.pk}/").json()
        assert data["agency"] == {"id": agency.pk, "name": agency.name} and data["period"]["name"] == period.name
        api_tables = [
            [
                [
                    shown(x["rank"]), x["registration_number"], x["name"], str(x["twk"]), str(x["tiu"]), str(x["tkp"]),
                    str(x["skd_total"]),
                    "–" if x["skb_score"] is None else f"{plain(x['skb_score'])} / {plain(x['skb_maximum'])}",
                    shown(x["final_score"]), x["outcome_label"],
                ]
                for x in c["results"]
            ]
            for f in data["formations"]
            for c in f["categories"]
        ]  # fmt: skip
        assert api_tables == _Rows.of(page) and len(api_tables) == 2
        for f in data["formations"]:
            assert f["position_title"] in page and f["unit"] in page
        for c in (c for f in data["formations"] for c in f["categories"]):
            assert f'<h3 class="h6 mt-2">{c["label"]}</h3>' in htmllib.unescape(page)

    def test_never_more_than_the_page(self, client, world, period, published, ready):
        data = call(client, "get", f"/api/published-results/{period.pk}/{world['lpg']['agency'].pk}/").json()
        assert set(data) == {"period", "agency", "published_at", "formations"}
        assert set(data["formations"][0]) == {"position_title", "unit", "categories"}
        line_keys = {k for f in data["formations"] for c in f["categories"] for x in c["results"] for k in x}
        assert line_keys == {
            "rank", "registration_number", "name", "twk", "tiu", "tkp", "skd_total", "skb_score", "skb_maximum",
            "final_score", "outcome", "outcome_label",
        }  # fmt: skip
        text = str(data)
        for secret in (ready["b"].applicant.nik, "Dedi", "Gita", "ipk", "birth", "phone"):
            assert secret not in text
        absent = next(
            x for f in data["formations"] for c in f["categories"] for x in c["results"] if x["name"] == "Citra"
        )
        assert absent["skb_maximum"] is None  # the page shows no SKB column for an absence

    def test_the_list_is_the_public_pages(self, client, world, period, published):
        page = client.get("/seleksi/hasil/pengumuman/").content.decode()
        listed = call(client, "get", "/api/published-results/").json()["results"]
        assert [(p["period"]["id"], p["agency"]["id"]) for p in listed] == [(period.pk, world["lpg"]["agency"].pk)]
        assert f"/seleksi/hasil/pengumuman/{period.pk}/{world['lpg']['agency'].pk}/" in page
        assert f"/seleksi/hasil/pengumuman/{period.pk}/{world['gtlo']['agency'].pk}/" not in page
        call(client, "get", f"/api/published-results/{period.pk}/{world['gtlo']['agency'].pk}/", status=404)

    def test_later_changes_do_not_alter_the_announcement(self, client, world, period, published, ready):
        url = f"/api/published-results/{period.pk}/{world['lpg']['agency'].pk}/"
        before = call(client, "get", url).json()
        Applicant.objects.filter(pk=ready["b"].applicant_id).update(name="Bima Berubah")
        assert call(client, "get", url).json() == before

    def test_a_fixed_number_of_queries(self, client, world, period, published):
        url = f"/api/published-results/{period.pk}/{world['lpg']['agency'].pk}/"
        with CaptureQueriesContext(connection) as ctx:
            call(client, "get", url)
        assert len(ctx) <= 4  # the publication, its rows; no query per row


def test_the_browsable_api_renders(client, login, world, period, formation, ready):
    login(world["committee_lpg"])
    for path in (
        f"/api/formation-rankings/{formation.pk}/",
        f"/api/formation-rankings/{formation.pk}/skb-scores/",
        f"/api/formation-rankings/{formation.pk}/final/",
        agency_url(period, world),
        "/api/published-results/",
    ):
        assert client.get(path, HTTP_ACCEPT="text/html").status_code == 200, path
